using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Asserts the accuracy contract of every element-wise kernel (<see cref="KernelAccuracy"/>, the table in README):
/// no element beyond the kernel's bound in ulps, over the whole range and every length from 1 to 40, in double and
/// float; most elements exactly the reference; and a kernel planted one ulp worse refused by the contract.
/// </summary>
public class KernelAccuracyTests
{
    public static TheoryData<string> Kernels => [.. KernelAccuracy.Forward.Concat(KernelAccuracy.Gradient).Select(c => c.Kernel)];

    private static void AssertWithinBound(string kernel, bool single)
    {
        KernelAccuracy.Contract contract = KernelAccuracy.Find(kernel);
        int bound = single ? contract.FloatUlps : contract.DoubleUlps;
        Properties.Check(KernelAccuracy.Cases(single), c =>
        {
            foreach (var (ulps, where) in KernelAccuracy.Errors(kernel, c.X, c.Y, c.Z, single))
            {
                Assert.True(ulps <= bound, $"{where}: {ulps} ulp, bound {bound}");
            }
        }, cases: 300);
    }

    /// <summary>The largest error and the share of exact elements over 400 random cases (about 8,000 elements).</summary>
    private static (long MaxUlps, double ExactShare) Measure(string kernel, bool single, bool oneUlpWorse = false)
    {
        var errors = Properties.Sample(KernelAccuracy.Cases(single).Generator, 40, 400 * Properties.Scale)
            .SelectMany(c => KernelAccuracy.Errors(kernel, c.X, c.Y, c.Z, single, oneUlpWorse))
            .Select(e => e.Ulps).ToList();
        return (errors.Max(), errors.Count(u => u == 0) / (double)errors.Count);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void The_kernel_is_within_its_bound_in_double(string kernel) => AssertWithinBound(kernel, single: false);

    [Theory]
    [MemberData(nameof(Kernels))]
    public void The_kernel_is_within_its_bound_in_float(string kernel) => AssertWithinBound(kernel, single: true);

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Most_elements_are_exactly_the_reference(string kernel)
    {
        KernelAccuracy.Contract contract = KernelAccuracy.Find(kernel);
        foreach (bool single in new[] { false, true })
        {
            double share = Measure(kernel, single).ExactShare;
            Assert.True(share >= contract.ExactShare, $"{kernel} {(single ? "float" : "double")}: {share:P1} exact, contract {contract.ExactShare:P0}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void A_kernel_planted_one_ulp_worse_breaks_the_contract(string kernel)
    {
        KernelAccuracy.Contract contract = KernelAccuracy.Find(kernel);
        foreach (bool single in new[] { false, true })
        {
            var (maxUlps, exactShare) = Measure(kernel, single, oneUlpWorse: true);
            Assert.True(maxUlps > (single ? contract.FloatUlps : contract.DoubleUlps) || exactShare < contract.ExactShare,
                $"{kernel} {(single ? "float" : "double")} one ulp worse: max {maxUlps} ulp, {exactShare:P1} exact — within the contract");
        }
    }

    /// <summary>
    /// An element's result is a function of its value alone: the same bits whether it is computed in a span of
    /// 1–40 elements at any position (a vector lane, the tail) or alone. A compiled plan relies on this (it runs a
    /// kernel on bands of the same array); TensorPrimitives' Log, for one, takes another path for short spans.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kernels))]
    public void An_element_gets_the_same_bits_whatever_its_position_and_the_span_s_length(string kernel)
    {
        Properties.Check(KernelAccuracy.Cases(single: false), c =>
        {
            AssertSameBits(KernelAccuracy.Run(kernel, c.X, c.Y, c.Z), i => KernelAccuracy.Run(kernel, [c.X[i]], [c.Y[i]], [c.Z[i]])[0], kernel, c.X);
            float[] xf = [.. c.X.Select(v => (float)v)], yf = [.. c.Y.Select(v => (float)v)], zf = [.. c.Z.Select(v => (float)v)];
            AssertSameBits(KernelAccuracy.Run(kernel, xf, yf, zf), i => KernelAccuracy.Run(kernel, [xf[i]], [yf[i]], [zf[i]])[0], kernel, c.X);
        }, cases: 100);

        static void AssertSameBits<T>(T[] whole, Func<int, T> alone, string kernel, double[] x) where T : System.Numerics.IFloatingPointIeee754<T>
        {
            for (int i = 0; i < whole.Length; i++)
            {
                T single = alone(i);
                // the same bits (so +0 and −0 differ), or NaN both
                bool same = double.CreateTruncating(whole[i]) is var a && double.CreateTruncating(single) is var b
                    && (BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b)));
                Assert.True(same,
                    $"{kernel} {typeof(T).Name}, element {i} of {whole.Length} (x = {x[i]:R}): {whole[i]} in the span, {single} alone");
            }
        }
    }

    /// <summary>
    /// Found by the accuracy contract (session eight): Div′(b) = −g·((a/b)/b) was NaN (0·∞) for g = 0 where (a/b)/b
    /// overflows and for g = ±∞ where it underflows to 0; the split form now gives the signed 0 or ∞ the true value is.
    /// </summary>
    [Fact]
    public void The_denominator_gradient_of_a_zero_or_infinite_seed_is_not_NaN_where_a_over_b_squared_leaves_the_range()
    {
        var pb = Tensor.FromRowMajor(1, 1, [1e-300], requiresGrad: true);
        var pg = Autograd.Grad(pb.Pow(-1.0), [pb], seed: Tensor.FromRowMajor(1, 1, [0.0]))[0][0, 0];
        Assert.Equal(-0.0, pg); // Pow's rule shares the split form: 0 · (−1) · (1e-300)⁻² is −0, not 0·∞
        Assert.True(double.IsNegative(pg));
        var bf = Tensor.FromRowMajor(1, 1, [1e-45f], requiresGrad: true);
        var gf = Autograd.Grad(Tensor.FromRowMajor(1, 1, [1f]).Div(bf), [bf], seed: Tensor.FromRowMajor(1, 1, [0f]))[0][0, 0];
        Assert.Equal(-0f, gf); // the true value −0·1/(1e-45)² is −0
        var bd = Tensor.FromRowMajor(1, 1, [1e-300], requiresGrad: true);
        var gd = Autograd.Grad(Tensor.FromRowMajor(1, 1, [1.0]).Div(bd), [bd], seed: Tensor.FromRowMajor(1, 1, [0.0]))[0][0, 0];
        Assert.Equal(-0.0, gd);
        var bi = Tensor.FromRowMajor(1, 1, [1e30f], requiresGrad: true);
        var gi = Autograd.Grad(Tensor.FromRowMajor(1, 1, [1f]).Div(bi), [bi], seed: Tensor.FromRowMajor(1, 1, [float.PositiveInfinity]))[0][0, 0];
        Assert.Equal(float.NegativeInfinity, gi); // −∞·1/(1e30)², where (a/b)/b = 1e-60 underflows to 0 in float
    }

    [Fact]
    public void Tanh_of_zero_tiny_and_subnormal_values_is_the_value_itself()
    {
        // issue 13, example 1: the vector path gave −5.96e-8 for 0 in float, −0 for 1e-20, ±0 for subnormals
        Assert.Equal(0f, Tensor.Zeros<float>(4, 4).Tanh()[0, 0]);
        Assert.False(float.IsNegative(Tensor.Zeros<float>(4, 4).Tanh()[3, 3]));
        Assert.All(Tensor.Full(1, 8, 1e-20).Tanh().ToFlatArray(), v => Assert.Equal(1e-20, v));
        Assert.All(Tensor.Full(1, 9, -5e-324).Tanh().ToFlatArray(), v => Assert.Equal(-5e-324, v));
        Assert.All(Tensor.Full(1, 9, 1e-40f).Tanh().ToFlatArray(), v => Assert.Equal(1e-40f, v));
        Assert.All(Tensor.Full(3, 7, 1e-6f).Tanh().ToFlatArray(), v => Assert.Equal((float)Math.Tanh(1e-6f), v));
        Assert.All(Tensor.Full(3, 7, 1e-12).Tanh().ToFlatArray(), v => Assert.Equal(Math.Tanh(1e-12), v));
        Assert.True(double.IsNegative(Tensor.Full(1, 5, -0.0).Tanh()[0, 4]));
    }
}
