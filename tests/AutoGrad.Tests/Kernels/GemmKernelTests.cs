using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The GEMM kernels against the textbook triple loop, for every form (A·B, Aᵀ·B, A·Bᵀ, Aᵀ·Bᵀ), double and float,
/// over sizes from 1 to 300: 1×1, odd sizes, sizes that are not multiples of the vector width or of the MR×NR
/// tile (MR = 6 rows with 256-bit vectors, 8 with 512-bit ones), sizes on both sides of the small-product kernel's limit, and sizes that
/// cross the KC = 256 slice (k is then cut into equal slices) and the MC = 72 (or 64) block boundaries of the packed kernel.
/// </summary>
public class GemmKernelTests
{
    public sealed record GemmCase(int M, int K, int N, bool TransposeA, bool TransposeB, int Seed)
    {
        public override string ToString() => $"{(TransposeA ? "Aᵀ" : "A")}·{(TransposeB ? "Bᵀ" : "B")} with m = {M}, k = {K}, n = {N} (seed {Seed})";
    }

    private static readonly Gen<int> Size = Gen.Frequency(
        (3, Gen.Choose(1, 40)),
        (2, Gen.Elements(1, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65, 71, 72, 73, 143, 144, 145)),
        (1, Gen.Choose(41, 300)));

    private static readonly Arbitrary<GemmCase> Cases = Arb.From(
        from m in Size from k in Size from n in Size
        from ta in Gen.Elements(false, true) from tb in Gen.Elements(false, true) from seed in Gen.Choose(0, 1000)
        select new GemmCase(m, k, n, ta, tb, seed),
        c => new[] { c with { M = c.M / 2 }, c with { K = c.K / 2 }, c with { N = c.N / 2 } }.Where(s => s.M > 0 && s.K > 0 && s.N > 0));

    private static void Check<T>(GemmCase c, Func<double, T> convert, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        var sa = c.TransposeA ? new Shape(c.K, c.M) : new Shape(c.M, c.K);
        var sb = c.TransposeB ? new Shape(c.N, c.K) : new Shape(c.K, c.N);
        double[] a = Enumerable.Range(0, sa.Length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] b = Enumerable.Range(0, sb.Length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        T[] at = a.Select(convert).ToArray(), bt = b.Select(convert).ToArray();
        var result = new T[c.M * c.N];
        Gemm.Multiply(at, sa, c.TransposeA, bt, sb, c.TransposeB, result, new Shape(c.M, c.N));
        for (int i = 0; i < c.M; i++)
        {
            for (int j = 0; j < c.N; j++)
            {
                double expected = 0, magnitude = 0;
                for (int p = 0; p < c.K; p++)
                {
                    double x = double.CreateChecked(at[c.TransposeA ? p * c.M + i : i * c.K + p]);
                    double y = double.CreateChecked(bt[c.TransposeB ? j * c.K + p : p * c.N + j]);
                    expected += x * y;
                    magnitude += Math.Abs(x * y);
                }
                double actual = double.CreateChecked(result[i * c.N + j]);
                // Any summation order is within k·ε·Σ|aᵢbᵢ| of the exact sum.
                Assert.True(Math.Abs(actual - expected) <= tolerance * c.K * magnitude + 1e-300,
                    $"C[{i},{j}]: {actual} vs {expected} (Σ|ab| = {magnitude})");
            }
        }
    }

    [Fact]
    public void Every_form_matches_the_triple_loop_in_double() =>
        Properties.Check(Cases, c => Check(c, v => v, 2.3e-16), cases: 150);

    [Fact]
    public void Every_form_matches_the_triple_loop_in_float() =>
        Properties.Check(Cases, c => Check(c, v => (float)v, 1.2e-7), cases: 150);

    [Fact]
    public void A_one_by_one_product_is_the_scalar_product()
    {
        var c = new double[1];
        Gemm.Multiply([3.0], new Shape(1, 1), false, [4.0], new Shape(1, 1), true, c, new Shape(1, 1));
        Assert.Equal(12.0, c[0]);
    }

    [Theory]
    [InlineData(16)] // the unpacked kernel
    [InlineData(80)] // the packed kernel
    public void Nan_and_infinity_propagate_as_ieee_says(int size)
    {
        // 0 · ∞ = NaN must not be skipped by a kernel that shortcuts zeros
        var a = new double[size * size];
        var b = new double[size * size];
        b[0] = double.PositiveInfinity;
        var c = new double[size * size];
        Gemm.Multiply(a, new Shape(size, size), false, b, new Shape(size, size), false, c, new Shape(size, size));
        Assert.True(double.IsNaN(c[0]));
        Assert.Equal(0.0, c[1]);
    }

    /// <summary>
    /// The unpacked kernel for small products and the packed kernel compute every element as the same chain of
    /// fused multiply-adds when k fits in one packed slice (k ≤ 256), so they must agree to the bit — a much
    /// sharper check of both than a tolerance against the triple loop.
    /// </summary>
    private static void SmallAndPackedAgree<T, TVec>(GemmCase c, Func<double, T> convert)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T>
    {
        if (!TVec.IsSupported || (c.TransposeA && c.TransposeB) || c.K > 256)
        {
            return; // beyond one slice the packed kernel adds the slices' partial sums: a different order
        }
        var random = new Random(c.Seed);
        var sa = c.TransposeA ? new Shape(c.K, c.M) : new Shape(c.M, c.K);
        var sb = c.TransposeB ? new Shape(c.N, c.K) : new Shape(c.K, c.N);
        T[] a = Enumerable.Range(0, sa.Length).Select(_ => convert(random.NextDouble() * 2 - 1)).ToArray();
        T[] b = Enumerable.Range(0, sb.Length).Select(_ => convert(random.NextDouble() * 2 - 1)).ToArray();
        var small = new T[c.M * c.N];
        var packed = new T[c.M * c.N];
        SmallGemm<T, TVec>.Multiply(a, sa, c.TransposeA, b, sb, c.TransposeB, small, new Shape(c.M, c.N));
        PackedGemm<T, TVec>.Multiply(a, sa, c.TransposeA, b, sb, c.TransposeB, packed, new Shape(c.M, c.N), parallel: false);
        Assert.Equal(packed, small);
    }

    [Fact]
    public void The_small_product_kernel_gives_the_packed_kernels_bits()
    {
        Properties.Check(Cases, c => SmallAndPackedAgree<double, Math512<double>>(c, v => v), cases: 100);
        Properties.Check(Cases, c => SmallAndPackedAgree<double, Math256<double>>(c, v => v), cases: 100);
        Properties.Check(Cases, c => SmallAndPackedAgree<float, Math512<float>>(c, v => (float)v), cases: 100);
        Properties.Check(Cases, c => SmallAndPackedAgree<float, Math256<float>>(c, v => (float)v), cases: 100);
    }

    /// <summary>
    /// The library's contract for every kernel but the row kernel: each element of C is the chain of fused
    /// multiply-adds p = 0, 1, …, k−1 from zero (for k up to one packed slice). Written out as that scalar chain, the
    /// product must match to the bit — whatever kernel, orientation, padding or edge tile the shape gets.
    /// </summary>
    private static void EveryElementIsTheFusedChain<T>(GemmCase c, Func<double, T> convert)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        var sa = c.TransposeA ? new Shape(c.K, c.M) : new Shape(c.M, c.K);
        var sb = c.TransposeB ? new Shape(c.N, c.K) : new Shape(c.K, c.N);
        var sc = new Shape(c.M, c.N);
        if ((c.TransposeA && c.TransposeB) || c.K > 256 || Gemm.Choose<T>(sa, c.TransposeA, sc).Kernel == GemmKernel.Rows)
        {
            return; // Aᵀ·Bᵀ and the row kernel sum in other orders; beyond one slice the packed kernel adds partial sums
        }
        T[] a = Enumerable.Range(0, sa.Length).Select(_ => convert(random.NextDouble() * 2 - 1)).ToArray();
        T[] b = Enumerable.Range(0, sb.Length).Select(_ => convert(random.NextDouble() * 2 - 1)).ToArray();
        var product = Enumerable.Repeat(T.NaN, sc.Length).ToArray(); // every element must be overwritten
        Gemm.Multiply(a, sa, c.TransposeA, b, sb, c.TransposeB, product, sc);
        T[] chains = Reference.FusedMultiplyAddChains(a, c.TransposeA, b, c.TransposeB, c.M, c.K, c.N);
        for (int i = 0; i < c.M; i++)
        {
            for (int j = 0; j < c.N; j++)
            {
                T sum = chains[i * c.N + j];
                Assert.True(sum.Equals(product[i * c.N + j]), $"C[{i},{j}] = {product[i * c.N + j]}, the chain gives {sum}");
            }
        }
    }

    /// <summary>
    /// Inner dimensions of 1 to 4 take a kernel of their own for whole two-vector column panels (the panel of op(B) in
    /// registers, one row at a time): each element must still be the chain of k fused multiply-adds from zero, beside
    /// narrower panels and edge columns computed by the tiles, at every width and both orientations of A and B.
    /// </summary>
    [Fact]
    public void Products_with_an_inner_dimension_up_to_four_keep_the_chain_of_fused_multiply_adds()
    {
        var cases = Arb.From(
            from m in Gen.Choose(1, 40) from k in Gen.Choose(1, 4) from n in Gen.Choose(1, 70)
            from ta in Gen.Elements(false, true) from tb in Gen.Elements(false, true) from seed in Gen.Choose(0, 1000)
            select new GemmCase(m, k, n, ta, tb, seed));
        Properties.Check(cases, c => EveryElementIsTheFusedChain(c, v => v), cases: 150);
        Properties.Check(cases, c => EveryElementIsTheFusedChain(c, v => (float)v), cases: 150);
    }

    [Fact]
    public void Every_kernel_computes_each_element_as_the_chain_of_fused_multiply_adds()
    {
        Properties.Check(Cases, c => EveryElementIsTheFusedChain(c, v => v), cases: 150);
        Properties.Check(Cases, c => EveryElementIsTheFusedChain(c, v => (float)v), cases: 150);
    }

    [Theory]
    [InlineData(200, 40, 100, false)] // the unpacked kernel, rows split across threads
    [InlineData(200, 40, 100, true)]
    [InlineData(300, 280, 270, false)]
    [InlineData(130, 512, 600, false)] // op(B) slices of 256 × 600 ≥ 128 Ki elements: packed by both threads
    [InlineData(130, 512, 600, true)]
    [InlineData(70, 784, 90, true)] // four slices of 196
    public void A_large_product_is_bit_for_bit_the_same_on_one_thread_and_on_many(int m, int k, int n, bool transposeB)
    {
        var random = new Random(3);
        var sa = new Shape(m, k);
        var sb = transposeB ? new Shape(n, k) : new Shape(k, n);
        var a = Enumerable.Range(0, sa.Length).Select(_ => random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, sb.Length).Select(_ => random.NextDouble()).ToArray();
        var serial = new double[m * n];
        using (Parallelism.Serial())
        {
            Gemm.Multiply(a, sa, false, b, sb, transposeB, serial, new Shape(m, n));
        }
        foreach (int threads in new[] { 2, 3 })
        {
            var parallel = new double[m * n];
            Compilation.CompiledEquivalenceTests.AtThreads(threads, () => Gemm.Multiply(a, sa, false, b, sb, transposeB, parallel, new Shape(m, n)));
            Assert.Equal(serial, parallel);
        }
        // With the SIMD kernels (AVX2+FMA or AVX-512) the product is also the packed kernel's serial product, whichever
        // kernel ran; without them the row kernel runs and only the comparison across thread counts applies.
        var packed = new double[m * n];
        if (Math512<double>.IsSupported)
        {
            PackedGemm<double, Math512<double>>.Multiply(a, sa, false, b, sb, transposeB, packed, new Shape(m, n), parallel: false);
            Assert.Equal(packed, serial);
        }
        else if (Math256<double>.IsSupported)
        {
            PackedGemm<double, Math256<double>>.Multiply(a, sa, false, b, sb, transposeB, packed, new Shape(m, n), parallel: false);
            Assert.Equal(packed, serial);
        }
    }
}
