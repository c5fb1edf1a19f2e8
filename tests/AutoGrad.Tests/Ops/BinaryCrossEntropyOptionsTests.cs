using System.Numerics;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Binary cross-entropy on logits with PyTorch's <c>weight</c>, <c>pos_weight</c> and <c>reduction</c> (session
/// thirteen, adv18): <c>F.binary_cross_entropy_with_logits(z, y, weight=w, pos_weight=p, reduction=…)</c> in PyTorch
/// 1.13 with an N×1 weight (one negative) and a 1×C positive weight, logits up to ±40, float64 and float32 — the loss,
/// ∂/∂z (of Σ ℓ ⊙ S for 'none') and the second order with createGraph; the compiled step gives the eager bits; refusals
/// name the argument and change nothing; without options the bits are those of before.
/// </summary>
public class BinaryCrossEntropyOptionsTests
{
    private static readonly double[] Z = [0.5, -1.25, 2.0, 0.0, 3.0, 0.25, -0.75, -30.0, -2.5, 1.5, 0.125, 40.0];

    private static readonly double[] Y = [1.0, 0.0, 0.5, 1.0, 0.0, 1.0, 0.25, 1.0, 1.0, 0.0, 0.75, 0.0];

    private static readonly double[] Weight = [1.0, 0.5, -2.0];

    private static readonly double[] PosWeight = [2.0, 0.5, 1.0, 3.0];

    private static readonly double[] S = [1.0, 2.0, -1.0, 0.5, 0.5, 0.5, 0.5, -0.25, -2.0, 1.0, 3.0, 0.75];

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

    /// <summary>float32?, reduction, PyTorch's loss, ∂/∂z, second order.</summary>
    public static TheoryData<bool, Reduction, double[], double[], double[]> PyTorch => new()
    {
        { false, Reduction.Mean, [-3.6403472439606226],
            [-0.0629234447996909, 0.01855834490210907, 0.031733089831490195, -0.125, 0.03969058861760139, -0.00912132289821254, 0.002950887534358626, -0.1249999999999883, 0.30804727332625215, -0.1362624126989406, 0.036465104437707285, -0.16666666666666666],
            [0.03916728536693241, 0.02885079783208283, -0.008749465450292216, 0.03125, 0.0009411804110606665, 0.0025638966951833163, 0.004539479036704459, -2.924257177762007e-15, 0.0467358110300721, -0.024857742011722143, -0.12451298750680874, -0.0] },
        { false, Reduction.Sum, [-43.68416692752747],
            [-0.7550813375962908, 0.22270013882530884, 0.3807970779778823, -1.5, 0.4762870634112167, -0.10945587477855048, 0.03541065041230351, -1.4999999999998597, 3.6965672799150258, -1.6351489523872873, 0.4375812532524874, -2.0],
            [0.470007424403189, 0.346209573984994, -0.10499358540350662, 0.375, 0.011294164932728, 0.030766760342199793, 0.05447374844045351, -3.509108613314409e-14, 0.5608297323608652, -0.2982929041406657, -1.494155850081705, -0.0] },
        { false, Reduction.None, [0.9481539683602134, 0.25192908134537295, 1.1269280110429727, 2.0794415416798357, 1.524293675786871, 0.14398485496971092, 0.28718550305744994, 45.00000000000014, -10.315558937170199, -3.402826555965505, -1.3276980706343382, -80.0],
            [-0.7550813375962908, 0.4454002776506177, -0.3807970779778823, -0.75, 0.23814353170560834, -0.05472793738927524, 0.017705325206151756, 0.3749999999999649, -7.3931345598300515, -1.6351489523872873, 1.3127437597574623, -1.5],
            [0.470007424403189, 0.692419147969988, 0.10499358540350662, 0.1875, 0.005647082466364, 0.015383380171099897, 0.027236874220226755, 8.772771533286022e-15, -1.1216594647217304, -0.2982929041406657, -4.482467550245114, -0.0] },
        { true, Reduction.Mean, [-3.6403472423553467],
            [-0.06292343884706497, 0.01855834387242794, 0.031733084470033646, -0.125, 0.03969058766961098, -0.009121322073042393, 0.0029508869629353285, -0.125, 0.30804726481437683, -0.13626240193843842, 0.03646509721875191, -0.1666666716337204],
            [0.039167288690805435, 0.028850797563791275, -0.008749469183385372, 0.03125, 0.0009411803330294788, 0.0025638968218117952, 0.004539479035884142, -2.924257371826936e-15, 0.04673581197857857, -0.024857746437191963, -0.12451298534870148, -0.0] },
        { true, Reduction.Sum, [-43.684165954589844],
            [-0.755081295967102, 0.22270013391971588, 0.38079702854156494, -1.5, 0.4762870669364929, -0.10945586860179901, 0.03541064262390137, -1.5, 3.6965672969818115, -1.6351488828659058, 0.4375811815261841, -2.0],
            [0.47000741958618164, 0.3462095856666565, -0.10499362647533417, 0.375, 0.011294163763523102, 0.03076675906777382, 0.054473746567964554, -3.5091087614890284e-14, 0.5608296990394592, -0.29829293489456177, -1.4941558837890625, -0.0] },
        { true, Reduction.None, [0.9481539726257324, 0.25192904472351074, 1.1269280910491943, 2.079441547393799, 1.5242936611175537, 0.143984854221344, 0.2871854901313782, 45.0, -10.315559387207031, -3.4028267860412598, -1.327697992324829, -80.0],
            [-0.755081295967102, 0.44540026783943176, -0.38079702854156494, -0.75, 0.23814353346824646, -0.054727934300899506, 0.017705321311950684, 0.375, -7.393134593963623, -1.6351488828659058, 1.3127435445785522, -1.5],
            [0.47000741958618164, 0.692419171333313, 0.10499362647533417, 0.1875, 0.005647081881761551, 0.01538337953388691, 0.027236873283982277, 8.772771903722571e-15, -1.1216593980789185, -0.29829293489456177, -4.4824676513671875, -0.0] },
    };

    [Theory]
    [MemberData(nameof(PyTorch))]
    public void Weighted_binary_cross_entropy_is_PyTorchs_value_gradient_and_second_order(bool single, Reduction reduction, double[] loss, double[] gz, double[] second)
    {
        if (single)
        {
            Check<float>(reduction, loss, gz, second, single);
        }
        else
        {
            Check<double>(reduction, loss, gz, second, single);
        }
    }

    private static void Check<T>(Reduction reduction, double[] loss, double[] gz, double[] second, bool single)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var z = Tensor.FromRowMajor<T>(3, 4, Of<T>(Z), requiresGrad: true);
        var y = Tensor.FromRowMajor<T>(3, 4, Of<T>(Y));
        var s = Tensor.FromRowMajor<T>(3, 4, Of<T>(S));
        var l = Loss.BinaryCrossEntropyWithLogits(z, y, Tensor.FromRowMajor<T>(3, 1, Of<T>(Weight)), Tensor.FromRowMajor<T>(1, 4, Of<T>(PosWeight)), reduction);
        Close(loss, l.ToFlatArray(), single, "loss");
        var scalar = reduction == Reduction.None ? (l * s).Sum() : l;
        var g = Autograd.Grad(scalar, [z], createGraph: true)[0];
        Close(gz, g.ToFlatArray(), single, "∂/∂z");
        Close(second, Autograd.Grad((g * s).Sum(), [z])[0].ToFlatArray(), single, "second order");
    }

    [Fact]
    public void Without_options_or_with_unit_weights_the_loss_has_the_bits_it_had()
    {
        var z = Tensor.FromRowMajor<double>(3, 4, Z, requiresGrad: true);
        var y = Tensor.FromRowMajor<double>(3, 4, Y);
        double plain = Loss.BinaryCrossEntropyWithLogits(z, y).Item;
        Assert.Equal(z.BinaryCrossEntropyWithLogitsElements(y).Mean().Item, plain);
        Assert.Equal(plain, Loss.BinaryCrossEntropyWithLogits(z, y, Tensor.Full(1, 1, 1.0), Tensor.Full(1, 4, 1.0)).Item);
        Assert.Equal(z.BinaryCrossEntropyWithLogitsElements(y).Sum().Item, Loss.BinaryCrossEntropyWithLogits(z, y, reduction: Reduction.Sum).Item);
    }

    [Fact]
    public void A_compiled_step_gives_the_eager_bits_and_reads_the_weights_on_every_call()
    {
        var m = Tensor.FromRowMajor<double>(4, 4, [.. Enumerable.Range(0, 16).Select(i => 0.1 * (i % 5) - 0.2)], requiresGrad: true, name: "M");
        var weight = Tensor.FromRowMajor<double>(3, 1, Weight);
        var posWeight = Tensor.FromRowMajor<double>(1, 4, PosWeight);
        Tensor<double> LossOf(Tensor<double> input, Tensor<double> targets) =>
            Loss.BinaryCrossEntropyWithLogits(input.MatMul(m), targets, weight, posWeight, Reduction.Sum);
        var step = Tensor.Compile<double>(LossOf);
        var input = Tensor.FromRowMajor<double>(3, 4, Z);
        var targets = Tensor.FromRowMajor<double>(3, 4, Y);
        for (int call = 0; call < 2; call++)
        {
            var eager = LossOf(input, targets);
            eager.Backward();
            double[] eagerGrad = m.Grad!.ToFlatArray();
            m.ZeroGrad();
            Assert.Equal(eager.Item, step.Run(input, targets));
            Assert.Equal(eagerGrad, m.Grad!.ToFlatArray());
            m.ZeroGrad();
            posWeight.Fill(0.75 + call); // the next call reads the new values, as the eager function would
        }
        Assert.Equal(1, step.TraceCount);
    }

    [Fact]
    public void Refusals_name_BinaryCrossEntropyWithLogits_and_the_argument_and_change_nothing()
    {
        var z = Tensor.FromRowMajor<double>(3, 4, Z, requiresGrad: true);
        var y = Tensor.FromRowMajor<double>(3, 4, Y);
        void Refused<TException>(Func<Tensor<double>> call, string param, string message) where TException : ArgumentException
        {
            var e = Assert.Throws<TException>(call);
            Assert.Equal(param, e.ParamName);
            Assert.StartsWith(message, e.Message);
        }

        Refused<ArgumentException>(() => Loss.BinaryCrossEntropyWithLogits(z, y, Tensor.Zeros<double>(2, 4)), "weight",
            "BinaryCrossEntropyWithLogits: the weight is 2×4, which does not broadcast to the logits' 3×4; give it that shape, a 1×4 row, a 3×1 column or 1×1.");
        Refused<ArgumentException>(() => Loss.BinaryCrossEntropyWithLogits(z, y, posWeight: Tensor.Zeros<double>(1, 3)), "posWeight",
            "BinaryCrossEntropyWithLogits: the posWeight is 1×3, which does not broadcast to the logits' 3×4;");
        Refused<ArgumentOutOfRangeException>(() => Loss.BinaryCrossEntropyWithLogits(z, y, reduction: (Reduction)(-1)), "reduction",
            "BinaryCrossEntropyWithLogits: reduction -1 is not Reduction.Mean, Reduction.Sum or Reduction.None.");
        Refused<ArgumentException>(() => Loss.BinaryCrossEntropyWithLogits(z, Tensor.Zeros<double>(3, 3)), "targets",
            "BinaryCrossEntropyWithLogits: the logits are 3×4 but the targets are 3×3; they must match.");
        Assert.Throws<ArgumentNullException>(() => Loss.BinaryCrossEntropyWithLogits(z, null!));
        Assert.Null(z.Grad);
        Assert.Equal(Z, z.ToFlatArray());
    }
}
