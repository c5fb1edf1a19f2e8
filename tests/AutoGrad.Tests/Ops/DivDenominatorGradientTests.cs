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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Div_gradient_of_the_denominator_keeps_every_digit_where_a_over_b_is_subnormal(bool createGraph)
    {
        // a = 7·2⁻¹⁰⁷⁴, b = 3·2⁻⁴⁰: a / b = (7/3)·2⁻¹⁰³⁴ is subnormal and rounded to 13 digits, though (a / b) / b and the
        // gradient are normal; −g·a/b² = −(7/9)·2⁻⁹⁹⁴ exactly
        double expected = -(7.0 / 9.0) * Math.ScaleB(1, -994);
        double actual = DenominatorGradient(1, 7 * double.Epsilon, 3 * Math.ScaleB(1, -40), createGraph);
        Assert.True(Math.Abs(actual - expected) <= 1e-15 * Math.Abs(expected), $"{actual:R}, expected {expected:R}");
    }

    /// <summary>
    /// −g·a/b² from the significands (in [1, 2)) and exponents of g, a and b: three roundings among numbers near 1, so
    /// within 2 ulps, and the power of two <paramref name="exponent"/> to scale by (exactly, where the result is normal).
    /// </summary>
    internal static double ScaledReference(double g, double a, double b, out int exponent)
    {
        int eg = Math.ILogB(g), ea = Math.ILogB(a), eb = Math.ILogB(b);
        double mb = Math.ScaleB(b, -eb);
        double m = -(Math.ScaleB(g, -eg) * Math.ScaleB(a, -ea)) / mb / mb;
        exponent = eg + ea - 2 * eb + Math.ILogB(m);
        return Math.ScaleB(m, -Math.ILogB(m));
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> is −g·a/b² within 8 ulps where that is a normal number, ±∞ where it
    /// overflows and ±0 where it is below the subnormals.
    /// </summary>
    internal static void AssertIsMinusGTimesAOverBSquared(double actual, double g, double a, double b, string where)
    {
        double m = ScaledReference(g, a, b, out int exponent);
        if (exponent is >= -1022 and <= 1023)
        {
            double expected = Math.ScaleB(m, exponent);
            Assert.True(Math.Abs(actual - expected) <= 8 * Math.ScaleB(1.0, exponent - 52), $"{where}: {actual:R}, expected {expected:R}");
        }
        else if (exponent > 1023)
        {
            Assert.Equal(Math.Sign(m) * double.PositiveInfinity, actual);
        }
        else if (exponent < -1076)
        {
            Assert.True(actual == 0, $"{where}: {actual:R}, expected ±0");
        }
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
                AssertIsMinusGTimesAOverBSquared(plain, c.g, c.a, c.b, where);
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

    /// <summary>An ordinary value mostly, now and then one from anywhere in double's range: vectors that mix both.</summary>
    private static readonly Gen<double> MixedValue = Gen.Frequency((3, Gens.AwayFromZero), (1, Gens.WideNonzero));

    [Fact]
    public void Div_denominator_kernel_gives_each_element_its_own_bits_whatever_its_neighbours_position_and_broadcast() =>
        Properties.Check(
            Arb.From(from rows in Gen.Choose(1, 5) from cols in Gen.Choose(1, 40)
                     from bShape in Gen.Elements(0, 1, 2, 3) // same shape, a row, a column, a scalar
                     from g in Gens.MatrixOf(rows, cols, MixedValue)
                     from a in Gens.MatrixOf(rows, cols, MixedValue)
                     from b in Gens.MatrixOf(bShape is 0 or 2 ? rows : 1, bShape is 0 or 1 ? cols : 1, MixedValue)
                     select (g, a, b)),
            c =>
            {
                AssertEveryElementAlone(c.g, c.a, c.b, m => m.ToTensor(requiresGrad: false), v => v);
                AssertEveryElementAlone(c.g, c.a, c.b, m => m.ToFloatTensor(requiresGrad: false), v => (float)v);
            });

    private static void AssertEveryElementAlone<T>(Matrix g, Matrix a, Matrix b, Func<Matrix, Tensor<T>> tensor, Func<double, T> scalar)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Tensor<T> at = tensor(a), bt = tensor(b);
        var whole = Tensor<T>.DivDenominatorGradient(tensor(g), at, bt, at.Div(bt));
        for (int i = 0; i < g.Rows; i++)
        {
            for (int j = 0; j < g.Cols; j++)
            {
                var one = Tensor.Full(1, 1, scalar(a[i, j]));
                var bOne = Tensor.Full(1, 1, scalar(b[b.Rows == 1 ? 0 : i, b.Cols == 1 ? 0 : j]));
                T alone = Tensor<T>.DivDenominatorGradient(Tensor.Full(1, 1, scalar(g[i, j])), one, bOne, one.Div(bOne))[0, 0];
                Assert.True(alone.Equals(whole[i, j]), $"{typeof(T).Name} element ({i}, {j}) of {g.Rows}×{g.Cols}, b {b.Rows}×{b.Cols}: {whole[i, j]}, alone {alone}");
            }
        }
    }
}
