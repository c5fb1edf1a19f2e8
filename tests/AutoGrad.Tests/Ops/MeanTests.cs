using System.Numerics;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Mean: (Σ x) · (1/n) bit for bit wherever that sum is finite, and finite for finite elements even where the sum
/// overflows (the mean of finite numbers lies between their minimum and maximum, so it is always finite).
/// </summary>
public class MeanTests
{
    /// <summary>Elements whose sum may overflow: ±m·2ᵉ with e up to the top of double's range, mixed with ordinary ones.</summary>
    private static readonly Gen<double[]> Elements =
        from n in Gen.Choose(1, 40)
        from values in Gen.ArrayOf(
            Gen.Frequency(
                (1, Gen.Choose(-3000, 3000).Select(k => k / 1000.0)),
                (3, from e in Gen.Choose(1015, 1023) from m in Gen.Choose(0, 1 << 30) from negative in Gen.Elements(false, true)
                    select (negative ? -1 : 1) * Math.ScaleB(1 + m / (double)(1 << 30), e))),
            n)
        select values;

    /// <summary>Σ x / n with the sum held exactly (a BigInteger in units of 2⁻¹⁰⁷⁴), the quotient within an ulp.</summary>
    private static double ExactMean(double[] x)
    {
        var sum = BigInteger.Zero;
        foreach (double v in x)
        {
            long bits = BitConverter.DoubleToInt64Bits(Math.Abs(v));
            int exponent = (int)(bits >> 52);
            BigInteger mantissa = (bits & ((1L << 52) - 1)) | (exponent == 0 ? 0 : 1L << 52);
            BigInteger units = mantissa << Math.Max(exponent - 1, 0);
            sum += v < 0 ? -units : units;
        }
        BigInteger quotient = (sum << 64) / x.Length; // units of 2⁻¹¹³⁸
        if (quotient.IsZero)
        {
            return 0;
        }
        int shift = (int)Math.Max(BigInteger.Abs(quotient).GetBitLength() - 63, 0);
        return Math.ScaleB((double)(long)(quotient >> shift), shift - 1138);
    }

    [Fact]
    public void Mean_of_finite_elements_is_finite_where_their_sum_overflows()
    {
        // issue 13's review: Σx·(1/n) gave ∞ for the mean of [1e308, 1e308] and NaN for [1.7e308, 1.7e308, −1.7e308, −1.7e308]
        Assert.Equal(1e308, Tensor.From(new[,] { { 1e308, 1e308 } }).Mean().Item);
        Assert.Equal(0.0, Tensor.From(new[,] { { 1.7e308, 1.7e308, -1.7e308, -1.7e308 } }).Mean().Item);
        Assert.Equal(3e38f, Tensor.From(new[,] { { 3e38f, 3e38f, 3e38f } }).Mean().Item, 3e31f);
        // and a true non-finite element still gives ∞ or NaN
        Assert.Equal(double.PositiveInfinity, Tensor.From(new[,] { { 1e308, double.PositiveInfinity } }).Mean().Item);
        Assert.True(double.IsNaN(Tensor.From(new[,] { { double.NegativeInfinity, double.PositiveInfinity } }).Mean().Item));
    }

    [Fact]
    public void Mean_is_the_sum_times_one_over_n_where_the_sum_is_finite_and_within_the_rounding_bound_of_the_exact_mean_elsewhere() =>
        Properties.Check(Arb.From(Elements), x =>
        {
            var t = Tensor.FromRowMajor<double>(1, x.Length, x);
            double mean = t.Mean().Item, sum = t.Sum().Item;
            if (double.IsFinite(sum))
            {
                Assert.True((sum * (1.0 / x.Length)).Equals(mean), $"sum {sum:R}, n {x.Length}: mean {mean:R}, not sum·(1/n)");
                return;
            }
            double exact = ExactMean(x);
            Assert.True(double.IsFinite(mean), $"sum overflows ({sum}), mean {mean:R}, exact {exact:R}");
            // n − 1 additions, the factor 1/n and the product, each within half an ulp of Σ|x|/n at most
            double magnitude = x.Sum(v => Math.Abs(v) / x.Length), bound = (x.Length + 2) * Math.ScaleB(magnitude, -53);
            Assert.True(Math.Abs(mean - exact) <= bound, $"n {x.Length}: mean {mean:R}, exact {exact:R}, bound {bound:R}");
        });

    [Fact]
    public void Mean_gradient_is_the_seed_times_one_over_n_everywhere_also_where_the_sum_overflows()
    {
        var x = Tensor.From(new[,] { { 1e308, 1e308, 1.0 } }, requiresGrad: true);
        var grad = Autograd.Grad(x.Mean(), [x], seed: Tensor.Full(1, 1, 3.0))[0];
        Assert.Equal(Enumerable.Repeat(3.0 * (1.0 / 3), 3), grad.ToFlatArray());
        var recorded = Autograd.Grad(x.Mean(), [x], createGraph: true, Tensor.Full(1, 1, 3.0))[0];
        Assert.Equal(grad.ToFlatArray(), recorded.ToFlatArray());
    }

    [Fact]
    public void Mean_squared_error_is_finite_where_every_square_is_finite_though_their_sum_overflows()
    {
        // r² = 1e308 for each of three residuals: Σr² = ∞ but the mean of the squares is 1e308. (Where one r² itself
        // overflows, |r| > 1.34e154, see SumOfSquaresTests.)
        var prediction = Tensor.Full(1, 3, 1e154);
        var loss = AutoGrad.Nn.Loss.MeanSquaredError(prediction, Tensor.Zeros<double>(1, 3));
        Assert.Equal(1e154 * 1e154, loss.Item, 1e294);
    }
}
