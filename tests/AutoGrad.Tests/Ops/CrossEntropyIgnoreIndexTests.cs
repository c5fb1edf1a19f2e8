using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Cross-entropy with an ignore index (issue 13, polish13), as PyTorch's <c>F.cross_entropy(x, labels, ignore_index=…)</c>
/// with <c>reduction='mean'</c>: the mean over the K rows whose label is not the ignore index, an ignored row's gradient 0.
/// The expected numbers are PyTorch 1.13's (float64), eager, second order (createGraph) and compiled; a batch whose every
/// label is ignored is refused (PyTorch returns NaN) and changes nothing.
/// </summary>
public class CrossEntropyIgnoreIndexTests
{
    private static readonly double[,] X =
    {
        { 0.5, -1.25, 2.0 }, { 3.0, 0.25, -0.75 }, { -2.5, 1.5, 0.125 }, { 1.0, -0.5, 0.75 },
    };

    private static readonly int[] Labels = [2, -100, 0, 1];

    private static readonly double[,] W =
    {
        { 1.0, 2.0, -1.0 }, { 0.5, 0.5, 0.5 }, { -2.0, 1.0, 3.0 }, { 0.25, -0.75, 1.5 },
    };

    // torch.nn.functional.cross_entropy(x, torch.tensor([2, -100, 0, 1]), ignore_index=-100), float64, PyTorch 1.13
    private const double TorchLoss = 2.222220096708473;

    private static readonly double[,] TorchGrad =
    {
        { 0.05894006070248143, 0.01024224677547881, -0.06918230747796024 },
        { 0, 0, 0 },
        { -0.32853044789787855, 0.2622286595969622, 0.06630178830091638 },
        { 0.16650590993773828, -0.29618084298326575, 0.12967493304552738 },
    };

    // torch.autograd.grad((g * W).sum(), x) with g = torch.autograd.grad(loss, x, create_graph=True)[0]
    private static readonly double[,] TorchSecondOrder =
    {
        { 0.09160342905120104, 0.02616053587528908, -0.11776396492649013 },
        { 0, 0, 0 },
        { -0.016111686290059796, -0.09298228656075147, 0.10909397285081125 },
        { -0.062410332574154966, -0.05107811785225554, 0.11348845042641055 },
    };

    private static Tensor<double> LabelTensor(int[] labels) => Tensor.FromRowMajor(labels.Length, 1, labels.Select(l => (double)l).ToArray());

    private static void Close(double[,] expected, double[,] actual, double tolerance = 1e-15)
    {
        for (int i = 0; i < expected.GetLength(0); i++)
        {
            for (int j = 0; j < expected.GetLength(1); j++)
            {
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tolerance * Math.Max(1, Math.Abs(expected[i, j])),
                    $"[{i}, {j}]: expected {expected[i, j]:R}, got {actual[i, j]:R}");
            }
        }
    }

    [Fact]
    public void The_loss_and_gradient_are_PyTorchs_mean_over_the_rows_not_ignored()
    {
        var x = Tensor.From(X, requiresGrad: true);
        var loss = Loss.CrossEntropy(x, Labels, ignoreIndex: -100);
        Assert.Equal(TorchLoss, loss.Item, 1e-15);
        loss.Backward();
        Close(TorchGrad, x.Grad!.ToArray());
        var y = Tensor.From(X, requiresGrad: true);
        var ofLabels = Loss.CrossEntropyOfLabels(y, LabelTensor(Labels), ignoreIndex: -100);
        Assert.Equal(loss.Item, ofLabels.Item);
        ofLabels.Backward();
        Assert.Equal(x.Grad!.ToFlatArray(), y.Grad!.ToFlatArray());
    }

    [Fact]
    public void An_ignore_index_that_is_a_class_leaves_out_the_rows_of_that_class()
    {
        // F.cross_entropy(x, [2, 0, 0, 1], ignore_index=0): rows 1 and 2 are left out, as PyTorch does
        var x = Tensor.From(X, requiresGrad: true);
        var loss = Loss.CrossEntropy(x, [2, 0, 0, 1], ignoreIndex: 0);
        Assert.Equal(1.2133670847519735, loss.Item, 1e-15);
        loss.Backward();
        Close(new double[,]
        {
            { 0.08841009105372215, 0.01536337016321822, -0.10377346121694037 }, { 0, 0, 0 }, { 0, 0, 0 },
            { 0.24975886490660745, -0.44427126447489862, 0.19451239956829108 },
        }, x.Grad!.ToArray());
    }

    [Fact]
    public void The_recorded_gradient_and_its_own_gradient_are_PyTorchs()
    {
        foreach (bool tensorLabels in new[] { false, true })
        {
            var x = Tensor.From(X, requiresGrad: true);
            var loss = tensorLabels ? Loss.CrossEntropyOfLabels(x, LabelTensor(Labels), -100) : Loss.CrossEntropy(x, Labels, -100);
            var g = Autograd.Grad(loss, [x], createGraph: true)[0];
            Close(TorchGrad, g.ToArray());
            var h = Autograd.Grad((g * Tensor.From(W)).Sum(), [x])[0];
            Close(TorchSecondOrder, h.ToArray());
        }
    }

    [Fact]
    public void A_compiled_step_reads_each_calls_labels_and_ignored_rows_and_gives_PyTorchs_gradient()
    {
        var p = Tensor.From(X, requiresGrad: true, name: "p");
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.CrossEntropyOfLabels(x + p, y, ignoreIndex: -100));
        var zero = Tensor.Zeros<double>(4, 3);
        Assert.Equal(Loss.CrossEntropy(Tensor.From(X), [2, 1, 0, 1]).Item, step.Run(zero, LabelTensor([2, 1, 0, 1])), 1e-15);
        p.ZeroGrad();
        Assert.Equal(TorchLoss, step.Run(zero, LabelTensor(Labels)), 1e-15);
        Close(TorchGrad, p.Grad!.ToArray());
        Assert.Equal(1, step.TraceCount);

        var q = Tensor.From(X, requiresGrad: true, name: "q");
        var constantLabels = Tensor.Compile((Tensor<double> x) => Loss.CrossEntropy(x + q, Labels, ignoreIndex: -100));
        Assert.Equal(TorchLoss, constantLabels.Run(zero), 1e-15);
        Close(TorchGrad, q.Grad!.ToArray());
    }

    [Fact]
    public void A_batch_whose_every_label_is_ignored_is_refused_eager_and_compiled_changing_nothing()
    {
        var x = Tensor.From(X, requiresGrad: true);
        var eager = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(x, [-100, -100, -100, -100], ignoreIndex: -100));
        Assert.Equal("labels", eager.ParamName);
        Assert.StartsWith("CrossEntropy: all 4 labels are the ignoreIndex -100, so the mean is over no rows (0/0; PyTorch returns NaN). " +
            "Skip this batch, or give it at least one labelled row.", eager.Message);
        Assert.StartsWith("CrossEntropyOfLabels: all 4 labels are the ignoreIndex -100",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropyOfLabels(x, LabelTensor([-100, -100, -100, -100]), -100)).Message);
        Assert.Equal(X, x.ToArray());
        Assert.Null(x.Grad);

        var model = new Mlp<double>([3, 5, 3], Activation.Relu, new Random(1));
        var step = Tensor.Compile((Tensor<double> input, Tensor<double> y) => Loss.CrossEntropyOfLabels(model.Forward(input), y, -100),
            new Sgd<double>(model.Parameters, 0.1));
        var batch = Tensor.From(X);
        step.Run(batch, LabelTensor(Labels));
        var parameters = model.Parameters.Select(t => t.ToFlatArray()).ToArray();
        var gradients = model.Parameters.Select(t => t.Grad!.ToFlatArray()).ToArray();
        var compiled = Assert.Throws<ArgumentException>(() => step.Run(batch, LabelTensor([-100, -100, -100, -100])));
        Assert.StartsWith("CrossEntropyOfLabels: all 4 labels are the ignoreIndex -100", compiled.Message);
        Assert.Equal(parameters, model.Parameters.Select(t => t.ToFlatArray()).ToArray());
        Assert.Equal(gradients, model.Parameters.Select(t => t.Grad!.ToFlatArray()).ToArray());
    }

    [Fact]
    public void Ignoring_rows_gives_the_loss_and_gradient_of_the_kept_rows_alone() =>
        Properties.Check(Arb.From(
            from m in Gens.Matrix(Gens.Value)
            from labels in Gen.ArrayOf(Gen.Choose(-1, m.Cols - 1), m.Rows)
            where labels.Any(l => l >= 0)
            select (m, labels)), c =>
        {
            int[] kept = Enumerable.Range(0, c.labels.Length).Where(i => c.labels[i] >= 0).ToArray();
            var x = c.m.ToTensor(requiresGrad: true);
            var loss = Loss.CrossEntropy(x, c.labels, ignoreIndex: -1);
            loss.Backward();
            var alone = c.m.ToTensor(requiresGrad: true);
            var reference = Loss.CrossEntropy(alone.Gather(kept), kept.Select(i => c.labels[i]).ToArray());
            reference.Backward();
            Assert.Equal(reference.Item, loss.Item, 1e-12);
            double[,] expected = alone.Grad!.ToArray(), actual = x.Grad!.ToArray();
            for (int i = 0; i < c.m.Rows; i++)
            {
                for (int j = 0; j < c.m.Cols; j++)
                {
                    Assert.Equal(expected[i, j], actual[i, j], 1e-12);
                    Assert.True(c.labels[i] >= 0 || actual[i, j] == 0, "an ignored row's gradient is exactly 0");
                }
            }
        });
}
