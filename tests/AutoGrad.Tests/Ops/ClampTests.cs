using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class ClampTests
{
    /// <summary>Values in [−3, 3] at least 0.001 from the bounds ±1, where the derivative jumps.</summary>
    private static readonly FsCheck.Gen<double> AwayFromBounds = Gens.Value.Where(v => Math.Abs(Math.Abs(v) - 1) > 1e-3);

    [Fact]
    public void Clamp_gradient_matches_finite_differences_away_from_the_bounds() =>
        Properties.Check(Gens.AnyMatrix(AwayFromBounds), m => Properties.AssertGradCheck(x => x[0].Clamp(-1.0, 1.0), m.ToTensor()));

    [Fact]
    public void Clamp_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(), m => Reference.AssertUnaryValues(m, m.ToTensor().Clamp(-1.0, 0.5), v => Math.Clamp(v, -1, 0.5), 0));

    [Fact]
    public void Clamp_gradient_passes_at_the_bounds_themselves_as_in_pytorch()
    {
        // torch.tensor([-2., -1., 0., 1., 2.]).clamp(-1, 1).sum().backward() → grad [0, 1, 1, 1, 0]
        var x = Tensor.From(new double[,] { { -2, -1, 0, 1, 2 } }, requiresGrad: true);
        x.Clamp(-1.0, 1.0).Sum().Backward();
        Assert.Equal(new double[,] { { 0, 1, 1, 1, 0 } }, x.Grad!.ToArray());
        var f = Tensor.From(new float[,] { { -2, -1, 0, 1, 2 } }, requiresGrad: true);
        f.Clamp(-1f, 1f).Sum().Backward();
        Assert.Equal(new float[,] { { 0, 1, 1, 1, 0 } }, f.Grad!.ToArray());
    }

    [Fact]
    public void Clamp_with_an_infinite_bound_clamps_one_side_and_nan_stays_nan()
    {
        var x = Tensor.From(new double[,] { { -5, 5, double.NaN } });
        var y = x.Clamp(0, double.PositiveInfinity);
        Assert.Equal(0.0, y[0, 0]);
        Assert.Equal(5.0, y[0, 1]);
        Assert.True(double.IsNaN(y[0, 2]));
    }

    [Fact]
    public void Clamp_with_min_above_max_names_the_op_the_bounds_and_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 3).Clamp(1.0, -1.0));
        Assert.Equal("Clamp: need min ≤ max (and neither NaN); got min 1, max -1 for a 2×3 tensor. (Parameter 'max')", error.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 3).Clamp(double.NaN, 1.0));
    }

    /// <summary>
    /// PyTorch 1.13's bits (torch.clamp in float64 and float32, 1 and 20 elements): x unless strictly outside, so a zero
    /// at a zero bound keeps its sign — clamp(−0, 0, 1) = −0, clamp(+0, −1, −0) = +0, clamp(−0, 0, 0) = −0, clamp(+0, −0, −0)
    /// = +0, clamp(−0, −1, 0) = −0 — eager and compiled, in the vector body, its tail and one element. Two IEEE
    /// maximum/minimum passes gave +0 for clamp(−0, 0, 1) (adversarial review (B), issue 13).
    /// </summary>
    [Fact]
    public void Clamp_keeps_the_sign_of_zero_at_a_zero_bound_as_PyTorch_does()
    {
        (double X, double Min, double Max, double PyTorch)[] cases =
            [(-0.0, 0.0, 1.0, -0.0), (0.0, -1.0, -0.0, 0.0), (-0.0, 0.0, 0.0, -0.0), (0.0, -0.0, -0.0, 0.0), (-0.0, -1.0, 0.0, -0.0), (double.NaN, 0.0, 1.0, double.NaN)];
        foreach (var (x, min, max, pyTorch) in cases)
        {
            Check(x, min, max, pyTorch);
        }
    }

    private static void Check(double x, double min, double max, double pyTorch)
    {
        foreach (int length in new[] { 1, 3, 20 })
        {
            double[] values = [.. Enumerable.Repeat(x, length)];
            var compiled = Tensor.CompileForward<double>(t => t.Clamp(min, max));
            foreach (var actual in new[] { Tensor.FromRowMajor<double>(1, length, values).Clamp(min, max).ToFlatArray(), compiled.Run(Tensor.FromRowMajor<double>(1, length, values)).ToFlatArray() })
            {
                Assert.All(actual, v => Assert.Equal(BitConverter.DoubleToInt64Bits(pyTorch), BitConverter.DoubleToInt64Bits(v)));
            }
            float[] floats = [.. values.Select(v => (float)v)];
            Assert.All(Tensor.FromRowMajor<float>(1, length, floats).Clamp(min, max).ToFlatArray(),
                v => Assert.Equal(BitConverter.SingleToInt32Bits((float)pyTorch), BitConverter.SingleToInt32Bits(v)));
        }
    }
}
