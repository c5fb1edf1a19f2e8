using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Backward rules written so that no intermediate overflows or underflows where the gradient itself is finite:
/// each case below has a finite true gradient that a textbook form of the rule turns into ±∞, ±0 or a few correct
/// digits (the form is named in each test). Checked in a plain pass and, where the rule has one, a recorded pass.
/// </summary>
public class BackwardRangeTests
{
    /// <summary>±m·2ᵉ with m in [1, 2) and e over the whole range of double (subnormals included), and ±0.</summary>
    private static readonly Gen<double> WideDouble =
        Gen.Frequency(
            (1, Gen.Elements(0.0, -0.0)),
            (30, from e in Gen.Choose(-1074, 1023) from m in Gen.Choose(0, 1 << 30) from negative in Gen.Elements(false, true)
                 select (negative ? -1 : 1) * Math.ScaleB(1 + m / (double)(1 << 30), e)));

    private static double GradOf(Func<Tensor<double>, Tensor<double>> f, double x, double seed, bool createGraph = false)
    {
        var input = Tensor.Full(1, 1, x, requiresGrad: true);
        return Autograd.Grad(f(input), [input], createGraph, Tensor.Full(1, 1, seed))[0][0, 0];
    }

    private static float GradOf(Func<Tensor<float>, Tensor<float>> f, float x, float seed, bool createGraph = false)
    {
        var input = Tensor.Full(1, 1, x, requiresGrad: true);
        return Autograd.Grad(f(input), [input], createGraph, Tensor.Full(1, 1, seed))[0][0, 0];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Div_gradient_of_the_denominator_does_not_square_it(bool createGraph)
    {
        // issue 13, example 2: −(g·a)/b² gave −0 for a = b = 1.5e160 (b² = ∞) and 4 digits at 1e-160 (b² subnormal)
        Assert.Equal(-(1 / 1.5e160), GradOf(b => Tensor.Full(1, 1, 1.5e160) / b, 1.5e160, 1.0, createGraph));
        Assert.Equal(-(1 / 1e-160), GradOf(b => Tensor.Full(1, 1, 1e-160) / b, 1e-160, 1.0, createGraph));
        Assert.Equal(-(1 / 1e20f), GradOf(b => Tensor.Full(1, 1, 1e20f) / b, 1e20f, 1f, createGraph));
        // g·a alone would overflow: g = 1e300, a = 1e300, b = 1e300 → −1e300 / 1e300 = −1
        Assert.Equal(-1.0, GradOf(b => Tensor.Full(1, 1, 1e300) / b, 1e300, 1e300, createGraph));
    }

    [Fact]
    public void Div_gradient_of_the_denominator_sums_over_a_broadcast_denominator()
    {
        var a = Tensor.From(new[,] { { 1.5e160, 3e160 } });
        var b = Tensor.Full(1, 1, 1.5e160, requiresGrad: true);
        double grad = Autograd.Grad((a / b).Sum(), [b])[0][0, 0];
        Assert.Equal(-(1 / 1.5e160) - (2 / 1.5e160), grad);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pow_gradient_stays_finite_where_x_to_the_p_minus_1_overflows_or_underflows(bool createGraph)
    {
        // −g / x² for p = −1: x⁻² = ∞ (g·x⁻²·p = −∞) though −g/x² = −1e300; and x⁻² = 0 (→ −0) though it is −1e-100
        Assert.Equal(-1e300, GradOf(x => x.Pow(-1), 1e-300, 1e-300, createGraph), 1e285);
        Assert.Equal(-1e-100, GradOf(x => x.Pow(-1), 1e200, 1e300, createGraph), 1e-115);
        Assert.Equal(-1e30f, GradOf(x => x.Pow(-1f), 1e-30f, 1e-30f, createGraph), 1e24f);
        // a negative base keeps its sign: p = 4, x = −1e-110, g = 1e300: 4·g·x³ = −4e-30 (x³ underflows)
        Assert.Equal(-4e-30, GradOf(x => x.Pow(4), -1e-110, 1e300, createGraph), 1e-44);
        // a fractional power of a positive base: p = −1.5, x = 1e-200, g = 1e-300: x^−2.5 = ∞, but −1.5·g·x^−2.5 = −1.5e200
        // (a mutant that took the split form only for negative bases survived the session-six mutation run)
        Assert.Equal(-1.5e200, GradOf(x => x.Pow(-1.5), 1e-200, 1e-300, createGraph), 1e186);
        // and a true overflow is still ∞
        Assert.Equal(double.NegativeInfinity, GradOf(x => x.Pow(-1), 1e-300, 1.0, createGraph));
    }

    [Fact]
    public void Pow_second_derivative_stays_finite_where_x_to_the_p_minus_1_and_p_minus_2_overflow()
    {
        // x⁻¹ at x = 1e-160 with seeds g = ḡ = 1e-100: x⁻² = ∞ and x⁻³ = ∞, but −g·x⁻² = −1e220 and 2·ḡ·g·x⁻³ = 2e280.
        // The recorded rule g ⊙ x⁻² ⊙ (−1) gave −∞ for the first and NaN for the second.
        var x = Tensor.Full(1, 1, 1e-160, requiresGrad: true);
        var first = Autograd.Grad(x.Pow(-1), [x], createGraph: true, Tensor.Full(1, 1, 1e-100))[0];
        Assert.Equal(-1e220, first[0, 0], 1e206);
        var second = Autograd.Grad(first, [x], createGraph: false, Tensor.Full(1, 1, 1e-100))[0][0, 0];
        Assert.Equal(2e280, second, 1e266);
    }

    [Fact]
    public void Pow_gradient_is_the_same_in_a_plain_and_a_recorded_pass() =>
        Properties.Check(
            Arb.From(from x in WideDouble from g in WideDouble from p in Gen.Elements(-2.5, -1.0, 0.5, 2.0, 3.0, 4.5) select (x, g, p)),
            c =>
            {
                double plain = GradOf(x => x.Pow(c.p), c.x, c.g), recorded = GradOf(x => x.Pow(c.p), c.x, c.g, createGraph: true);
                Assert.True(plain.Equals(recorded), $"x = {c.x:R}, g = {c.g:R}, p = {c.p}: plain {plain:R}, recorded {recorded:R}");
                float xf = (float)c.x, gf = (float)c.g;
                float plainF = GradOf(x => x.Pow((float)c.p), xf, gf), recordedF = GradOf(x => x.Pow((float)c.p), xf, gf, createGraph: true);
                Assert.True(plainF.Equals(recordedF), $"float x = {xf:R}, g = {gf:R}, p = {c.p}: plain {plainF:R}, recorded {recordedF:R}");
            });

    [Fact]
    public void Log_square_and_the_losses_keep_a_finite_gradient_where_the_value_overflows()
    {
        Assert.Equal(1e-10 / 1e-310, GradOf(x => x.Log(), 1e-310, 1e-10));
        Assert.Equal(2.0, GradOf(x => x.Square(), 1e-300, 1e300));
        // ½‖ŷ − y‖² is ∞ for a residual of 1e200, but its gradient ŷ − y is 1e200
        var prediction = Tensor.From(new[,] { { 1e200, 0 } }, requiresGrad: true);
        var target = Tensor.Zeros<double>(1, 2);
        var loss = Loss.HalfSumSquared(prediction, target);
        Assert.Equal(double.PositiveInfinity, loss[0, 0]);
        Assert.Equal(new[] { 1e200, 0 }, Autograd.Grad(loss, [prediction])[0].ToFlatArray());
        var mse = Loss.MeanSquaredError(prediction, target);
        Assert.Equal(new[] { 1e200, 0 }, Autograd.Grad(mse, [prediction])[0].ToFlatArray());
    }
}
