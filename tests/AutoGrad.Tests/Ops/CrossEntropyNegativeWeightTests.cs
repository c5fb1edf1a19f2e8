using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Class weights that are negative or zero, which PyTorch 1.13 accepts and which were refused (session thirteen,
/// adv18): the values and gradients of <c>F.cross_entropy(x, y, weight=w, reduction=…)</c> in float64, eager and
/// compiled. A mean whose kept rows' weights sum to 0 stays refused: PyTorch returns NaN (0/0) or ±∞ there, with NaN
/// gradients — a silent non-number this library does not return.
/// </summary>
public class CrossEntropyNegativeWeightTests
{
    private static readonly double[] X = [0.5, -1.0, 2.0, 1.5, 0.25, -0.5, 0.0, 1.0, -2.0];

    private static readonly int[] Labels = [0, 1, 2];

    private static Tensor<double> Logits() => Tensor.FromRowMajor<double>(3, 3, X, requiresGrad: true);

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-14 * Math.Max(1, Math.Abs(expected[i])), $"element {i}: {actual[i]:R}, PyTorch {expected[i]:R}");
        }
    }

    public static TheoryData<double[], Reduction, double[], double[]> PyTorch => new()
    {
        { [1.0, -0.5, 2.0], Reduction.Mean, [3.0553439193168517],
            [-0.32988384314398533, 0.01564502930827498, 0.3142388138357104, -0.1406627952043548, 0.15969943443418982, -0.019036639229835, 0.20759716827393532, 0.564307610158593, -0.7719047784325282] },
        { [1.0, -0.5, 2.0], Reduction.Sum, [7.638359798292129],
            [-0.8247096078599633, 0.03911257327068745, 0.7855970345892759, -0.35165698801088696, 0.39924858608547453, -0.047591598074587495, 0.5189929206848383, 1.4107690253964824, -1.9297619460813205] },
        { [1.0, -0.5, 2.0], Reduction.None, [1.7413112966571571, -0.8009759319014009, 6.698024433536372],
            [-0.8247096078599633, 0.03911257327068745, 0.7855970345892759, -0.35165698801088696, 0.39924858608547453, -0.047591598074587495, 0.5189929206848383, 1.4107690253964824, -1.9297619460813205] },
        { [-1.0, -2.0, -0.5], Reduction.Mean, [1.8913488950419581],
            [-0.23563131653141808, 0.011175020934482128, 0.22445629559693595, 0.4018937005838708, -0.45628409838339945, 0.05439039779952856, 0.03707092290605987, 0.10076921609974873, -0.1378401390058086] },
        { [-1.0, -2.0, -0.5], Reduction.Sum, [-6.619721132646854],
            [0.8247096078599633, -0.03911257327068745, -0.7855970345892759, -1.4066279520435478, 1.5969943443418981, -0.19036639229834998, -0.12974823017120957, -0.3526922563491206, 0.4824404865203301] },
        { [1.0, -1.0, 0.0], Reduction.Sum, [0.13935943285435526],
            [-0.8247096078599633, 0.03911257327068745, 0.7855970345892759, -0.7033139760217739, 0.7984971721709491, -0.09518319614917499, 0.0, 0.0, 0.0] },
        { [0.0, 0.0, 0.0], Reduction.None, [0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0] },
    };

    [Theory]
    [MemberData(nameof(PyTorch))]
    public void Negative_and_zero_class_weights_give_PyTorchs_loss_and_gradient(double[] weight, Reduction reduction, double[] loss, double[] grad)
    {
        var x = Logits();
        var l = Loss.CrossEntropy(x, Labels, weight: weight, reduction: reduction);
        Close(loss, l.ToFlatArray());
        l.Sum().Backward(); // PyTorch: autograd.grad(l.sum(), x)
        Close(grad, x.Grad!.ToFlatArray());
    }

    [Fact]
    public void A_compiled_step_with_negative_class_weights_gives_the_eager_bits()
    {
        double[] weight = [1.0, -0.5, 2.0];
        var w = Tensor.FromRowMajor<double>(3, 3, [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, 0.8, -0.9], requiresGrad: true, name: "W");
        Tensor<double> LossOf(Tensor<double> input, Tensor<double> y) => Loss.CrossEntropyOfLabels(input.MatMul(w), y, weight: weight);
        var step = Tensor.Compile<double>(LossOf);
        var input = Tensor.FromRowMajor<double>(3, 3, X);
        var labels = Tensor.FromRowMajor<double>(3, 1, [0, 1, 2]);
        var eager = LossOf(input, labels);
        eager.Backward();
        double[] eagerGrad = w.Grad!.ToFlatArray();
        w.ZeroGrad();
        Assert.Equal(eager.Item, step.Run(input, labels));
        Assert.Equal(eagerGrad, w.Grad!.ToFlatArray());
    }

    [Theory]
    [InlineData(new[] { 1.0, -1.0, 0.0 })] // PyTorch: +∞, gradient NaN and ±∞
    [InlineData(new[] { 1.0, 1.0, -2.0 })] // PyTorch: −∞
    [InlineData(new[] { 0.0, 0.0, 0.0 })] // PyTorch: NaN
    public void A_mean_whose_class_weights_sum_to_zero_is_refused_by_name_and_changes_nothing(double[] weight)
    {
        var x = Logits();
        var error = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(x, Labels, weight: weight));
        Assert.Equal("labels", error.ParamName);
        Assert.StartsWith("CrossEntropy: the class weights of the 3 labelled rows sum to 0, so the weighted mean divides by 0 (PyTorch returns NaN or ±∞, and NaN gradients).", error.Message);
        Assert.Null(x.Grad);
        Assert.Equal(X, x.ToFlatArray());
    }
}
