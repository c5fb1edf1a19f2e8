using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The tiny-product kernel (<see cref="Gemm.Tiny"/>, the batch-1 products of a small step) computes each element as
/// the chain of fused multiply-adds p = 0 … k−1 from zero, the chain of the SIMD kernels: so it must give the unpacked
/// kernel's bits for every form, and <see cref="Gemm.Multiply"/> must choose it exactly for the tiny shapes.
/// </summary>
public class TinyGemmTests
{
    public sealed record TinyCase(int M, int K, int N, bool TransposeA, bool TransposeB, int Seed)
    {
        public override string ToString() => $"{(TransposeA ? "Aᵀ" : "A")}·{(TransposeB ? "Bᵀ" : "B")} with m = {M}, k = {K}, n = {N} (seed {Seed})";
    }

    private static readonly Arbitrary<TinyCase> Cases = Arb.From(
        from m in Gen.Choose(1, 12) from k in Gen.Choose(1, 40) from n in Gen.Choose(1, 12)
        from ta in Gen.Elements(false, true) from tb in Gen.Elements(false, true) from seed in Gen.Choose(0, 1000)
        where !(ta && tb)
        select new TinyCase(m, k, n, ta, tb, seed));

    private static void SameBitsAsTheSimdKernel<T>(TinyCase c, Func<double, T> convert)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        var sa = c.TransposeA ? new Shape(c.K, c.M) : new Shape(c.M, c.K);
        var sb = c.TransposeB ? new Shape(c.N, c.K) : new Shape(c.K, c.N);
        var sc = new Shape(c.M, c.N);
        T[] a = Enumerable.Range(0, sa.Length).Select(_ => convert(random.NextDouble() * 2 - 1)).ToArray();
        T[] b = Enumerable.Range(0, sb.Length).Select(_ => convert(random.NextDouble() * 2 - 1)).ToArray();
        var tiny = Enumerable.Repeat(T.NaN, c.M * c.N).ToArray(); // the kernel must overwrite, not accumulate
        Gemm.Tiny(a, sa, c.TransposeA, b, c.TransposeB, tiny, sc);
        var simd = new T[c.M * c.N];
        if (Math256<T>.IsSupported)
        {
            SmallGemm<T, Math256<T>>.Multiply(a, sa, c.TransposeA, b, sb, c.TransposeB, simd, sc);
        }
        else
        {
            simd = Reference.FusedMultiplyAddChains(a, c.TransposeA, b, c.TransposeB, c.M, c.K, c.N); // without SIMD: the same chain written out
        }
        Assert.Equal(simd, tiny);
        var viaMultiply = new T[c.M * c.N];
        Gemm.Multiply(a, sa, c.TransposeA, b, sb, c.TransposeB, viaMultiply, sc);
        if (Gemm.Choose<T>(sa, c.TransposeA, sc).Kernel == GemmKernel.Tiny)
        {
            Assert.Equal(tiny, viaMultiply);
        }
    }

    [Fact]
    public void The_tiny_kernel_gives_the_simd_kernels_bits_in_double() =>
        Properties.Check(Cases, c => SameBitsAsTheSimdKernel(c, v => v), cases: 200);

    [Fact]
    public void The_tiny_kernel_gives_the_simd_kernels_bits_in_float() =>
        Properties.Check(Cases, c => SameBitsAsTheSimdKernel(c, v => (float)v), cases: 200);

    [Theory]
    [InlineData(1, 4, 8, "Tiny")]   // x·W₁ᵀ of a batch-1 step
    [InlineData(8, 1, 4, "Tiny")]   // an outer product (k = 1)
    [InlineData(1, 64, 1, "Rows")]  // a long dot product: one dependent chain, TensorPrimitives.Dot is faster
    [InlineData(32, 16, 32, "Small")]
    [InlineData(128, 128, 128, "Packed")]
    public void Multiply_chooses_the_tiny_kernel_only_for_tiny_products(int m, int k, int n, string kernel)
    {
        var expected = Enum.Parse<GemmKernel>(kernel);
        if (!Math256<double>.IsSupported && expected is GemmKernel.Small or GemmKernel.Packed)
        {
            return;
        }
        Assert.Equal(expected, Gemm.Choose<double>(new Shape(m, k), false, new Shape(m, n)).Kernel);
    }
}
