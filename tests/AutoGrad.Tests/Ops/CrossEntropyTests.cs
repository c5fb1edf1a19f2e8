using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class CrossEntropyTests
{
    // x = torch.tensor([[1000., -1000., 0.], [1., 2., 3.], [0., 0., 0.]]); F.cross_entropy(x, [1, 2, 0]) and with probabilities
    private static readonly double[,] Logits = { { 1000, -1000, 0 }, { 1, 2, 3 }, { 0, 0, 0 } };
    private static readonly int[] Labels = [1, 2, 0];
    private static readonly double[,] Probabilities = { { 0.2, 0.3, 0.5 }, { 1, 0, 0 }, { 0.25, 0.25, 0.5 } };

    private static readonly FsCheck.Arbitrary<(Matrix m, int[] labels)> LogitsAndLabels = Arb.From(
        from m in Gens.Matrix(Gens.Value)
        from labels in Gen.ArrayOf(Gen.Choose(0, m.Cols - 1), m.Rows)
        select (m, labels));

    [Fact]
    public void CrossEntropy_with_labels_gradient_matches_finite_differences() =>
        Properties.Check(LogitsAndLabels, c => Properties.AssertGradCheck(x => Loss.CrossEntropy(x[0], c.labels), c.m.ToTensor()));

    [Fact]
    public void CrossEntropy_with_probabilities_gradient_matches_finite_differences_for_both_inputs() =>
        Properties.Check(Arb.From(from m in Gens.Matrix(Gens.Value) from p in Gens.MatrixOf(m.Rows, m.Cols, Gens.Positive) select (m, p)),
            c => Properties.AssertGradCheck(x => Loss.CrossEntropy(x[0], x[1]), c.m.ToTensor(), c.p.ToTensor()));

    [Fact]
    public void CrossEntropy_with_labels_equals_minus_the_mean_picked_log_softmax() =>
        Properties.Check(LogitsAndLabels, c =>
        {
            var x = c.m.ToTensor(requiresGrad: false);
            var logSoftmax = x.LogSoftmax(1);
            double expected = -Enumerable.Range(0, c.m.Rows).Average(i => logSoftmax[i, c.labels[i]]);
            Assert.Equal(expected, Loss.CrossEntropy(x, c.labels).Item, 1e-14);
        });

    [Fact]
    public void CrossEntropy_with_labels_fused_and_recorded_gradients_agree_and_equal_softmax_minus_onehot_over_n() =>
        Properties.Check(LogitsAndLabels, c =>
        {
            var x = c.m.ToTensor();
            var fused = Autograd.Grad(Loss.CrossEntropy(x, c.labels), [x])[0];
            var recorded = Autograd.Grad(Loss.CrossEntropy(x, c.labels), [x], createGraph: true)[0];
            var softmax = x.Softmax(1);
            for (int i = 0; i < c.m.Rows; i++)
            {
                for (int j = 0; j < c.m.Cols; j++)
                {
                    double expected = (softmax[i, j] - (j == c.labels[i] ? 1 : 0)) / c.m.Rows;
                    Assert.Equal(expected, fused[i, j], 1e-15);
                    Assert.Equal(expected, recorded[i, j], 1e-15);
                }
            }
        });

    [Fact]
    public void CrossEntropy_with_labels_at_logits_of_plus_minus_1000_matches_pytorch()
    {
        var x = Tensor.From(Logits, requiresGrad: true);
        var loss = Loss.CrossEntropy(x, Labels);
        Assert.Equal(667.1687394177042, loss.Item, 1e-12);
        loss.Backward();
        double[] grad = [0.3333333333333333, -0.3333333333333333, 0.0, 0.030010191056793478, 0.08157615701826587, -0.1115863480750594, -0.2222222222222222, 0.1111111111111111, 0.1111111111111111];
        Assert.Equal(grad, x.Grad!.ToFlatArray(), new Close(1e-15));

        var f = Tensor.From(SoftmaxTests.ToFloat(Logits), requiresGrad: true);
        var floatLoss = Loss.CrossEntropy(f, Labels);
        Assert.Equal(667.1687622070312f, floatLoss.Item, 3e-5f);
        floatLoss.Backward();
        float[] floatGrad = [0.3333333432674408f, -0.3333333432674408f, 0f, 0.030010193586349487f, 0.08157616853713989f, -0.11158633232116699f, -0.222222238779068f, 0.1111111044883728f, 0.1111111044883728f];
        Assert.Equal(floatGrad, f.Grad!.ToFlatArray(), new CloseF(1e-7f));
    }

    [Fact]
    public void CrossEntropy_with_probabilities_at_logits_of_plus_minus_1000_matches_pytorch()
    {
        var x = Tensor.From(Logits, requiresGrad: true);
        var loss = Loss.CrossEntropy(x, Tensor.From(Probabilities));
        Assert.Equal(367.83540608437085, loss.Item, 1e-12);
        loss.Backward();
        double[] grad = [0.26666666666666666, -0.09999999999999999, -0.16666666666666666, -0.30332314227653984, 0.08157615701826587, 0.2217469852582739, 0.02777777777777777, 0.02777777777777777, -0.05555555555555556];
        Assert.Equal(grad, x.Grad!.ToFlatArray(), new Close(1e-15));

        var f = Tensor.From(SoftmaxTests.ToFloat(Logits), requiresGrad: true);
        var floatLoss = Loss.CrossEntropy(f, Tensor.From(SoftmaxTests.ToFloat(Probabilities)));
        Assert.Equal(367.8354187011719f, floatLoss.Item, 3e-5f);
        floatLoss.Backward();
        float[] floatGrad = [0.2666667103767395f, -0.10000000894069672f, -0.1666666716337204f, -0.3033231496810913f, 0.08157616853713989f, 0.2217470109462738f, 0.027777772396802902f, 0.027777772396802902f, -0.0555555634200573f];
        Assert.Equal(floatGrad, f.Grad!.ToFlatArray(), new CloseF(1e-7f));
    }

    // Logits far from 0 (a row's maximum m with |m|·ε above the loss's last bit): the loss must be ln Σ e^(x − m) − (x_label − m),
    // not (m + ln Σ e^(x − m)) − x_label, whose sum m + ln Σ … rounds to m's last bit (1e4 in float: 1.0759277 for 1.0759540,
    // and the gradient's softmax summed to 2 over a tied row); PyTorch's values (1.13, CPU):
    // x = [[1e4 + 0.5, 1e4, 1e4 − 1, 1e4 + 0.25], [−3, 1e4, 1e4, 2]], F.cross_entropy(x, [1, 2]) in float, and with 1e12 in double.
    [Fact]
    public void CrossEntropy_with_labels_of_logits_far_from_zero_matches_pytorch()
    {
        var f = Tensor.From(new float[,] { { 1e4f + 0.5f, 1e4f, 1e4f - 1, 1e4f + 0.25f }, { -3, 1e4f, 1e4f, 2 } }, requiresGrad: true);
        var floatLoss = Loss.CrossEntropy(f, [1, 2]);
        floatLoss.Backward();
        Assert.Equal(1.0759539604187012f, floatLoss.Item, new CloseF(2.5e-7f));
        float[] floatGrad = [0.19168385863304138f, -0.38373786211013794f, 0.042770445346832275f, 0.1492835432291031f, 0f, 0.25f, -0.25f, 0f];
        Assert.Equal(floatGrad, f.Grad!.ToFlatArray(), new CloseF(2.5e-7f));

        var x = Tensor.From(new double[,] { { 1e12 + 0.5, 1e12, 1e12 - 1, 1e12 + 0.25 }, { -3, 1e12, 1e12, 2 } }, requiresGrad: true);
        var loss = Loss.CrossEntropyOfLabels(x, Tensor.From(new double[,] { { 1 }, { 2 } }));
        loss.Backward();
        Assert.Equal(1.075953901976015, loss.Item, new Close(5e-16));
        double[] grad = [0.19168386432749984, -0.3837378593131746, 0.04277045134526495, 0.1492835436404098, 0, 0.25, -0.25, 0];
        Assert.Equal(grad, x.Grad!.ToFlatArray(), new Close(5e-16));
    }

    [Fact]
    public void Bad_labels_and_shapes_name_the_loss_and_the_shapes()
    {
        var x = Tensor.Zeros<double>(3, 4);
        Assert.Equal("CrossEntropy: 2 labels for 3×4 logits; need one label per row (3). (Parameter 'labels')",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(x, [0, 1])).Message);
        Assert.Equal("CrossEntropy: label 4 of row 2 is not a class of 3×4 logits; labels must be in 0..3. (Parameter 'labels')",
            Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, [0, 1, 4])).Message);
        Assert.StartsWith("CrossEntropy: label -1 of row 0",
            Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, [-1, 1, 2])).Message);
        Assert.StartsWith("CrossEntropy: the logits are 3×4 but the target probabilities are 3×3; they must match",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(x, Tensor.Zeros<double>(3, 3))).Message);
        Assert.Throws<ArgumentNullException>(() => Loss.CrossEntropy(x, (int[])null!));
        Assert.Throws<ArgumentNullException>(() => Loss.CrossEntropy<double>(null!, Labels));
    }

    [Fact]
    public void A_label_array_changed_after_the_forward_pass_does_not_change_the_gradient()
    {
        var x = Tensor.From(Logits, requiresGrad: true);
        int[] labels = [1, 2, 0];
        var loss = Loss.CrossEntropy(x, labels);
        labels[0] = 0;
        loss.Backward();
        Assert.Equal(-1 / 3.0, x.Grad![0, 1], 1e-15);
    }
}
