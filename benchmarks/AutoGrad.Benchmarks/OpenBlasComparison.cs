using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using AutoGrad.Kernels;

namespace AutoGrad.Benchmarks;

/// <summary>
/// The (256, 784-256-10) step's matrix products, the library's kernels against OpenBLAS's sgemm/dgemm — the BLAS
/// Debian's PyTorch calls for torch.mm/addmm — in one process on one thread, alternately (ours first in even rounds,
/// OpenBLAS first in odd ones), timed in the thread's CPU time: per product the median and the fastest round, and the
/// fastest as a share of the FMA peak given on the command line (Zen 3: 2 FMA units × 8 floats (4 doubles) × GHz).
/// OpenBLAS is loaded at run time (libopenblas.so.0, e.g. Debian's libopenblas0-pthread) and told to use one thread.
/// Run: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- openblas [rounds] [peak GFMA/s, float]</c>.
/// </summary>
public static unsafe partial class OpenBlasComparison
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    public static void Run(int rounds, double floatPeak)
    {
        Parallelism.MaxThreads = 1;
        SetNumThreads(1);
        Console.WriteLine($"(256, 784-256-10) products, AutoGrad against OpenBLAS (cblas_?gemm), 1 thread, {rounds} alternating rounds, " +
            $"thread CPU time, µs; peak {floatPeak.ToString("0.0", CultureInfo.InvariantCulture)} GFMA/s float, half that in double.");
        Console.WriteLine("| dtype | product | m×n×k | AutoGrad median | OpenBLAS median | AutoGrad / OpenBLAS | AutoGrad fastest | OpenBLAS fastest | AutoGrad / OpenBLAS, fastest | AutoGrad % of peak | OpenBLAS % of peak |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Measure<float>(rounds, floatPeak);
        Measure<double>(rounds, floatPeak / 2);
    }

    private static void Measure<T>(int rounds, double peak) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        T[] Values(int count) => Enumerable.Range(0, count).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();
        const int b = 256, n0 = 784, n1 = 256, n2 = 10;
        T[] x = Values(b * n0), w1 = Values(n1 * n0), w2 = Values(n2 * n1), h = Values(b * n1), dz2 = Values(b * n2), dz1 = Values(b * n1);
        // (name, A, rows × cols of A, transpose A, B, rows × cols of B, transpose B)
        (string Name, T[] A, int Ar, int Ac, bool Ta, T[] B, int Br, int Bc, bool Tb)[] products =
        [
            ("Z1 = X·W1ᵀ", x, b, n0, false, w1, n1, n0, true),
            ("Z2 = H·W2ᵀ", h, b, n1, false, w2, n2, n1, true),
            ("dH = dZ2·W2", dz2, b, n2, false, w2, n2, n1, false),
            ("dW2 = dZ2ᵀ·H", dz2, b, n2, true, h, b, n1, false),
            ("dW1 = dZ1ᵀ·X", dz1, b, n1, true, x, b, n0, false),
            ("dX = dZ1·W1", dz1, b, n1, false, w1, n1, n0, false),
        ];
        foreach (var p in products)
        {
            var sa = new Shape(p.Ar, p.Ac);
            var sb = new Shape(p.Br, p.Bc);
            Shape sc = Gemm.ResultShape(sa, p.Ta, sb, p.Tb);
            int m = sc.Rows, n = sc.Cols, k = p.Ta ? p.Ar : p.Ac;
            var ours = new T[sc.Length];
            var theirs = new T[sc.Length];
            GemmChoice choice = Gemm.Choose<T>(sa, p.Ta, sc);
            T[]? resultScratch = choice.ResultScratch(sc) is > 0 and var r ? new T[r] : null;
            T[]? operandScratch = choice.OperandScratch(sa, p.Ta, p.Tb, sc) is > 0 and var o ? new T[o] : null;
            void Ours() => Gemm.Run(choice, p.A, sa, p.Ta, p.B, sb, p.Tb, ours, sc, resultScratch, operandScratch);
            void Theirs()
            {
                fixed (T* a = p.A, bb = p.B, c = theirs)
                {
                    if (typeof(T) == typeof(float))
                    {
                        Sgemm(RowMajor, p.Ta ? Trans : NoTrans, p.Tb ? Trans : NoTrans, m, n, k, 1f, (float*)a, p.Ac, (float*)bb, p.Bc, 0f, (float*)c, n);
                    }
                    else
                    {
                        Dgemm(RowMajor, p.Ta ? Trans : NoTrans, p.Tb ? Trans : NoTrans, m, n, k, 1.0, (double*)a, p.Ac, (double*)bb, p.Bc, 0.0, (double*)c, n);
                    }
                }
            }
            Action[] sides = [Ours, Theirs];
            long warm = ThreadTime.Nanoseconds();
            while (ThreadTime.Nanoseconds() - warm < 300_000_000)
            {
                Ours();
                Theirs();
            }
            var times = new[] { new double[rounds], new double[rounds] };
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < 2; i++)
                {
                    int side = (i + round) % 2;
                    long start = ThreadTime.Nanoseconds();
                    sides[side]();
                    times[side][round] = (ThreadTime.Nanoseconds() - start) / 1000.0;
                }
            }
            Array.Sort(times[0]);
            Array.Sort(times[1]);
            double om = times[0][rounds / 2], tm = times[1][rounds / 2], of = times[0][0], tf = times[1][0];
            double fmaPerUs = (double)m * n * k / 1000.0;
            string F(double v) => v.ToString(v < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);
            string R(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
            string P(double us) => (fmaPerUs / us / peak * 100).ToString("0", CultureInfo.InvariantCulture) + " %";
            Console.WriteLine($"| {(typeof(T) == typeof(float) ? "float" : "double")} | {p.Name} | {m}×{n}×{k} | {F(om)} | {F(tm)} | {R(om / tm)} | {F(of)} | {F(tf)} | {R(of / tf)} | {P(of)} | {P(tf)} |");
        }
    }

    [LibraryImport("libopenblas.so.0", EntryPoint = "openblas_set_num_threads")]
    private static partial void SetNumThreads(int threads);

    [LibraryImport("libopenblas.so.0", EntryPoint = "cblas_sgemm")]
    private static partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport("libopenblas.so.0", EntryPoint = "cblas_dgemm")]
    private static partial void Dgemm(int order, int transA, int transB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc);
}
