using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Exp's recorded gradient (g₁ ⊙ … ⊙ gₖ) ⊙ eˣ, one operation whatever the order: its derivatives never multiply two
/// seeds apart, so they stay finite and accurate where the true value is in range (issue 13).
/// </summary>
public class ExpGradientTests
{
    /// <summary>∂²eˣ/∂x² under the seeds g (first pass, recorded) and ḡ (second pass, recorded or not).</summary>
    private static double SecondDerivative(double x, double g, double gBar, bool createGraph)
    {
        var input = Tensor.Full(1, 1, x, requiresGrad: true);
        var first = Autograd.Grad(input.Exp(), [input], createGraph: true, Tensor.Full(1, 1, g))[0];
        return Autograd.Grad(first, [input], createGraph, Tensor.Full(1, 1, gBar))[0][0, 0];
    }

    /// <summary>sign · 2^(log₂|g| + log₂|ḡ| + x·log₂ e): the exact ḡ·g·eˣ, computed without leaving the range.</summary>
    private static double Reference(double x, double g, double gBar) =>
        Math.Sign(g) * Math.Sign(gBar) * Math.Pow(2, Math.Log2(Math.Abs(g)) + Math.Log2(Math.Abs(gBar)) + x * Math.Log2(Math.E));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Exp_second_derivative_does_not_multiply_the_two_seeds_apart(bool createGraph)
    {
        // x = 690, ḡ = g = 1e-200: ḡ ⊙ g = 1e-400 = 0 made the second derivative 0; ḡ·g·e⁶⁹⁰ is 4.6e-101
        double expected = Reference(690, 1e-200, 1e-200);
        Assert.Equal(4.6e-101, expected, 0.1e-101);
        Assert.Equal(expected, SecondDerivative(690, 1e-200, 1e-200, createGraph), 1e-11 * expected);
        // x = −700, ḡ = g = 1e200: ḡ ⊙ g = ∞ made it ∞; ḡ·g·e⁻⁷⁰⁰ is 9.9e95
        double large = Reference(-700, 1e200, 1e200);
        Assert.Equal(large, SecondDerivative(-700, 1e200, 1e200, createGraph), 1e-11 * large);
        // e⁷¹⁰ = ∞ itself, but ḡ·g·e⁷¹⁰ with ḡ = g = 1e-200 is 2.2e-92
        double beyond = Reference(710, 1e-200, 1e-200);
        Assert.Equal(beyond, SecondDerivative(710, 1e-200, 1e-200, createGraph), 1e-11 * beyond);
        // float: ḡ ⊙ g = 1e-40 is subnormal in float (two digits); ḡ·g·e⁸⁰ is 5.5e-6
        var xf = Tensor.Full(1, 1, 80f, requiresGrad: true);
        var firstF = Autograd.Grad(xf.Exp(), [xf], createGraph: true, Tensor.Full(1, 1, 1e-20f))[0];
        float secondF = Autograd.Grad(firstF, [xf], createGraph, Tensor.Full(1, 1, 1e-20f))[0][0, 0];
        float expectedF = (float)Reference(80, 1e-20f, 1e-20f);
        Assert.Equal(expectedF, secondF, 1e-6f * expectedF);
    }

    [Fact]
    public void Exp_third_derivative_does_not_multiply_the_three_seeds_apart()
    {
        // seeds of 1e-150: 1e-450·e⁶⁹⁰ = 4.6e-151
        var x = Tensor.Full(1, 1, 690.0, requiresGrad: true);
        var seed = Tensor.Full(1, 1, 1e-150);
        var first = Autograd.Grad(x.Exp(), [x], createGraph: true, seed)[0];
        var second = Autograd.Grad(first, [x], createGraph: true, seed)[0];
        double third = Autograd.Grad(second, [x], createGraph: false, seed)[0][0, 0];
        double expected = Math.Pow(2, 3 * Math.Log2(1e-150) + 690 * Math.Log2(Math.E));
        Assert.Equal(expected, third, 1e-11 * expected);
        // the second derivative's derivative with respect to its first seed g under s: s·ḡ·eˣ, with s = ḡ = 1e-200 4.6e-101
        var g = Tensor.Full(1, 1, 1e-150, requiresGrad: true);
        var tiny = Tensor.Full(1, 1, 1e-200);
        var firstOfG = Autograd.Grad(x.Exp(), [x], createGraph: true, g)[0];
        var secondOfG = Autograd.Grad(firstOfG, [x], createGraph: true, tiny)[0];
        double expectedOfG = Reference(690, 1e-200, 1e-200);
        Assert.Equal(expectedOfG, Autograd.Grad(secondOfG, [g], createGraph: false, tiny)[0][0, 0], 1e-11 * expectedOfG);
    }

    [Fact]
    public void Exp_second_derivative_is_finite_and_accurate_wherever_its_true_value_is_in_range() =>
        Properties.Check(
            Arb.From(from whole in Gen.Choose(-1500, 1500) from fraction in Gen.Choose(0, 1 << 30)
                     from g in Gens.WideNonzero from gBar in Gens.WideNonzero
                     select (x: whole + fraction / (double)(1 << 30), g, gBar)),
            c =>
            {
                string where = $"x = {c.x:R}, g = {c.g:R}, ḡ = {c.gBar:R}";
                double plain = SecondDerivative(c.x, c.g, c.gBar, createGraph: false);
                double recorded = SecondDerivative(c.x, c.g, c.gBar, createGraph: true);
                Assert.True(plain.Equals(recorded), $"{where}: plain {plain:R}, recorded {recorded:R}");
                double product = c.gBar * c.g;
                var exp = Tensor.Full(1, 1, c.x).Exp()[0, 0];
                if (double.IsNormal(product) && double.IsNormal(exp) && double.IsNormal(product * exp))
                {
                    Assert.True((product * exp).Equals(plain), $"{where}: {plain:R}, (ḡ·g)·eˣ {product * exp:R}");
                }
                // log₂ |ḡ·g·eˣ|, exact to about 1e-13
                double log2 = Math.Log2(Math.Abs(c.g)) + Math.Log2(Math.Abs(c.gBar)) + c.x * Math.Log2(Math.E);
                if (log2 is > -1000 and < 1000)
                {
                    double expected = Reference(c.x, c.g, c.gBar);
                    Assert.True(Math.Abs(plain - expected) <= 1e-11 * Math.Abs(expected), $"{where}: {plain:R}, expected {expected:R}");
                }
                else if (log2 > 1025)
                {
                    Assert.Equal(Math.Sign(c.g) * Math.Sign(c.gBar) * double.PositiveInfinity, plain);
                }
                else if (log2 < -1080)
                {
                    Assert.True(plain == 0, $"{where}: {plain:R}, expected ±0");
                }
            });
}
