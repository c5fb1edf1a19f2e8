using AutoGrad.Kernels;
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Square products C = op(A)·op(B) at n = 64, 256, 1024: 2n³ flops each, so GFLOP/s = 2n³ / time.
/// A·B, Aᵀ·B and A·Bᵀ as the backward pass uses them, plus MathNet's managed product as a reference.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private double[] ad = [], bd = [], cd = [];
    private float[] af = [], bf = [], cf = [];
    private Matrix<double> ma = null!, mb = null!;

    [Params(64, 256, 1024)]
    public int N { get; set; }

    private Shape S => new(N, N);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        ad = Enumerable.Range(0, N * N).Select(_ => random.NextDouble() - 0.5).ToArray();
        bd = Enumerable.Range(0, N * N).Select(_ => random.NextDouble() - 0.5).ToArray();
        cd = new double[N * N];
        af = ad.Select(v => (float)v).ToArray();
        bf = bd.Select(v => (float)v).ToArray();
        cf = new float[N * N];
        ma = Matrix<double>.Build.Dense(N, N, ad);
        mb = Matrix<double>.Build.Dense(N, N, bd);
    }

    [Benchmark(Description = "double A·B")]
    public void DoubleAB() => Gemm.Multiply(ad, S, false, bd, S, false, cd, S);

    [Benchmark(Description = "double Aᵀ·B")]
    public void DoubleAtB() => Gemm.Multiply(ad, S, true, bd, S, false, cd, S);

    [Benchmark(Description = "double A·Bᵀ")]
    public void DoubleABt() => Gemm.Multiply(ad, S, false, bd, S, true, cd, S);

    [Benchmark(Description = "float A·B")]
    public void FloatAB() => Gemm.Multiply(af, S, false, bf, S, false, cf, S);

    [Benchmark(Description = "float Aᵀ·B")]
    public void FloatAtB() => Gemm.Multiply(af, S, true, bf, S, false, cf, S);

    [Benchmark(Description = "float A·Bᵀ")]
    public void FloatABt() => Gemm.Multiply(af, S, false, bf, S, true, cf, S);

    [Benchmark(Description = "MathNet double A·B")]
    public Matrix<double> MathNetAB() => ma * mb;
}
