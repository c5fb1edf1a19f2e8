using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Cross-entropy with PyTorch's <c>weight</c>, <c>label_smoothing</c> and <c>reduction</c> (session twelve, nn19), as
/// <c>F.cross_entropy(x, y, weight=w, ignore_index=-100, label_smoothing=0.2, reduction=…)</c>: row i's term
/// ℓᵢ = (1 − ε)·w_yᵢ·(−log pᵢ,yᵢ) + (ε/C)·Σⱼ wⱼ·(−log pᵢⱼ), the mean dividing by the kept rows' weights. The expected
/// numbers are PyTorch 1.13's, float64 and float32, eager, second order (createGraph) and compiled; refusals change nothing.
/// </summary>
public class CrossEntropyWeightSmoothingTests
{
    private static readonly double[,] X =
    {
        { 0.5, -1.25, 2.0 }, { 3.0, 0.25, -0.75 }, { -2.5, 1.5, 0.125 }, { 1.0, -0.5, 0.75 },
    };

    private static readonly int[] Labels = [2, -100, 0, 1];

    private static readonly double[] Weight = [0.5, 2.0, 1.25];

    private const double Smoothing = 0.2;

    private static readonly double[,] W =
    {
        { 1.0, 2.0, -1.0 }, { 0.5, 0.5, 0.5 }, { -2.0, 1.0, 3.0 }, { 0.25, -0.75, 1.5 },
    };

    // reduction='none' is seeded with (l * seed).sum()
    private static readonly double[] NoneSeed = [0.5, -1.0, 2.0, 0.75];

    /// <summary>PyTorch 1.13, float64: the loss (four values for 'none'), ∂/∂x, and ∂/∂x of (∂/∂x ⊙ W).sum() with create_graph=True.</summary>
    private static readonly Dictionary<Reduction, (double[] Loss, double[,] Grad, double[,] Second)> Torch64 = new()
    {
        [Reduction.Mean] = ([1.7821120894555658],
            new double[,]
            {
                { 0.05005117181359254, -0.025313308780076746, -0.024737863033515786 }, { 0, 0, 0 },
                { -0.1130580551291191, 0.1008033474348648, 0.012254707694254293 }, { 0.2375398578189638, -0.4072365365041222, 0.1696966786851583 },
            },
            new double[,]
            {
                { 0.09160342905120104, 0.02616053587528908, -0.11776396492649013 }, { 0, 0, 0 },
                { -0.008378076870831095, -0.04835078901159076, 0.05672886588242184 }, { -0.09236729220974935, -0.0755956144213382, 0.16796290663108762 },
            }),
        [Reduction.Sum] = ([6.6829203354583715],
            new double[,]
            {
                { 0.18769189430097205, -0.0949249079252878, -0.09276698637568417 }, { 0, 0, 0 },
                { -0.4239677067341966, 0.378012552880743, 0.045955153853453605 }, { 0.8907744668211143, -1.5271370118904584, 0.6363625450693438 },
            },
            new double[,]
            {
                { 0.34351285894200395, 0.09810200953233406, -0.441614868474338 }, { 0, 0, 0 },
                { -0.0314177882656166, -0.18131545879346533, 0.21273324705908192 }, { -0.34637734578656004, -0.2834835540800183, 0.6298608998665786 },
            }),
        [Reduction.None] = ([0.7741108122108742, 0, 2.0038686450706233, 3.904940878176875],
            new double[,]
            {
                { 0.09384594715048603, -0.0474624539626439, -0.04638349318784209 }, { 0, 0, 0 },
                { -0.8479354134683932, 0.756025105761486, 0.09191030770690721 }, { 0.6680808501158357, -1.1453527589178438, 0.4772719088020078 },
            },
            new double[,]
            {
                { 0.17175642947100198, 0.04905100476616703, -0.220807434237169 }, { 0, 0, 0 },
                { -0.0628355765312332, -0.36263091758693067, 0.42546649411816384 }, { -0.2597830093399201, -0.21261266556001374, 0.47239567489993406 },
            }),
    };

    /// <summary>PyTorch 1.13, float32: the loss and ∂/∂x.</summary>
    private static readonly Dictionary<Reduction, (double[] Loss, double[,] Grad)> Torch32 = new()
    {
        [Reduction.Mean] = ([1.7821122407913208],
            new double[,]
            {
                { 0.05005117133259773, -0.025313308462500572, -0.024737875908613205 }, { 0, 0, 0 },
                { -0.11305805295705795, 0.10080333799123764, 0.012254709377884865 }, { 0.2375398725271225, -0.4072365462779999, 0.16969667375087738 },
            }),
        [Reduction.Sum] = ([6.682920932769775],
            new double[,]
            {
                { 0.18769188225269318, -0.0949249118566513, -0.09276705980300903 }, { 0, 0, 0 },
                { -0.42396771907806396, 0.3780125081539154, 0.04595515504479408 }, { 0.8907744884490967, -1.527137041091919, 0.6363625526428223 },
            }),
        [Reduction.None] = ([0.7741108536720276, 0, 2.003868818283081, 3.9049410820007324],
            new double[,]
            {
                { 0.09384594112634659, -0.04746245592832565, -0.04638352990150452 }, { 0, 0, 0 },
                { -0.8479354381561279, 0.7560250163078308, 0.09191031008958817 }, { 0.6680808663368225, -1.145352840423584, 0.4772719144821167 },
            }),
    };

    public static TheoryData<Reduction> Reductions => [Reduction.Mean, Reduction.Sum, Reduction.None];

    private static Tensor<T> LabelTensor<T>(int[] labels) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Tensor.FromRowMajor(labels.Length, 1, labels.Select(l => T.CreateChecked(l)).ToArray());

    private static Tensor<double> Seeded(Tensor<double> loss, Reduction reduction) =>
        reduction == Reduction.None ? (loss * Tensor.FromRowMajor(4, 1, NoneSeed)).Sum() : loss;

    private static Tensor<double> Loss64(Tensor<double> x, bool tensorLabels, Reduction reduction) => tensorLabels
        ? Loss.CrossEntropyOfLabels(x, LabelTensor<double>(Labels), -100, Weight, Smoothing, reduction)
        : Loss.CrossEntropy(x, Labels, -100, Weight, Smoothing, reduction);

    private static void Close(double[,] expected, double[,] actual, double tolerance)
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

    private static void Close(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void The_loss_and_gradient_are_PyTorchs_in_double(Reduction reduction)
    {
        var (loss, grad, _) = Torch64[reduction];
        foreach (bool tensorLabels in new[] { false, true })
        {
            var x = Tensor.From(X, requiresGrad: true);
            var l = Loss64(x, tensorLabels, reduction);
            Assert.Equal(reduction == Reduction.None ? new Shape(4, 1) : new Shape(1, 1), l.Shape);
            Close(loss, l.ToFlatArray(), 1e-15);
            Seeded(l, reduction).Backward();
            Close(grad, x.Grad!.ToArray(), 1e-15);
        }
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void The_loss_and_gradient_are_PyTorchs_in_float(Reduction reduction)
    {
        var (loss, grad) = Torch32[reduction];
        float[,] xf = new float[4, 3];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                xf[i, j] = (float)X[i, j];
            }
        }
        float[] weight = Weight.Select(w => (float)w).ToArray();
        foreach (bool tensorLabels in new[] { false, true })
        {
            var x = Tensor.From(xf, requiresGrad: true);
            var l = tensorLabels
                ? Loss.CrossEntropyOfLabels(x, LabelTensor<float>(Labels), -100, weight, Smoothing, reduction)
                : Loss.CrossEntropy(x, Labels, -100, weight, Smoothing, reduction);
            Close(loss, l.ToFlatArray().Select(v => (double)v).ToArray(), 4e-7);
            (reduction == Reduction.None ? (l * Tensor.FromRowMajor(4, 1, NoneSeed.Select(v => (float)v).ToArray())).Sum() : l).Backward();
            float[] g = x.Grad!.ToFlatArray();
            Close(grad, new double[,]
            {
                { g[0], g[1], g[2] }, { g[3], g[4], g[5] }, { g[6], g[7], g[8] }, { g[9], g[10], g[11] },
            }, 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void The_recorded_gradient_and_its_own_gradient_are_PyTorchs(Reduction reduction)
    {
        var (_, grad, second) = Torch64[reduction];
        foreach (bool tensorLabels in new[] { false, true })
        {
            var x = Tensor.From(X, requiresGrad: true);
            var g = Autograd.Grad(Seeded(Loss64(x, tensorLabels, reduction), reduction), [x], createGraph: true)[0];
            Close(grad, g.ToArray(), 1e-15);
            var h = Autograd.Grad((g * Tensor.From(W)).Sum(), [x])[0];
            Close(second, h.ToArray(), 1e-14);
        }
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void A_compiled_step_gives_the_eager_bits_with_each_calls_labels(Reduction reduction)
    {
        int[] other = [1, 1, -100, 0];
        var p = Tensor.From(X, requiresGrad: true, name: "p");
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Seeded(Loss.CrossEntropyOfLabels(x + p, y, -100, Weight, Smoothing, reduction), reduction));
        var zero = Tensor.Zeros<double>(4, 3);
        foreach (int[] labels in new[] { Labels, other, Labels })
        {
            p.ZeroGrad();
            double compiled = step.Run(zero, LabelTensor<double>(labels));
            double[] compiledGrad = p.Grad!.ToFlatArray();
            var eager = Tensor.From(X, requiresGrad: true);
            var l = Seeded(Loss.CrossEntropy(eager, labels, -100, Weight, Smoothing, reduction), reduction);
            l.Backward();
            Assert.Equal(l.Item, compiled);
            Assert.Equal(eager.Grad!.ToFlatArray(), compiledGrad);
        }
        Assert.Equal(1, step.TraceCount);
        Close(Torch64[reduction].Grad, p.Grad!.ToArray(), 1e-15);
    }

    [Fact]
    public void Weights_of_one_and_no_smoothing_give_the_plain_losss_bits()
    {
        var x = Tensor.From(X, requiresGrad: true);
        var plain = Loss.CrossEntropy(x, Labels, -100);
        plain.Backward();
        var y = Tensor.From(X, requiresGrad: true);
        var ones = Loss.CrossEntropy(y, Labels, -100, [1.0, 1.0, 1.0], 0, Reduction.Mean);
        ones.Backward();
        Assert.Equal(plain.Item, ones.Item);
        Assert.Equal(x.Grad!.ToFlatArray(), y.Grad!.ToFlatArray());
        Assert.Equal("CrossEntropy(ignoreIndex: -100, weight)", ones.Creator!.Name);
    }

    [Fact]
    public void Sum_and_none_of_an_all_ignored_batch_are_zero_as_PyTorchs()
    {
        var x = Tensor.From(X, requiresGrad: true);
        int[] ignored = [-100, -100, -100, -100];
        Assert.Equal(0, Loss.CrossEntropy(x, ignored, -100, Weight, 0.1, Reduction.Sum).Item);
        var none = Loss.CrossEntropy(x, ignored, -100, Weight, 0.1, Reduction.None);
        Assert.Equal(new double[4], none.ToFlatArray());
        none.Sum().Backward();
        Assert.Equal(new double[12], x.Grad!.ToFlatArray());
    }

    [Fact]
    public void Refusals_name_CrossEntropy_the_argument_and_change_nothing()
    {
        var x = Tensor.From(X, requiresGrad: true);
        void Refused<TException>(Func<Tensor<double>> call, string param, string message) where TException : ArgumentException
        {
            var e = Assert.Throws<TException>(call);
            Assert.Equal(param, e.ParamName);
            Assert.StartsWith(message, e.Message);
        }

        Refused<ArgumentException>(() => Loss.CrossEntropy(x, Labels, -100, [1.0, 2.0]), "weight",
            "CrossEntropy: the weight has 2 entries for 4×3 logits; need one per class (3).");
        Refused<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, Labels, -100, [1.0, 1.0, double.NaN]), "weight",
            "CrossEntropy: weight[2] is NaN; class weights must be finite.");
        Refused<ArgumentOutOfRangeException>(() => Loss.CrossEntropyOfLabels(x, LabelTensor<double>(Labels), -100, [double.PositiveInfinity, 1.0, 1.0]), "weight",
            "CrossEntropyOfLabels: weight[0] is Infinity; class weights must be finite.");
        Refused<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, Labels, -100, labelSmoothing: 1.5), "labelSmoothing",
            "CrossEntropy: labelSmoothing is 1.5; it must be in [0, 1] (0 is no smoothing, 1 the uniform target).");
        Refused<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, Labels, -100, labelSmoothing: -0.25), "labelSmoothing",
            "CrossEntropy: labelSmoothing is -0.25; it must be in [0, 1]");
        Refused<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, Labels, -100, labelSmoothing: double.NaN), "labelSmoothing",
            "CrossEntropy: labelSmoothing is NaN; it must be in [0, 1]");
        Refused<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, Labels, -100, reduction: (Reduction)7), "reduction",
            "CrossEntropy: reduction 7 is not Reduction.Mean, Reduction.Sum or Reduction.None.");
        Refused<ArgumentException>(() => Loss.CrossEntropy(x, [0, 0, -100, 0], -100, [0.0, 1.0, 1.0]), "labels",
            "CrossEntropy: the class weights of the 3 labelled rows sum to 0, so the weighted mean divides by 0 (PyTorch returns NaN or ±∞, and NaN gradients). " +
            "Skip this batch, or use reduction: Reduction.Sum.");
        Refused<ArgumentException>(() => Loss.CrossEntropy(x, [-100, -100, -100, -100], -100, Weight, 0.1), "labels",
            "CrossEntropy: all 4 labels are the ignoreIndex -100, so the mean is over no rows (0/0; PyTorch returns NaN).");
        Assert.Equal(X, x.ToArray());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void A_compiled_step_refuses_a_zero_weight_batch_changing_nothing()
    {
        var model = new Mlp<double>([3, 5, 3], Activation.Relu, new Random(1));
        var step = Tensor.Compile((Tensor<double> input, Tensor<double> y) => Loss.CrossEntropyOfLabels(model.Forward(input), y, -100, [0.0, 1.0, 2.0], 0.1),
            new Sgd<double>(model.Parameters, 0.1));
        var batch = Tensor.From(X);
        step.Run(batch, LabelTensor<double>(Labels));
        var parameters = model.Parameters.Select(t => t.ToFlatArray()).ToArray();
        var gradients = model.Parameters.Select(t => t.Grad!.ToFlatArray()).ToArray();
        var refused = Assert.Throws<ArgumentException>(() => step.Run(batch, LabelTensor<double>([0, -100, 0, 0])));
        Assert.StartsWith("CrossEntropyOfLabels: the class weights of the 3 labelled rows sum to 0", refused.Message);
        Assert.Equal(parameters, model.Parameters.Select(t => t.ToFlatArray()).ToArray());
        Assert.Equal(gradients, model.Parameters.Select(t => t.Grad!.ToFlatArray()).ToArray());
    }

    [Fact]
    public void The_array_of_weights_is_copied()
    {
        double[] weight = [0.5, 2.0, 1.25];
        var x = Tensor.From(X, requiresGrad: true);
        var loss = Loss.CrossEntropy(x, Labels, -100, weight, Smoothing);
        weight[0] = 100;
        loss.Backward();
        Close(Torch64[Reduction.Mean].Grad, x.Grad!.ToArray(), 1e-15);
    }

    [Fact]
    public void The_gradient_matches_finite_differences_for_any_weights_smoothing_labels_and_reduction() =>
        Properties.Check(Arb.From(
            from m in Gens.Matrix(Gens.Value)
            from labels in Gen.ArrayOf(Gen.Choose(-1, m.Cols - 1), m.Rows)
            from weight in Gen.ArrayOf(Gen.Choose(0, 3000).Select(k => k / 1000.0), m.Cols)
            from smoothing in Gen.Choose(0, 999).Select(k => k / 1000.0)
            from reduction in Gen.Elements(Reduction.Mean, Reduction.Sum, Reduction.None)
            where reduction != Reduction.Mean || labels.Any(l => l >= 0 && weight[l] > 0)
            select (m, labels, weight, smoothing, reduction)), c =>
        {
            var seed = Tensor.FromRowMajor(c.m.Rows, 1, Enumerable.Range(0, c.m.Rows).Select(i => 1.0 - 0.375 * i).ToArray());
            Properties.AssertGradCheck(inputs =>
            {
                var loss = Loss.CrossEntropy(inputs[0], c.labels, -1, c.weight, c.smoothing, c.reduction);
                return c.reduction == Reduction.None ? (loss * seed).Sum() : loss;
            }, c.m.ToTensor(requiresGrad: true));
        });

    [Fact]
    public void A_smoothing_of_one_is_the_uniform_target_as_PyTorch_accepts_it()
    {
        // F.cross_entropy(X, y, weight=w, ignore_index=-100, label_smoothing=1.0) and, unweighted, with labels [2, 1, 0, 1]
        var x = Tensor.From(X, requiresGrad: true);
        var loss = Loss.CrossEntropy(x, Labels, -100, Weight, labelSmoothing: 1);
        loss.Backward();
        Assert.Equal(1.6583312078195838, loss.Item, 14);
        double[] torch = [0.014495616258036989, -0.16753553100229895, 0.15303991474426196, 0, 0, 0,
            -0.039641559008989684, 0.08445088181918445, -0.044809322810194736, 0.12206146549329386, -0.1406252874277102, 0.018563821934416278];
        double[] grad = x.Grad!.ToFlatArray();
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(torch[i], grad[i], 15);
        }
        var plain = Tensor.From(X, requiresGrad: true);
        var uniform = Loss.CrossEntropy(plain, [2, 1, 0, 1], labelSmoothing: 1);
        uniform.Backward();
        Assert.Equal(1.8438729390903, uniform.Item, 14);
        Assert.Equal(-0.039128287806472255, plain.Grad![0, 0], 15);
        Assert.Equal(0.1465632227576617, plain.Grad![1, 0], 15);
    }
}
