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

    /// <summary>∂²/∂x² of xᵖ under the seeds g (first pass, recorded) and ḡ (second pass, recorded or not).</summary>
    private static double SecondDerivative(double p, double x, double g, double gBar, bool createGraph)
    {
        var input = Tensor.Full(1, 1, x, requiresGrad: true);
        var first = Autograd.Grad(input.Pow(p), [input], createGraph: true, Tensor.Full(1, 1, g))[0];
        return Autograd.Grad(first, [input], createGraph, Tensor.Full(1, 1, gBar))[0][0, 0];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pow_second_derivative_does_not_multiply_the_two_seeds_apart(bool createGraph)
    {
        // x⁻¹: ∂²/∂x² under seeds g, ḡ is 2·ḡ·g·x⁻³. With ḡ = g = 1e-200 and x⁻³ = 1e300 it is 2e-100, but the textbook
        // rule (ḡ ⊙ g) ⊙ 2x⁻³ has ḡ ⊙ g = 0; with ḡ = g = 1e200 and x⁻³ = 1e-300 it is 2e100, but ḡ ⊙ g = ∞.
        Assert.Equal(2e-100, SecondDerivative(-1, 1e-100, 1e-200, 1e-200, createGraph), 2e-114);
        Assert.Equal(2e100, SecondDerivative(-1, 1e100, 1e200, 1e200, createGraph), 2e86);
        // x³: 6·ḡ·g·x, x = −1e300, ḡ = g = 1e-160: −6e-20 (ḡ ⊙ g = 1e-320 is subnormal: 3 digits)
        Assert.Equal(-6e-20, SecondDerivative(3, -1e300, 1e-160, 1e-160, createGraph), 6e-34);
        // float: ḡ ⊙ g = 1e-60 is 0 in float; 2·ḡ·g·x⁻³ with x = 1e-10 is 2e-30
        var xf = Tensor.Full(1, 1, 1e-10f, requiresGrad: true);
        var firstF = Autograd.Grad(xf.Pow(-1f), [xf], createGraph: true, Tensor.Full(1, 1, 1e-30f))[0];
        float secondF = Autograd.Grad(firstF, [xf], createGraph, Tensor.Full(1, 1, 1e-30f))[0][0, 0];
        Assert.Equal(2e-30f, secondF, 2e-36f);
    }

    [Fact]
    public void Pow_third_derivative_does_not_multiply_the_three_seeds_apart()
    {
        // x⁻¹: ∂³/∂x³ under seeds 1e-150 each is −6·1e-450·x⁻⁴ = −6e-150 at x = 1e-75 (x⁻⁴ = 1e300)
        var x = Tensor.Full(1, 1, 1e-75, requiresGrad: true);
        var seed = Tensor.Full(1, 1, 1e-150);
        var first = Autograd.Grad(x.Pow(-1), [x], createGraph: true, seed)[0];
        var second = Autograd.Grad(first, [x], createGraph: true, seed)[0];
        double third = Autograd.Grad(second, [x], createGraph: false, seed)[0][0, 0];
        Assert.Equal(-6e-150, third, 6e-164);
        // the derivative of the second (2·ḡ·g·x⁻³) with respect to its first seed g under a seed s is 2·s·ḡ·x⁻³:
        // with s = ḡ = 1e-200 it is 2e-175 (s ⊙ ḡ = 0)
        var g = Tensor.Full(1, 1, 1e-150, requiresGrad: true);
        var tiny = Tensor.Full(1, 1, 1e-200);
        var firstOfG = Autograd.Grad(x.Pow(-1), [x], createGraph: true, g)[0];
        var secondOfG = Autograd.Grad(firstOfG, [x], createGraph: true, tiny)[0];
        Assert.Equal(2e-175, Autograd.Grad(secondOfG, [g], createGraph: false, tiny)[0][0, 0], 2e-189);
    }

    [Fact]
    public void Pow_second_derivative_is_finite_and_accurate_wherever_its_true_value_is_in_range() =>
        Properties.Check(
            Arb.From(from x in WideDouble from g in WideDouble from gBar in WideDouble from p in Gen.Elements(-2.5, -1.0, 0.5, 3.0, 4.5)
                     where x != 0 && g != 0 && gBar != 0 && (x > 0 || p == Math.Floor(p))
                     select (x, g, gBar, p)),
            c =>
            {
                // log₂ of |p(p − 1) · ḡ · g · x^(p−2)|, exact to about 1e-13: where it is well inside the range of normal
                // numbers the second derivative must be finite and agree with 2^that to 1e-11
                double log2 = Math.Log2(Math.Abs(c.p * (c.p - 1))) + Math.Log2(Math.Abs(c.gBar)) + Math.Log2(Math.Abs(c.g)) + (c.p - 2) * Math.Log2(Math.Abs(c.x));
                if (log2 is < -1000 or > 1000)
                {
                    return;
                }
                double sign = Math.Sign(c.p * (c.p - 1)) * Math.Sign(c.gBar) * Math.Sign(c.g) * (c.x < 0 && double.IsOddInteger(c.p - 2) ? -1 : 1);
                double expected = sign * Math.Pow(2, log2);
                double plain = SecondDerivative(c.p, c.x, c.g, c.gBar, createGraph: false);
                double recorded = SecondDerivative(c.p, c.x, c.g, c.gBar, createGraph: true);
                Assert.True(plain.Equals(recorded), $"x = {c.x:R}, g = {c.g:R}, ḡ = {c.gBar:R}, p = {c.p}: plain {plain:R}, recorded {recorded:R}");
                Assert.True(Math.Abs(plain - expected) <= 1e-11 * Math.Abs(expected),
                    $"x = {c.x:R}, g = {c.g:R}, ḡ = {c.gBar:R}, p = {c.p}: second derivative {plain:R}, expected {expected:R}");
            });

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
