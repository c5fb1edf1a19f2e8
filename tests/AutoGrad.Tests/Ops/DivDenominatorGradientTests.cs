using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Div's gradient for the denominator, −g ⊙ ((a / b) / b) (PyTorch's form), and the split form it falls back to where
/// an intermediate of that form leaves the normal numbers while the true −g·a/b² does not (issue 13).
/// </summary>
public class DivDenominatorGradientTests
{
    /// <summary>∂(a / b)/∂b under the seed g, in a plain or a recorded pass.</summary>
    private static double DenominatorGradient(double g, double a, double b, bool createGraph)
    {
        var denominator = Tensor.Full(1, 1, b, requiresGrad: true);
        return Autograd.Grad(Tensor.Full(1, 1, a) / denominator, [denominator], createGraph, Tensor.Full(1, 1, g))[0][0, 0];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Div_gradient_of_the_denominator_is_finite_where_a_over_b_over_b_overflows(bool createGraph)
    {
        // g = 1e-200, a = 1e200, b = 1e-100: (a / b) / b = 1e400 = ∞, so −g ⊙ ((a / b) / b) was −∞; −g·a/b² is −1e200
        Assert.Equal(-1e200, DenominatorGradient(1e-200, 1e200, 1e-100, createGraph), 1e186);
        // a / b alone overflows: a = 1e300, b = 1e-100, g = 1e-300: −1e300·1e-300·1e200 = −1e200
        Assert.Equal(-1e200, DenominatorGradient(1e-300, 1e300, 1e-100, createGraph), 1e186);
        // float: g = 1e-30, a = 1e30, b = 1e-15: (a / b) / b = ∞ in float; the gradient is −1e30
        var b = Tensor.Full(1, 1, 1e-15f, requiresGrad: true);
        float gradient = Autograd.Grad(Tensor.Full(1, 1, 1e30f) / b, [b], createGraph, Tensor.Full(1, 1, 1e-30f))[0][0, 0];
        Assert.Equal(-1e30f, gradient, 1e24f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Div_gradient_of_the_denominator_is_not_zero_where_a_over_b_over_b_underflows(bool createGraph)
    {
        // g = 1e200, a = 1e-200, b = 1e100: (a / b) / b = 1e-400 = 0 (−0 before); −g·a/b² is −1e-200
        Assert.Equal(-1e-200, DenominatorGradient(1e200, 1e-200, 1e100, createGraph), 1e-214);
        // (a / b) / b = 1e-320 is subnormal (3 digits): a = 1e-160, b = 1e80, g = 1e300 gives −1e-20
        Assert.Equal(-1e-20, DenominatorGradient(1e300, 1e-160, 1e80, createGraph), 1e-34);
        // and a true overflow or underflow stays one
        Assert.Equal(double.NegativeInfinity, DenominatorGradient(1, 1e200, 1e-100, createGraph));
        Assert.Equal(0.0, DenominatorGradient(1, 1e-200, 1e100, createGraph));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Div_second_derivative_of_the_denominator_does_not_multiply_the_seeds_apart(bool createGraph)
    {
        // ∂²(a / b)/∂b² under seeds g, ḡ is 2·ḡ·g·a·b⁻³: g = ḡ = 1e-200, a = 1, b = 1e-100 gives 2e-100 (ḡ ⊙ g = 0)
        var b = Tensor.Full(1, 1, 1e-100, requiresGrad: true);
        var first = Autograd.Grad(Tensor.Full(1, 1, 1.0) / b, [b], createGraph: true, Tensor.Full(1, 1, 1e-200))[0];
        Assert.Equal(2e-100, Autograd.Grad(first, [b], createGraph, Tensor.Full(1, 1, 1e-200))[0][0, 0], 2e-114);
        // ∂²/∂a∂b is −ḡ·g·b⁻²: with a as a parameter too, −1e-400·1e200 = −1e-200
        var a = Tensor.Full(1, 1, 1.0, requiresGrad: true);
        var firstOfB = Autograd.Grad(a / b, [b], createGraph: true, Tensor.Full(1, 1, 1e-200))[0];
        Assert.Equal(-1e-200, Autograd.Grad(firstOfB, [a], createGraph, Tensor.Full(1, 1, 1e-200))[0][0, 0], 1e-214);
    }

    [Fact]
    public void Div_gradient_of_the_denominator_is_accurate_over_the_whole_range_and_pytorchs_bits_where_its_form_is_normal() =>
        Properties.Check(
            Arb.From(from g in Gens.WideNonzero from a in Gens.WideNonzero from b in Gens.WideNonzero select (g, a, b)),
            c =>
            {
                string where = $"g = {c.g:R}, a = {c.a:R}, b = {c.b:R}";
                double plain = DenominatorGradient(c.g, c.a, c.b, createGraph: false);
                double recorded = DenominatorGradient(c.g, c.a, c.b, createGraph: true);
                Assert.True(plain.Equals(recorded), $"{where}: plain {plain:R}, recorded {recorded:R}");
                double quotient = c.a / c.b, twice = quotient / c.b, product = c.g * twice;
                if (double.IsNormal(quotient) && double.IsNormal(twice) && double.IsNormal(product))
                {
                    Assert.True((-product).Equals(plain), $"{where}: {plain:R}, PyTorch's −g·((a/b)/b) {-product:R}");
                }
                // log₂ |g·a/b²|, exact to about 1e-13
                double log2 = Math.Log2(Math.Abs(c.g)) + Math.Log2(Math.Abs(c.a)) - 2 * Math.Log2(Math.Abs(c.b));
                double sign = -Math.Sign(c.g) * Math.Sign(c.a);
                if (log2 is > -1000 and < 1000)
                {
                    double expected = sign * Math.Pow(2, log2);
                    Assert.True(Math.Abs(plain - expected) <= 1e-11 * Math.Abs(expected), $"{where}: {plain:R}, expected {expected:R}");
                }
                else if (log2 > 1025)
                {
                    Assert.Equal(sign * double.PositiveInfinity, plain);
                }
                else if (log2 < -1080)
                {
                    Assert.True(plain == 0, $"{where}: {plain:R}, expected ±0");
                }
            });

    [Fact]
    public void Div_gradients_are_pytorchs_bits_for_every_broadcast_case() =>
        Properties.Check(
            Arb.From(from pair in Gens.BroadcastPair(right: Gens.AwayFromZero).Generator
                     let shape = new Shape(Math.Max(pair.A.Rows, pair.B.Rows), Math.Max(pair.A.Cols, pair.B.Cols))
                     from g in Gens.MatrixOf(shape.Rows, shape.Cols, Gens.Value)
                     select (pair.A, pair.B, g)),
            c =>
            {
                Tensor<double> a = c.A.ToTensor(), b = c.B.ToTensor(), seed = c.g.ToTensor(requiresGrad: false);
                var gradients = Autograd.Grad(a / b, [a, b], seed: seed);
                Tensor<double> expectedA, expectedB;
                using (Tensor.NoGrad())
                {
                    Tensor<double> ad = c.A.ToTensor(requiresGrad: false), bd = c.B.ToTensor(requiresGrad: false);
                    expectedA = (seed / bd).SumTo(a.Shape);
                    expectedB = (seed * ((ad / bd) / bd)).Neg().SumTo(b.Shape);
                }
                Assert.Equal(expectedA.ToFlatArray(), gradients[0].ToFlatArray());
                Assert.Equal(expectedB.ToFlatArray(), gradients[1].ToFlatArray());
            });
}
