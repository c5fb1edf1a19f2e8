using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="ExpGradientKernel.GradientOfProduct"/> case by case: one test per decision of the kernel (the one-seed
/// plain product, each of the three guards that send an element to the split form, the argument reduction's cut at
/// |x| = 1e5), each with inputs where exactly that decision sets the result. The references are exact: the seeds'
/// product of doubles is exact as a ratio of integers (or a power of two), eˣ comes from a 80-digit decimal
/// evaluation (Python's <c>decimal</c>, pasted here), rounded once to double.
/// </summary>
public class ExpGradientKernelGuardTests
{
    private static double Run(double[] seeds, double x, double y)
    {
        var d = new double[1];
        ExpGradientKernel.GradientOfProduct<double>(seeds.Select(s => new[] { s }).ToArray(), 0, [x], [y], d);
        return d[0];
    }

    private static long UlpsApart(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    [Fact]
    public void One_seed_is_the_plain_product_g_times_y_read_from_the_offset()
    {
        // seed elements 3 … 6 belong to x[0 … 3]; the last one is g = 1e-300 with y = e⁷¹⁰ = ∞: the plain product is ∞
        // (the first derivative is PyTorch's g·y), where the split form would give 1e-300·e⁷¹⁰ = 2.2e8
        double[] g = [9, 9, 9, 3, -0.5, 7e-3, 1e-300, 9];
        double[] x = [0.5, 2, -3, 710];
        double[] y = x.Select(Math.Exp).ToArray();
        Assert.Equal(double.PositiveInfinity, y[3]);
        var d = Enumerable.Repeat(double.NaN, 4).ToArray();
        ExpGradientKernel.GradientOfProduct<double>([g], 3, x, y, d);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(g[3 + i] * y[i]), BitConverter.DoubleToInt64Bits(d[i]));
        }
    }

    [Fact]
    public void Several_seeds_are_read_from_the_offset_and_multiplied_with_y()
    {
        double[] g1 = [5, 5, 1.5, -2, 0.25], g2 = [5, 5, 3, 7, 1e-3];
        double[] x = [0.1, -4, 30];
        double[] y = x.Select(Math.Exp).ToArray();
        var d = new double[3];
        ExpGradientKernel.GradientOfProduct<double>([g1, g2], 2, x, y, d);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(g1[2 + i] * g2[2 + i] * y[i]), BitConverter.DoubleToInt64Bits(d[i]));
        }
    }

    [Fact]
    public void A_partial_product_out_of_range_alone_sends_the_element_to_the_split_form()
    {
        // 1e-160 · 1e-160 = 1e-320 is subnormal (11 significant bits); · 1e300 it is normal again, as are y = 1 and the
        // result: only the partial-product guard sees the lost digits. The exact product, rounded once:
        double exact = 1.0000000000000001e-20;
        double plain = 1e-160 * 1e-160 * 1e300;
        Assert.True(UlpsApart(plain, exact) > 1_000_000, $"the plain product {plain:R} should be far from {exact:R}");
        Assert.Equal(exact, Run([1e-160, 1e-160, 1e300], 0, 1));
    }

    [Fact]
    public void A_subnormal_exp_alone_sends_the_element_to_the_split_form()
    {
        // e⁻⁷²⁰ = 2.03e-313 is subnormal (35 significant bits); the seeds' product 1e300 and the result 2.03e-13 are
        // normal: only the guard on y sees it. ḡ·g·e⁻⁷²⁰ exactly, rounded once:
        double exact = 2.0322308024242932e-13, y = Math.Exp(-720);
        Assert.False(double.IsNormal(y));
        double plain = 1e150 * 1e150 * y;
        Assert.True(UlpsApart(plain, exact) > 10_000, $"the plain product {plain:R} should be far from {exact:R}");
        double d = Run([1e150, 1e150], -720, y);
        Assert.True(UlpsApart(d, exact) <= 2, $"{d:R}, exact {exact:R}");
    }

    [Fact]
    public void A_subnormal_result_alone_sends_the_element_to_the_split_form()
    {
        // the seeds' product (6.9e-43) and y = e^-611.7… are normal, the result 1.5e-308 is subnormal: the plain product of
        // the rounded product and the rounded y lands one unit off the exact value (found by search, exact by decimal)
        double g1 = 4.302255773306454e-43, g2 = 1.5997746426365174, x = -611.7160393893555;
        double y = Math.Exp(x), exact = 1.4888626534218446e-308;
        Assert.Equal(2.1632145804371076e-266, y);
        double plain = g1 * g2 * y;
        Assert.True(double.IsNormal(g1 * g2) && double.IsSubnormal(plain) && plain != exact, $"plain {plain:R}");
        Assert.Equal(exact, Run([g1, g2], x, y));
    }

    [Theory]
    [InlineData(1e5, 134, -1074, -353, 1.4182274216760538)]
    [InlineData(-1e5, 141, 1023, 26, 0.7051055315361237)]
    public void At_x_of_exactly_1e5_the_argument_is_reduced_exactly(double x, int count, int power, int lastPower, double exact)
    {
        // e^±1e5 = 2^±144269.504…; count seeds of 2^power and one of 2^lastPower make 2^∓144269, so the true value is
        // 2^±0.504 — in range. Beyond |x| = 1e5 the kernel saturates (2^±1e6); at 1e5 it must still reduce the argument.
        double[] seeds = [.. Enumerable.Repeat(Math.ScaleB(1.0, power), count), Math.ScaleB(1.0, lastPower)];
        double d = Run(seeds, x, Math.Exp(x));
        Assert.True(UlpsApart(d, exact) <= 2, $"{d:R}, exact {exact:R}");
    }

    [Theory]
    [InlineData(2e5)]
    [InlineData(-2e5)]
    [InlineData(18446744073709551616.0)] // 2⁶⁴: k·ln 2 in two parts is no longer exact, r would be −19019
    [InlineData(-18446744073709551616.0)]
    public void Beyond_1e5_the_result_saturates_whatever_the_seeds(double x)
    {
        // true value 6·eˣ: ∞ for x > 0, 0 for x < 0 (a reduction k = round(x / ln 2) would leave a huge r of either sign)
        double expected = x > 0 ? double.PositiveInfinity : 0;
        Assert.Equal(expected, Run([2, 3, 1], x, Math.Exp(x)));
        Assert.Equal(-expected, Run([2, -3, 1], x, Math.Exp(x)));
    }

    [Fact]
    public void Up_to_16_seeds_the_factors_live_on_the_stack()
    {
        foreach (int count in new[] { 2, 16 })
        {
            double[][] seeds = Enumerable.Range(0, count).Select(j => new[] { 1.0 + j, 2.0, 3.0 }).ToArray();
            double[] x = [1, 2, 3], y = x.Select(Math.Exp).ToArray(), d = new double[3];
            ExpGradientKernel.GradientOfProduct<double>(seeds, 0, x, y, d); // warm up
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                ExpGradientKernel.GradientOfProduct<double>(seeds, 0, x, y, d);
            }
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(bytes == 0, $"{count} seeds: {bytes} B allocated in 10 calls");
        }
        // 17 seeds still work (the factors on the heap)
        double[][] many = Enumerable.Range(0, 17).Select(_ => new[] { 2.0 }).ToArray();
        var result = new double[1];
        ExpGradientKernel.GradientOfProduct<double>(many, 0, [0.0], [1.0], result);
        Assert.Equal(131072.0, result[0]);
    }
}
