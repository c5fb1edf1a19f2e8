using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class LogTests
{
    [Fact]
    public void Log_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(Gens.Positive), m => Properties.AssertGradCheck(x => x[0].Log(), m.ToTensor()));

    [Fact]
    public void Log_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(Gens.Positive), m => Reference.AssertUnaryValues(m, m.ToTensor().Log(), v => Math.Log(v), 1e-13));

    [Fact]
    public void Log_of_zero_is_minus_infinity_and_of_a_negative_is_nan_as_ieee_says()
    {
        var y = Tensor.From(new double[,] { { 0, -1 } }).Log();
        Assert.Equal(double.NegativeInfinity, y[0, 0]);
        Assert.True(double.IsNaN(y[0, 1]));
    }

    /// <summary>∂²(ln x)/∂x² under the seeds g (first pass, recorded) and ḡ (second pass, recorded or not): −ḡ·g/x².</summary>
    private static double SecondDerivative(double x, double g, double gBar, bool createGraph)
    {
        var input = Tensor.Full(1, 1, x, requiresGrad: true);
        var first = Autograd.Grad(input.Log(), [input], createGraph: true, Tensor.Full(1, 1, g))[0];
        return Autograd.Grad(first, [input], createGraph, Tensor.Full(1, 1, gBar))[0][0, 0];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Log_second_derivative_is_finite_where_g_over_x_over_x_overflows(bool createGraph)
    {
        // x = 1e-100, g = 1e200, ḡ = 1e-200: the recorded g / x is differentiated by Div's rule, whose (g / x) / x = ∞ made
        // −ḡ ⊙ ((g / x) / x) = −∞; −ḡ·g/x² is −1e200
        Assert.Equal(-1e200, SecondDerivative(1e-100, 1e200, 1e-200, createGraph), 1e186);
        // and where it underflowed to −0: x = 1e100, g = 1e-200, ḡ = 1e200 gives −1e-200
        Assert.Equal(-1e-200, SecondDerivative(1e100, 1e-200, 1e200, createGraph), 1e-214);
    }

    [Fact]
    public void Log_second_derivative_is_finite_and_accurate_over_the_whole_range() =>
        Properties.Check(
            Arb.From(from x in Gens.WideNonzero from g in Gens.WideNonzero from gBar in Gens.WideNonzero select (x: Math.Abs(x), g, gBar)),
            c =>
            {
                string where = $"x = {c.x:R}, g = {c.g:R}, ḡ = {c.gBar:R}";
                double plain = SecondDerivative(c.x, c.g, c.gBar, createGraph: false);
                double recorded = SecondDerivative(c.x, c.g, c.gBar, createGraph: true);
                Assert.True(plain.Equals(recorded), $"{where}: plain {plain:R}, recorded {recorded:R}");
                DivDenominatorGradientTests.AssertIsMinusGTimesAOverBSquared(plain, c.gBar, c.g, c.x, where);
            });
}
