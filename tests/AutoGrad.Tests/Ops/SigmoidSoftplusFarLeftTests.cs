using System.Numerics;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Issue 13's leftover: σ′ and softplus′ far left (x &lt; −708, float −87) with a large seed g. σ(x) is rounded into the
/// subnormals there, and g·σ(x) (or g·y(1 − y)) lost up to all its digits where the true value is a normal number.
/// Both now take g·eˣ in split form there (σ(x) = σ′(x) = eˣ to a relative 2eˣ); the references below are the exact
/// g·σ(x)(1 − σ(x)) and g·σ(x) from mpmath at 60 digits, rounded once. Elsewhere the bits are unchanged.
/// </summary>
public class SigmoidSoftplusFarLeftTests
{
    // (g, x, g·σ′(x), g·σ(x)) — mpmath, 60 digits, rounded to double
    private static readonly (double G, double X, double Sigmoid, double Softplus)[] Doubles =
    [
        (1e+300, -750.0, 1.9016849634750064e-26, 1.9016849634750064e-26),
        (1.7976931348623157e+308, -1400.0, 1.7475954099390985e-300, 1.7475954099390985e-300),
        (1e+200, -709.5, 7.380148314012581e-109, 7.380148314012581e-109),
        (-3e+250, -900.0, -4.0934316370970477e-141, -4.0934316370970477e-141),
        (1.0, -720.0, 2.0322308024e-313, 2.0322308024e-313),
        (5e+307, -1440.0, 2.06498e-318, 2.06498e-318),
    ];

    // the same for float values of g and x, rounded to float
    private static readonly (float G, float X, float Sigmoid, float Softplus)[] Floats =
    [
        (8.86e+23f, -103.9f, 6.6716983e-22f, 6.6716983e-22f),
        (3e+38f, -150.0f, 2.1525289e-27f, 2.1525289e-27f),
        (-1e+30f, -90.0f, -8.1940127e-10f, -8.1940127e-10f),
        (1e+20f, -88.5f, 3.6723017e-19f, 3.6723017e-19f),
        (2.5e+38f, -190.0f, 7e-45f, 7e-45f),
    ];

    private static long Ulps(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    private static int Ulps(float a, float b) => Math.Abs(BitConverter.SingleToInt32Bits(a) - BitConverter.SingleToInt32Bits(b));

    /// <summary>∂/∂x of Σ g·f(x) for one element: eager, and a compiled step (which must give the same bits).</summary>
    private static (T Eager, T Compiled) Gradient<T>(Func<Tensor<T>, Tensor<T>> f, T g, T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var leaf = Tensor.Scalar(x, requiresGrad: true);
        f(leaf).Backward(Tensor.Scalar(g));
        var compiledLeaf = Tensor.Scalar(x, requiresGrad: true);
        var step = Tensor.Compile((Tensor<T> seed) => (f(compiledLeaf) * seed).Sum());
        step.Run(Tensor.Scalar(g));
        return (leaf.Grad!.Item, compiledLeaf.Grad!.Item);
    }

    [Fact]
    public void Double_far_left_gradients_with_a_large_seed_are_within_two_ulps_of_the_exact_value()
    {
        foreach (var (g, x, sigmoid, softplus) in Doubles)
        {
            var s = Gradient<double>(t => t.Sigmoid(), g, x);
            var p = Gradient<double>(t => t.Softplus(), g, x);
            Assert.True(Ulps(s.Eager, sigmoid) <= 2, $"σ′: g = {g:R}, x = {x:R}: {s.Eager:R}, exact {sigmoid:R}");
            Assert.True(Ulps(p.Eager, softplus) <= 2, $"softplus′: g = {g:R}, x = {x:R}: {p.Eager:R}, exact {softplus:R}");
            Assert.Equal(BitConverter.DoubleToInt64Bits(s.Eager), BitConverter.DoubleToInt64Bits(s.Compiled));
            Assert.Equal(BitConverter.DoubleToInt64Bits(p.Eager), BitConverter.DoubleToInt64Bits(p.Compiled));
        }
        // the textbook forms are far off here: g·σ(x) with σ(−750) rounded to a subnormal of a few bits
        double sigma = 1 / (1 + Math.Exp(750.0));
        Assert.True(Ulps(1e300 * sigma, Doubles[0].Softplus) > 1000);
    }

    [Fact]
    public void Float_far_left_gradients_with_a_large_seed_are_within_one_ulp_of_the_exact_value()
    {
        foreach (var (g, x, sigmoid, softplus) in Floats)
        {
            var s = Gradient<float>(t => t.Sigmoid(), g, x);
            var p = Gradient<float>(t => t.Softplus(), g, x);
            Assert.True(Ulps(s.Eager, sigmoid) <= 1, $"σ′: g = {g:R}, x = {x:R}: {s.Eager:R}, exact {sigmoid:R}");
            Assert.True(Ulps(p.Eager, softplus) <= 1, $"softplus′: g = {g:R}, x = {x:R}: {p.Eager:R}, exact {softplus:R}");
            Assert.Equal(BitConverter.SingleToInt32Bits(s.Eager), BitConverter.SingleToInt32Bits(s.Compiled));
            Assert.Equal(BitConverter.SingleToInt32Bits(p.Eager), BitConverter.SingleToInt32Bits(p.Compiled));
        }
        float e = MathF.Exp(-103.9f), subnormalSigma = e / (1 + e); // what g·σ(x) gave: 1.24e-21 (README's example)
        Assert.True(Ulps(8.86e23f * subnormalSigma, Floats[0].Softplus) > 1000);
    }

    /// <summary>
    /// An infinite or NaN seed far left keeps the plain product's value, as PyTorch 1.13: where the rounded σ (and so
    /// σ′) is 0, g·0 is NaN (PyTorch: NaN for both, double x = −800, float x = −110); where σ is a subnormal above 0,
    /// ∞ times it is ∞ (PyTorch's softplus′ gives ±∞ there too; its σ′ gives NaN because its forward σ(−720) is 0, where
    /// AutoGrad keeps the subnormal value — README's σ row). The split form never sees such a seed: it would turn
    /// ±∞ · 0 into ±∞.
    /// </summary>
    [Fact]
    public void Infinite_and_nan_seeds_far_left_keep_the_plain_products_value_as_pytorch()
    {
        foreach (double g in new[] { double.PositiveInfinity, double.NegativeInfinity, double.NaN })
        {
            foreach (double x in new[] { -800.0, -745.2, -1400.0 })
            {
                var s = Gradient<double>(t => t.Sigmoid(), g, x);
                var p = Gradient<double>(t => t.Softplus(), g, x);
                Assert.True(double.IsNaN(s.Eager) && double.IsNaN(s.Compiled), $"σ′: g = {g}, x = {x}: {s.Eager}, {s.Compiled}");
                Assert.True(double.IsNaN(p.Eager) && double.IsNaN(p.Compiled), $"softplus′: g = {g}, x = {x}: {p.Eager}, {p.Compiled}");
            }
            var subnormal = Gradient<double>(t => t.Softplus(), g, -720.0);
            Assert.Equal(g, subnormal.Eager);
            Assert.Equal(g, subnormal.Compiled);
            Assert.Equal(g, Gradient<double>(t => t.Sigmoid(), g, -720.0).Eager);
        }
        foreach (float g in new[] { float.PositiveInfinity, float.NegativeInfinity, float.NaN })
        {
            foreach (float x in new[] { -110f, -104f, -200f })
            {
                var s = Gradient<float>(t => t.Sigmoid(), g, x);
                var p = Gradient<float>(t => t.Softplus(), g, x);
                Assert.True(float.IsNaN(s.Eager) && float.IsNaN(s.Compiled), $"σ′: g = {g}, x = {x}: {s.Eager}, {s.Compiled}");
                Assert.True(float.IsNaN(p.Eager) && float.IsNaN(p.Compiled), $"softplus′: g = {g}, x = {x}: {p.Eager}, {p.Compiled}");
            }
            Assert.Equal(g, Gradient<float>(t => t.Softplus(), g, -90f).Eager);
            Assert.Equal(g, Gradient<float>(t => t.Sigmoid(), g, -103.3f).Compiled);
        }
    }

    /// <summary>A zero seed far left gives a zero of the seed's sign, as PyTorch (g·0 where σ is 0, the split form's
    /// signed zero where it is subnormal).</summary>
    [Fact]
    public void Zero_seeds_far_left_give_a_zero_of_the_seeds_sign()
    {
        foreach (double x in new[] { -800.0, -720.0, -1400.0 })
        {
            foreach (double g in new[] { 0.0, -0.0 })
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(g), BitConverter.DoubleToInt64Bits(Gradient<double>(t => t.Sigmoid(), g, x).Eager));
                Assert.Equal(BitConverter.DoubleToInt64Bits(g), BitConverter.DoubleToInt64Bits(Gradient<double>(t => t.Softplus(), g, x).Compiled));
            }
        }
    }

    [Fact]
    public void Far_left_gradients_match_a_log_domain_reference_and_elsewhere_keep_their_bits()
    {
        // x over [−1400, 30], g over 1e-300…1e300 of either sign; far left the result is compared with exp(ln|g| + x)
        // (relative 1e-12: the sum rounds at 700·2⁻⁵³), elsewhere with the plain product of the kernel's own factors
        var arbitrary = (from x in Gen.Choose(-1_400_000, 30_000).Select(k => k * 1e-3)
                         from e in Gen.Choose(-300, 300)
                         from sign in Gen.Elements(1.0, -1.0)
                         from length in Gen.Choose(1, 20)
                         select (X: x, G: sign * Math.Pow(10, e), Length: length)).ToArbitrary();
        Properties.Check(arbitrary, c =>
        {
            var x = Tensor.Full<double>(1, c.Length, c.X, requiresGrad: true);
            var y = x.Sigmoid();
            var sp = x.Softplus();
            double[] dSigmoid = Autograd.Grad(y, [x], seed: Tensor.Full<double>(1, c.Length, c.G))[0].ToFlatArray();
            double[] dSoftplus = Autograd.Grad(sp, [x], seed: Tensor.Full<double>(1, c.Length, c.G))[0].ToFlatArray();
            double sigma = y.ToFlatArray()[0];
            if (sigma < 2.2250738585072014e-308)
            {
                double reference = Math.CopySign(Math.Exp(Math.Log(Math.Abs(c.G)) + c.X), c.G);
                foreach (double d in dSigmoid.Concat(dSoftplus))
                {
                    Assert.True(Math.Abs(d - reference) <= 1e-12 * Math.Abs(reference) + 2e-323, // subnormal results: a few ulps of 4.9e-324 more
                        $"g = {c.G:R}, x = {c.X:R}: {d:R}, reference {reference:R}");
                }
            }
            else
            {
                Assert.All(dSigmoid, d => Assert.Equal(c.G * (sigma * (1 - sigma)), d));
            }
        });
    }

    [Fact]
    public void One_far_left_element_among_ordinary_ones_gets_its_own_value_at_every_position()
    {
        var arbitrary = (from n in Gen.Choose(1, 40)
                         from at in Gen.Choose(0, n - 1)
                         select (N: n, At: at)).ToArbitrary();
        Properties.Check(arbitrary, c =>
        {
            AssertAlone<double>(c.N, c.At, -750, 1e300);
            AssertAlone<float>(c.N, c.At, -103.9f, 8.86e23f);
        });
    }

    /// <summary>
    /// The same among NaN elements: σ′'s one pass looks for far-left values two vectors at a time, and a NaN in one of
    /// them must not hide a far-left value in the other (a minimum of the pair would: IEEE minimum gives NaN).
    /// </summary>
    [Fact]
    public void One_far_left_element_among_nan_elements_gets_its_own_value_at_every_position()
    {
        var arbitrary = (from n in Gen.Choose(1, 40)
                         from at in Gen.Choose(0, n - 1)
                         select (N: n, At: at)).ToArbitrary();
        Properties.Check(arbitrary, c =>
        {
            AssertAlone<double>(c.N, c.At, -750, 1e300, double.NaN);
            AssertAlone<float>(c.N, c.At, -103.9f, 8.86e23f, float.NaN);
        });
    }

    private static void AssertAlone<T>(int n, int at, T farLeft, T seed, T? filler = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] values = Enumerable.Range(0, n).Select(i => filler ?? T.CreateChecked(i % 5 - 2)).ToArray();
        values[at] = farLeft;
        var x = Tensor.FromRowMajor(1, n, values, requiresGrad: true);
        T[] seeds = Enumerable.Repeat(seed, n).ToArray();
        T[] sigmoid = Autograd.Grad(x.Sigmoid(), [x], seed: Tensor.FromRowMajor<T>(1, n, seeds))[0].ToFlatArray();
        T[] softplus = Autograd.Grad(x.Softplus(), [x], seed: Tensor.FromRowMajor<T>(1, n, seeds))[0].ToFlatArray();
        var alone = Tensor.Scalar(farLeft, requiresGrad: true);
        Assert.Equal(Autograd.Grad(alone.Sigmoid(), [alone], seed: Tensor.Scalar(seed))[0].Item, sigmoid[at]);
        Assert.Equal(Autograd.Grad(alone.Softplus(), [alone], seed: Tensor.Scalar(seed))[0].Item, softplus[at]);
        Assert.True(T.IsNormal(sigmoid[at]), $"{typeof(T).Name} σ′ at position {at} of {n}: {sigmoid[at]}");
    }
}
