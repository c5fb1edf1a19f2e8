using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace AutoGrad.Benchmarks;

/// <summary>
/// A stopwatch A/B, in one process, of σ over spans: the kernel of session twelve's start (a frozen copy in
/// Baseline/VectorSigmoid.cs) against the library's, on the (32, 16-32-4) step's two σ spans (32×32 and 32×4) in double
/// and float, old and new alternately, round by round (fastest, 10th percentile and median of the rounds, ns per call).
/// It also counts the elements whose bits differ between the two and the largest difference in ulps.
/// Run: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- sigmoid [rounds] [range]</c>.
/// </summary>
public static class SigmoidComparison
{
    public static void Run(int rounds, double range)
    {
        Console.WriteLine($"σ A/B (old = 7d3b911's kernel, new = this build), {rounds} alternating rounds of 20 calls, inputs uniform in [−{range}, {range}]; ns per call.");
        Console.WriteLine("| dtype | elements | old fastest | new fastest | new / old fastest | new / old p10 | new / old median | elements differing | max ulp apart |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int n in new[] { 1024, 128 })
        {
            Measure<double>(n, rounds, range);
            Measure<float>(n, rounds, range);
        }
    }

    private static void Measure<T>(int n, int rounds, double range) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(7);
        T[] x = Enumerable.Range(0, n).Select(_ => T.CreateTruncating((random.NextDouble() * 2 - 1) * range)).ToArray();
        T[] dOld = new T[n], dNew = new T[n];
        Baseline.VectorSigmoid.Sigmoid<T>(x, dOld);
        Kernels.VectorSigmoid.Sigmoid<T>(x, dNew);
        int differing = 0;
        long maxUlps = 0;
        for (int i = 0; i < n; i++)
        {
            long a = typeof(T) == typeof(double) ? BitConverter.DoubleToInt64Bits(double.CreateTruncating(dOld[i])) : BitConverter.SingleToInt32Bits(float.CreateTruncating(dOld[i]));
            long b = typeof(T) == typeof(double) ? BitConverter.DoubleToInt64Bits(double.CreateTruncating(dNew[i])) : BitConverter.SingleToInt32Bits(float.CreateTruncating(dNew[i]));
            differing += a != b ? 1 : 0;
            maxUlps = Math.Max(maxUlps, Math.Abs(a - b));
        }
        const int calls = 20;
        var oldTimes = new double[rounds];
        var newTimes = new double[rounds];
        for (int warm = 0; warm < 200; warm++)
        {
            Baseline.VectorSigmoid.Sigmoid<T>(x, dOld);
            Kernels.VectorSigmoid.Sigmoid<T>(x, dNew);
        }
        for (int round = 0; round < rounds; round++)
        {
            for (int side = 0; side < 2; side++)
            {
                bool isNew = (side == 0) == (round % 2 == 1);
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++)
                {
                    if (isNew)
                    {
                        Kernels.VectorSigmoid.Sigmoid<T>(x, dNew);
                    }
                    else
                    {
                        Baseline.VectorSigmoid.Sigmoid<T>(x, dOld);
                    }
                }
                double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls;
                (isNew ? newTimes : oldTimes)[round] = ns;
            }
        }
        Array.Sort(oldTimes);
        Array.Sort(newTimes);
        double At(double[] a, double q) => a[(int)(q * (a.Length - 1))];
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        Console.WriteLine($"| {typeof(T).Name} | {n} | {At(oldTimes, 0):0} | {At(newTimes, 0):0} | {F(At(newTimes, 0) / At(oldTimes, 0))} | " +
            $"{F(At(newTimes, 0.1) / At(oldTimes, 0.1))} | {F(At(newTimes, 0.5) / At(oldTimes, 0.5))} | {differing} | {maxUlps} |");
    }
}
