using System.Numerics;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Cross-entropy against target probabilities with PyTorch's <c>weight</c>, <c>label_smoothing</c> and
/// <c>reduction</c> (session thirteen, adv18): <c>F.cross_entropy(x, p, weight=w, label_smoothing=0.1, reduction=…)</c>
/// in PyTorch 1.13, float64 and float32 — the loss, ∂/∂x and ∂/∂p of the loss (of Σ ℓᵢ·sᵢ for 'none'), and the second
/// order ∂/∂x of Σ (∂/∂x ⊙ S) with createGraph; the compiled step gives the eager bits; refusals name the argument and
/// change nothing; without options the bits are those of the composition used before the options.
/// </summary>
public class CrossEntropyProbabilityOptionsTests
{
    private static readonly double[] X = [0.5, -1.25, 2.0, 0.75, 3.0, 0.25, -0.75, -1.5, -2.5, 1.5, 0.125, 1.0];

    private static readonly double[] P = [0.1, 0.2, 0.3, 0.4, 0.7, 0.0, 0.25, 0.05, 0.25, 0.25, 0.25, 0.25];

    private static readonly double[] W = [0.5, -1.0, 2.0, 1.5];

    private static readonly double[] S = [1.0, 2.0, -1.0, 0.5, 0.5, 0.5, 0.5, -0.25, -2.0, 1.0, 3.0, 0.75];

    private static readonly double[] NoneSeed = [0.5, -1.0, 2.0];

    private static void Close<T>(double[] expected, T[] actual, bool single, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        double tolerance = single ? 2e-6 : 1e-14;
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
        {
            double a = double.CreateTruncating(actual[i]);
            Assert.True(Math.Abs(a - expected[i]) <= tolerance * scale, $"{what} element {i}: {a:R}, PyTorch {expected[i]:R}");
        }
    }

    private static T[] Of<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T> => [.. values.Select(T.CreateTruncating)];

    /// <summary>float32?, reduction, PyTorch's loss, ∂/∂x, ∂/∂p, second order.</summary>
    public static TheoryData<bool, Reduction, double[], double[], double[], double[]> PyTorch => new()
    {
        { false, Reduction.Mean, [1.5998094851234306],
            [0.029828299375328184, 0.07684738179167143, 0.022913537145326283, -0.12958921831232587, 0.16619515786934944, 0.02593662583389753, -0.16019077725878167, -0.03194100644446531, -0.039228074708435125, 0.21647594293847794, -0.13300294306971275, -0.04424492516033006],
            [0.29058420879208535, -1.1061684175841706, 0.26233683516834155, 0.7592526263762561, 0.014099297854085405, -0.8531985957081708, 2.306397191416342, 2.0672978935622566, 0.6945060167133786, -0.18901203342675751, 1.203024066853515, 0.5085180501401363],
            [0.06659017514606207, 0.02008568578852512, -0.1407239474799821, 0.05404808654539494, 0.002088421603378394, 0.0001335083264018637, 4.911496850845185e-05, -0.002271044898288695, -0.007704223114920486, -0.021208500701812617, 0.06196509844883684, -0.03305237463210373] },
        { false, Reduction.Sum, [4.7994284553702915],
            [0.08948489812598455, 0.2305421453750143, 0.06874061143597882, -0.38876765493697757, 0.4985854736080483, 0.07780987750169259, -0.480572331776345, -0.09582301933339595, -0.11768422412530538, 0.6494278288154338, -0.39900882920913827, -0.13273477548099016],
            [0.8717526263762562, -3.3185052527525123, 0.7870105055050246, 2.2777578791287687, 0.04229789356225621, -2.5595957871245125, 6.919191574249026, 6.201893680686769, 2.0835180501401362, -0.5670361002802725, 3.6090722005605453, 1.5255541504204089],
            [0.19977052543818621, 0.060257057365575364, -0.4221718424399464, 0.1621442596361848, 0.006265264810135106, 0.00040052497920558454, 0.00014734490552535375, -0.006813134694866085, -0.023112669344761458, -0.06362550210543778, 0.1858952953465105, -0.09915712389631116] },
        { false, Reduction.None, [0.5878476197861808, 2.3640507520172167, 1.8475300835668937],
            [0.044742449062992275, 0.11527107268750715, 0.03437030571798941, -0.19438382746848878, -0.4985854736080483, -0.07780987750169259, 0.480572331776345, 0.09582301933339595, -0.23536844825061076, 1.2988556576308676, -0.7980176584182765, -0.2654695509619803],
            [0.4358763131881281, -1.6592526263762561, 0.3935052527525123, 1.1388789395643844, -0.04229789356225621, 2.5595957871245125, -6.919191574249026, -6.201893680686769, 4.1670361002802725, -1.134072200560545, 7.218144401121091, 3.0511083008408177],
            [0.09988526271909311, 0.030128528682787682, -0.2110859212199732, 0.0810721298180924, -0.006265264810135106, -0.00040052497920558454, -0.00014734490552535375, 0.006813134694866085, -0.046225338689522916, -0.12725100421087557, 0.371790590693021, -0.19831424779262233] },
        { true, Reduction.Mean, [1.5998092889785767],
            [0.029828304424881935, 0.0768473818898201, 0.02291353978216648, -0.12958920001983643, 0.16619516909122467, 0.02593662589788437, -0.16019077599048615, -0.0319410040974617, -0.03922807425260544, 0.2164759337902069, -0.13300295174121857, -0.044244930148124695],
            [0.2905842065811157, -1.106168508529663, 0.2623368501663208, 0.7592526078224182, 0.014099299907684326, -0.8531985878944397, 2.3063971996307373, 2.0672976970672607, 0.694506049156189, -0.18901203572750092, 1.20302414894104, 0.5085180401802063],
            [0.06659018248319626, 0.020085686817765236, -0.14072395861148834, 0.054048094898462296, 0.002088420558720827, 0.0001335085107712075, 4.9114951252704486e-05, -0.0022710454650223255, -0.007704222109168768, -0.02120848558843136, 0.06196509674191475, -0.033052362501621246] },
        { true, Reduction.Sum, [4.7994279861450195],
            [0.08948490023612976, 0.2305421382188797, 0.06874056905508041, -0.38876762986183167, 0.4985855221748352, 0.0778098776936531, -0.48057234287261963, -0.0958230197429657, -0.11768422275781631, 0.6494278311729431, -0.3990088403224945, -0.13273479044437408],
            [0.8717526197433472, -3.31850528717041, 0.7870105504989624, 2.2777578830718994, 0.04229789599776268, -2.559595823287964, 6.919191360473633, 6.201893329620361, 2.0835180282592773, -0.5670360922813416, 3.609072208404541, 1.5255541801452637],
            [0.19977052509784698, 0.06025705114006996, -0.42217180132865906, 0.1621442586183548, 0.006265261676162481, 0.00040052368422038853, 0.000147344617289491, -0.006813136860728264, -0.023112667724490166, -0.06362547725439072, 0.18589527904987335, -0.09915711730718613] },
        { true, Reduction.None, [0.5878475904464722, 2.3640506267547607, 1.8475301265716553],
            [0.04474245011806488, 0.11527106910943985, 0.03437028452754021, -0.19438381493091583, -0.4985855221748352, -0.0778098776936531, 0.48057234287261963, 0.0958230197429657, -0.23536844551563263, 1.2988556623458862, -0.798017680644989, -0.26546958088874817],
            [0.4358763098716736, -1.659252643585205, 0.3935052752494812, 1.1388789415359497, -0.04229789599776268, 2.559595823287964, -6.919191360473633, -6.201893329620361, 4.167036056518555, -1.134072184562683, 7.218144416809082, 3.0511083602905273],
            [0.09988526254892349, 0.03012852557003498, -0.21108590066432953, 0.0810721293091774, -0.006265261676162481, -0.00040052368422038853, -0.000147344617289491, 0.006813136860728264, -0.04622533544898033, -0.12725095450878143, 0.3717905580997467, -0.19831423461437225] },
    };

    [Theory]
    [MemberData(nameof(PyTorch))]
    public void Weighted_smoothed_probability_cross_entropy_is_PyTorchs_value_gradients_and_second_order(bool single, Reduction reduction, double[] loss, double[] gx, double[] gp, double[] second)
    {
        if (single)
        {
            Check<float>(reduction, loss, gx, gp, second, single);
        }
        else
        {
            Check<double>(reduction, loss, gx, gp, second, single);
        }
    }

    private static void Check<T>(Reduction reduction, double[] loss, double[] gx, double[] gp, double[] second, bool single)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Tensor.FromRowMajor<T>(3, 4, Of<T>(X), requiresGrad: true);
        var p = Tensor.FromRowMajor<T>(3, 4, Of<T>(P), requiresGrad: true);
        var l = Loss.CrossEntropy(x, p, Of<T>(W), 0.1, reduction);
        Close(loss, l.ToFlatArray(), single, "loss");
        var scalar = reduction == Reduction.None ? (l * Tensor.FromRowMajor<T>(3, 1, Of<T>(NoneSeed))).Sum() : l;
        var grads = Autograd.Grad(scalar, [x, p], createGraph: true);
        Close(gx, grads[0].ToFlatArray(), single, "∂/∂x");
        Close(gp, grads[1].ToFlatArray(), single, "∂/∂p");
        var s = Autograd.Grad((grads[0] * Tensor.FromRowMajor<T>(3, 4, Of<T>(S))).Sum(), [x])[0];
        Close(second, s.ToFlatArray(), single, "second order");
    }

    [Fact]
    public void Without_options_the_loss_has_the_bits_of_the_composition_it_was_before()
    {
        var x = Tensor.FromRowMajor<double>(3, 4, X, requiresGrad: true);
        var p = Tensor.FromRowMajor<double>(3, 4, P);
        var l = Loss.CrossEntropy(x, p);
        Assert.Equal(((p * x.LogSoftmax(1)).Sum() * (-1.0 / 3)).Item, l.Item);
        var ones = Loss.CrossEntropy(x, p, [1.0, 1.0, 1.0, 1.0]);
        Assert.Equal(l.Item, ones.Item);
    }

    [Fact]
    public void A_compiled_step_gives_the_eager_bits_for_each_reduction()
    {
        foreach (Reduction reduction in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
        {
            var m = Tensor.FromRowMajor<double>(4, 4, [.. Enumerable.Range(0, 16).Select(i => 0.1 * (i % 5) - 0.2)], requiresGrad: true, name: "M");
            Tensor<double> LossOf(Tensor<double> input, Tensor<double> targets) =>
                Loss.CrossEntropy(input.MatMul(m), targets, W, 0.1, reduction).Sum();
            var step = Tensor.Compile<double>(LossOf);
            var input = Tensor.FromRowMajor<double>(3, 4, X);
            var targets = Tensor.FromRowMajor<double>(3, 4, P);
            var eager = LossOf(input, targets);
            eager.Backward();
            double[] eagerGrad = m.Grad!.ToFlatArray();
            m.ZeroGrad();
            Assert.Equal(eager.Item, step.Run(input, targets));
            Assert.Equal(eagerGrad, m.Grad!.ToFlatArray());
        }
    }

    [Fact]
    public void Refusals_name_CrossEntropy_and_the_argument_and_change_nothing()
    {
        var x = Tensor.FromRowMajor<double>(3, 4, X, requiresGrad: true);
        var p = Tensor.FromRowMajor<double>(3, 4, P);
        void Refused<TException>(Func<Tensor<double>> call, string param, string message) where TException : ArgumentException
        {
            var e = Assert.Throws<TException>(call);
            Assert.Equal(param, e.ParamName);
            Assert.StartsWith(message, e.Message);
        }

        Refused<ArgumentException>(() => Loss.CrossEntropy(x, p, [1.0, 2.0]), "weight",
            "CrossEntropy: the weight has 2 entries for 3×4 logits; need one per class (4).");
        Refused<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, p, [1.0, double.NaN, 1.0, 1.0]), "weight",
            "CrossEntropy: weight[1] is NaN; class weights must be finite.");
        Refused<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, p, labelSmoothing: 1.5), "labelSmoothing",
            "CrossEntropy: labelSmoothing is 1.5; it must be in [0, 1]");
        Refused<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, p, reduction: (Reduction)7), "reduction",
            "CrossEntropy: reduction 7 is not Reduction.Mean, Reduction.Sum or Reduction.None.");
        Refused<ArgumentException>(() => Loss.CrossEntropy(x, Tensor.Zeros<double>(3, 3)), "probabilities",
            "CrossEntropy: the logits are 3×4 but the target probabilities are 3×3; they must match");
        Assert.Null(x.Grad);
        Assert.Equal(X, x.ToFlatArray());
    }
}
