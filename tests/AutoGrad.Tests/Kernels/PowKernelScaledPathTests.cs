using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Which elements Pow's gradient kernels send to the split (significand · 2ᵉ) evaluation <see cref="PowKernel.Scaled"/>:
/// every element whose x^q, g · x^q or result is not a normal number (run F's survivors on the conditions), and only
/// those — a normal element keeps the plain product's bits; and an |q| beyond the split's range falls back to the plain product.
/// </summary>
public class PowKernelScaledPathTests
{
    /// <summary>
    /// g = 2¹⁰⁰⁰, x = 1.1 · 2⁻⁵³⁰, q = 2: x² = 1.21 · 2⁻¹⁰⁶⁰ is subnormal (14 bits kept) while g · x² = 1.21 · 2⁻⁶⁰ and the
    /// result are normal. Only the subnormal x^q sends the element to the split evaluation, which keeps all 53 bits;
    /// the plain product is off by about 2⁻¹⁵ (relative).
    /// </summary>
    [Fact]
    public void A_subnormal_power_with_a_normal_product_is_evaluated_in_split_form()
    {
        double x = Math.ScaleB(1.1, -530), g = Math.ScaleB(1.0, 1000);
        double expected = Math.ScaleB(1.1 * 1.1, -60); // exact scaling of the correctly rounded 1.21
        var d = new double[1];
        PowKernel.Gradient<double>([g], [x], 1.0, 2.0, d);
        Assert.True(Math.Abs(d[0] - expected) <= 4e-16 * expected, $"{d[0]:R}, expected {expected:R}");
        var dp = new double[1];
        PowKernel.GradientOfProduct<double>([[g]], 0, [x], 1.0, 2.0, dp);
        Assert.True(Math.Abs(dp[0] - expected) <= 4e-16 * expected, $"{dp[0]:R}, expected {expected:R}");
    }

    /// <summary>
    /// Ordinary inputs (x, seeds and c within a few units, q among integers and fractions) keep the plain product's bits
    /// ((g₁ · g₂) · x^q) · c: the split evaluation rounds differently, so a condition that sent a normal element there shows.
    /// </summary>
    [Fact]
    public void Normal_elements_keep_the_plain_products_bits() =>
        Properties.Check(Arb.From(
            from x in Gen.Choose(500, 3000).Select(k => k / 997.0)
            from g1 in Gen.Choose(-3000, 3000).Where(k => k != 0).Select(k => k / 1009.0)
            from g2 in Gen.Choose(500, 3000).Select(k => k / 1013.0)
            from c in Gen.Choose(1, 70).Select(k => k / 7.0)
            from q in Gen.Elements(-2.5, -1.0, 0.3, 0.5, 1.7, 2.0, 3.3)
            select (x, g1, g2, c, q)), t =>
        {
            var (x, g1, g2, c, q) = t;
            double plain = ((g1 * g2) * Math.Pow(x, q)) * c;
            var d = new double[1];
            PowKernel.GradientOfProduct<double>([[g1], [g2]], 0, [x], c, q, d);
            Assert.Equal(BitConverter.DoubleToInt64Bits(plain), BitConverter.DoubleToInt64Bits(d[0]));
            double single = (g1 * Math.Pow(x, q)) * c;
            PowKernel.Gradient<double>([g1], [x], c, q, d);
            Assert.Equal(BitConverter.DoubleToInt64Bits(single), BitConverter.DoubleToInt64Bits(d[0]));
        });

    /// <summary>
    /// x = 0.95 = 1.9 · 2⁻¹, q = 20000: x^q underflows to 0 (so the element goes to the split form) and so does the split's
    /// own 1.9^q overflow to ∞ — beyond its range, where it gives back the plain product (0 here), never an ∞ or NaN
    /// built from the ∞ significand power.
    /// </summary>
    [Fact]
    public void A_power_beyond_the_split_range_falls_back_to_the_plain_product()
    {
        var d = new double[1];
        PowKernel.Gradient<double>([1e300], [0.95], 1.0, 20000, d);
        Assert.Equal(0.0, d[0]);
        PowKernel.GradientOfProduct<double>([[1e150], [1e150]], 0, [0.95], 1.0, 20000, d);
        Assert.Equal(0.0, d[0]);
        Assert.Equal(0.0, PowKernel.Scaled([1e300], 0.95, 1.0, 20000, direct: 0.0));
    }
}
