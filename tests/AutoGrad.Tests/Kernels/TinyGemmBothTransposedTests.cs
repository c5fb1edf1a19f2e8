using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="TinyGemm.Multiply"/> beyond what <see cref="Gemm"/> hands it today: Aᵀ·Bᵀ (the column blocks of four
/// with a strided op(A)) gives the chain of fused multiply-adds p = 0 … k−1 written out, and arrays too short for the
/// shapes are refused by name instead of read out of bounds.
/// </summary>
public class TinyGemmBothTransposedTests
{
    [Fact]
    public void Both_transposed_gives_the_written_out_chain()
    {
        const int M = 3, K = 4, N = 6;
        var random = new Random(13);
        double[] a = Enumerable.Range(0, K * M).Select(_ => random.NextDouble() * 2 - 1).ToArray(); // K×M, op(A) = aᵀ
        double[] b = Enumerable.Range(0, N * K).Select(_ => random.NextDouble() * 2 - 1).ToArray(); // N×K, op(B) = bᵀ
        var c = Enumerable.Repeat(double.NaN, M * N).ToArray();
        TinyGemm.Multiply(a, new Shape(K, M), true, b, true, c, new Shape(M, N));
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double sum = 0;
                for (int p = 0; p < K; p++)
                {
                    sum = Math.FusedMultiplyAdd(a[p * M + i], b[j * K + p], sum);
                }
                Assert.Equal(sum, c[i * N + j]);
            }
        }
    }

    [Fact]
    public void Arrays_too_short_for_the_shapes_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TinyGemm.Multiply(new double[5], new Shape(2, 3), false, new double[6], false, new double[4], new Shape(2, 2)));
        Assert.Equal("MatMul (tiny kernel): arrays of 5, 6 and 4 elements are too short for a 2×2×3 product (internal error).", error.Message);
    }
}
