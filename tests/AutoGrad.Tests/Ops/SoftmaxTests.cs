using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>LogSumExp, Softmax and LogSoftmax: one family, shifted by the lane's maximum.</summary>
public class SoftmaxTests
{
    private static readonly FsCheck.Arbitrary<(Matrix m, int axis)> MatrixAndAxis =
        Arb.From(from m in Gens.Matrix(Gens.Value) from axis in Gen.Elements(0, 1) select (m, axis));

    // torch.tensor([[1000., -1000., 0.], [1., 2., 3.], [0., 0., 0.]]) in float64 and float32
    private static readonly double[,] Logits = { { 1000, -1000, 0 }, { 1, 2, 3 }, { 0, 0, 0 } };

    [Fact]
    public void LogSumExp_gradient_matches_finite_differences() =>
        Properties.Check(MatrixAndAxis, c => Properties.AssertGradCheck(x => x[0].LogSumExp(c.axis), c.m.ToTensor()));

    [Fact]
    public void Softmax_gradient_matches_finite_differences() =>
        Properties.Check(MatrixAndAxis, c => Properties.AssertGradCheck(x => x[0].Softmax(c.axis), c.m.ToTensor()));

    [Fact]
    public void LogSoftmax_gradient_matches_finite_differences() =>
        Properties.Check(MatrixAndAxis, c => Properties.AssertGradCheck(x => x[0].LogSoftmax(c.axis), c.m.ToTensor()));

    [Fact]
    public void The_family_agrees_with_the_naive_formulas_where_those_do_not_overflow() =>
        Properties.Check(MatrixAndAxis, c =>
        {
            var x = c.m.ToTensor(requiresGrad: false);
            var naiveLse = x.Exp().Sum(c.axis).Log();
            AssertClose(naiveLse, x.LogSumExp(c.axis), 1e-14);
            AssertClose(x.Exp() / x.Exp().Sum(c.axis), x.Softmax(c.axis), 1e-15);
            AssertClose(x - naiveLse, x.LogSoftmax(c.axis), 1e-14);
        });

    [Fact]
    public void Softmax_lanes_sum_to_one_and_its_gradient_of_a_constant_upstream_is_zero() =>
        Properties.Check(MatrixAndAxis, c =>
        {
            var x = c.m.ToTensor();
            var y = x.Softmax(c.axis);
            Assert.All(y.Sum(c.axis).ToFlatArray(), s => Assert.Equal(1.0, s, 1e-15));
            y.Sum().Backward(); // Σ softmax = number of lanes, whatever x
            Assert.All(x.Grad!.ToFlatArray(), g => Assert.Equal(0.0, g, 1e-15));
        });

    [Fact]
    public void LogSumExp_at_logits_of_plus_minus_1000_matches_pytorch()
    {
        var x = Tensor.From(Logits, requiresGrad: true);
        Assert.Equal([1000.0, 3.4076059644443806, 1.0986122886681098], x.LogSumExp(1).ToFlatArray(), new Close(1e-15));
        Assert.Equal([1000.0, 2.1269280110429727, 3.0949229564209606], x.LogSumExp(0).ToFlatArray(), new Close(1e-15));
        x.LogSumExp(1).Sum().Backward(); // the gradient of LogSumExp is the softmax
        Assert.Equal(x.Softmax(1).ToFlatArray(), x.Grad!.ToFlatArray(), new Close(1e-15));
        var f = Tensor.From(ToFloat(Logits));
        Assert.Equal([1000f, 3.4076058864593506f, 1.0986123085021973f], f.LogSumExp(1).ToFlatArray());
    }

    // Far from 0 the result r = m + ln Σ e^(x − m) rounds to m's last bit, so e^(x − r) — PyTorch's backward too, which
    // gives [1, 1] for logsumexp([1e10, 1e10]) in float — is not the softmax; the gradient is the softmax, [0.5, 0.5],
    // in a plain and a recorded pass alike.
    [Fact]
    public void LogSumExp_gradient_far_from_zero_is_the_softmax()
    {
        var f = Tensor.From(new float[,] { { 1e10f, 1e10f }, { 1e4f + 0.5f, 1e4f } }, requiresGrad: true);
        f.LogSumExp(1).Sum().Backward();
        Assert.Equal([0.5f, 0.5f, 0.62245935f, 0.37754068f], f.Grad!.ToFlatArray(), new CloseF(1e-7f));

        var x = Tensor.From(new double[,] { { 1e20, 1e20 }, { 1e12 + 0.5, 1e12 } }, requiresGrad: true);
        double[] softmax = [0.5, 0.5, 0.6224593312018546, 0.3775406687981454];
        Assert.Equal(softmax, Autograd.Grad(x.LogSumExp(1).Sum(), [x])[0].ToFlatArray(), new Close(1e-15));
        Assert.Equal(softmax, Autograd.Grad(x.LogSumExp(1).Sum(), [x], createGraph: true)[0].ToFlatArray(), new Close(1e-15));
    }

    // A lane holding +∞: r = +∞, and PyTorch's e^(x − r) is 0 at the finite elements and NaN at the ∞; the softmax form
    // keeps that (shifted by 0, as the forward pass), where shifting by the ∞ itself would make the whole lane NaN.
    [Fact]
    public void LogSumExp_gradient_of_a_lane_holding_plus_infinity_is_zero_at_its_finite_elements()
    {
        var x = Tensor.From(new double[,] { { double.PositiveInfinity, 1, -2 } }, requiresGrad: true);
        x.LogSumExp(1).Backward();
        double[] grad = x.Grad!.ToFlatArray();
        Assert.True(double.IsNaN(grad[0]));
        Assert.Equal([0.0, 0.0], grad[1..]);
    }

    [Fact]
    public void Softmax_at_logits_of_plus_minus_1000_matches_pytorch()
    {
        double[] expected = [1.0, 0.0, 0.0, 0.09003057317038045, 0.2447284710547976, 0.6652409557748218, 1 / 3.0, 1 / 3.0, 1 / 3.0];
        Assert.Equal(expected, Tensor.From(Logits).Softmax(1).ToFlatArray(), new Close(1e-16));
        float[] expectedFloat = [1f, 0f, 0f, 0.09003057330846786f, 0.2447284758090973f, 0.6652409434318542f, 0.3333333432674408f, 0.3333333432674408f, 0.3333333432674408f];
        Assert.Equal(expectedFloat, Tensor.From(ToFloat(Logits)).Softmax(1).ToFlatArray(), new CloseF(1e-7f));
    }

    [Fact]
    public void LogSoftmax_at_logits_of_plus_minus_1000_is_finite_and_matches_pytorch()
    {
        double[] expected = [0.0, -2000.0, -1000.0, -2.4076059644443806, -1.4076059644443804, -0.4076059644443804, -1.0986122886681098, -1.0986122886681098, -1.0986122886681098];
        var x = Tensor.From(Logits, requiresGrad: true);
        Assert.Equal(expected, x.LogSoftmax(1).ToFlatArray(), new Close(1e-15));
        x.LogSoftmax(1).Sum().Backward(); // dᵢⱼ = 1 − 3·softmaxᵢⱼ: finite everywhere
        Assert.Equal(new double[] { -2, 1, 1 }, x.Grad!.ToFlatArray()[..3]);
        float[] expectedFloat = [0f, -2000f, -1000f, -2.4076058864593506f, -1.4076058864593506f, -0.40760594606399536f, -1.0986123085021973f, -1.0986123085021973f, -1.0986123085021973f];
        Assert.Equal(expectedFloat, Tensor.From(ToFloat(Logits)).LogSoftmax(1).ToFlatArray(), new CloseF(2e-7f));
    }

    [Fact]
    public void Infinite_and_nan_logits_give_what_pytorch_gives()
    {
        // torch.logsumexp / softmax / log_softmax of [inf, 1], [-inf, -inf], [nan, 1] along dim 1
        var x = Tensor.From(new double[,] { { double.PositiveInfinity, 1 }, { double.NegativeInfinity, double.NegativeInfinity }, { double.NaN, 1 } });
        var lse = x.LogSumExp(1).ToFlatArray();
        Assert.Equal(double.PositiveInfinity, lse[0]);
        Assert.Equal(double.NegativeInfinity, lse[1]);
        Assert.True(double.IsNaN(lse[2]));
        Assert.All(x.Softmax(1).ToFlatArray(), v => Assert.True(double.IsNaN(v)));
        Assert.All(x.LogSoftmax(1).ToFlatArray(), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void Fused_and_recorded_backward_passes_agree() =>
        Properties.Check(MatrixAndAxis, c =>
        {
            var x = c.m.ToTensor();
            var w = Tensor.RandomNormal<double>(c.m.Rows, c.m.Cols, new Random(c.m.Rows * 7 + c.m.Cols));
            foreach (Func<Tensor<double>, Tensor<double>> f in new Func<Tensor<double>, Tensor<double>>[]
                     { t => t.Softmax(c.axis) * w, t => t.LogSoftmax(c.axis) * w, t => t.LogSumExp(c.axis).Square() })
            {
                var fused = Autograd.Grad(f(x).Sum(), [x])[0].ToFlatArray();
                var recorded = Autograd.Grad(f(x).Sum(), [x], createGraph: true)[0].ToFlatArray();
                Assert.Equal(fused, recorded, new Close(1e-14));
            }
        });

    [Fact]
    public void A_bad_axis_names_the_op_the_axis_and_the_shape()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.Equal("LogSumExp: axis must be 0 (down the rows) or 1 (across the columns) for a 2-D tensor; got 2 for a 2×3 tensor. (Parameter 'axis')",
            Assert.Throws<ArgumentOutOfRangeException>(() => x.LogSumExp(2)).Message);
        Assert.StartsWith("Softmax: axis must be 0", Assert.Throws<ArgumentOutOfRangeException>(() => x.Softmax(-1)).Message);
        Assert.StartsWith("LogSoftmax: axis must be 0", Assert.Throws<ArgumentOutOfRangeException>(() => x.LogSoftmax(3)).Message);
    }

    internal static float[,] ToFloat(double[,] values)
    {
        var result = new float[values.GetLength(0), values.GetLength(1)];
        for (int i = 0; i < values.GetLength(0); i++)
            for (int j = 0; j < values.GetLength(1); j++)
                result[i, j] = (float)values[i, j];
        return result;
    }

    private static void AssertClose(Tensor<double> expected, Tensor<double> actual, double relative)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.ToFlatArray(), actual.ToFlatArray(), new Close(relative));
    }
}

/// <summary>Equal within a relative tolerance (absolute near zero); infinities must match exactly.</summary>
public sealed class Close(double relative) : IEqualityComparer<double>
{
    public bool Equals(double a, double b) => a == b || Math.Abs(a - b) <= relative * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
    public int GetHashCode(double obj) => 0;
}

/// <summary>Float version of <see cref="Close"/>.</summary>
public sealed class CloseF(float relative) : IEqualityComparer<float>
{
    public bool Equals(float a, float b) => a == b || MathF.Abs(a - b) <= relative * MathF.Max(1, MathF.Max(MathF.Abs(a), MathF.Abs(b)));
    public int GetHashCode(float obj) => 0;
}
