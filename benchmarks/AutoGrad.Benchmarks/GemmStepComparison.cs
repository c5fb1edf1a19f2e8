using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Benchmarks;

/// <summary>
/// A stopwatch A/B, in one process, of the matrix products of a two-layer MLP training step: the kernels of the
/// session's starting commit (a frozen copy in Baseline/) against the library's, called as a compiled plan calls
/// them (the kernel chosen once per shape, the plan's own scratch buffers). For each step shape (batch, n0-n1-n2) the
/// six products — forward Z₁ = X·W₁ᵀ, Z₂ = H·W₂ᵀ; backward ∂H = ∂Z₂·W₂, ∂W₂ = ∂Z₂ᵀ·H, ∂W₁ = ∂Z₁ᵀ·X and the
/// input gradient ∂X = ∂Z₁·W₁ — are timed old and new alternately, round by round; medians and fastest of the rounds. Every
/// product is checked to give the same bits both ways first.
/// Run: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- gemm [rounds] [batch] [threads]</c> (batch: only the
/// step of that batch size, 0 for all; threads: 1 by default, timed by the calling thread's CPU time; more, by the wall clock).
/// </summary>
public static class GemmStepComparison
{
    private static readonly (int Batch, int N0, int N1, int N2)[] Cases = [(1, 4, 8, 1), (32, 16, 32, 4), (64, 64, 128, 10), (256, 784, 256, 10)];

    /// <summary>Wall-clock time instead of the calling thread's CPU time: with several threads the other threads' work counts too.</summary>
    private static bool wallClock;

    public static void Run(int rounds, int? batch = null, int threads = 1)
    {
        Parallelism.MaxThreads = threads;
        wallClock = threads > 1;
        Console.WriteLine($"GEMM A/B (old = fa34a26's kernels, session nine's start; new = this build), {threads} thread(s), " +
            $"{rounds} alternating rounds (old first in even rounds, new first in odd ones), medians and fastest rounds of the {(wallClock ? "wall-clock" : "thread CPU")} time; µs per product.");
        Console.WriteLine("| step | dtype | product | m×n×k | old kernel | new kernel | old µs | new µs | new / old | old fastest | new fastest | new / old, fastest |");
        Console.WriteLine("|---|---|---|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var c in Cases.Where(c => batch is null || c.Batch == batch))
        {
            Measure<double>(c, rounds);
            Measure<float>(c, rounds);
        }
    }

    private sealed class Product<T>(string name, Shape sa, bool ta, Shape sb, bool tb, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public string Name { get; } = name;
        public Shape Sa { get; } = sa;
        public Shape Sb { get; } = sb;
        public Shape Sc { get; } = Gemm.ResultShape(sa, ta, sb, tb);
        public bool Ta { get; } = ta;
        public bool Tb { get; } = tb;
        public T[] A { get; } = Values<T>(sa.Length, random);
        public T[] B { get; } = Values<T>(sb.Length, random);
        public int K => Ta ? Sa.Rows : Sa.Cols;
    }

    private static T[] Values<T>(int count, Random random) where T : unmanaged, IFloatingPointIeee754<T> =>
        Enumerable.Range(0, count).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();

    private static void Measure<T>((int Batch, int N0, int N1, int N2) s, int rounds) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        int b = s.Batch, n0 = s.N0, n1 = s.N1, n2 = s.N2;
        Product<T>[] products =
        [
            new("Z1 = X·W1ᵀ", new(b, n0), false, new(n1, n0), true, random),
            new("Z2 = H·W2ᵀ", new(b, n1), false, new(n2, n1), true, random),
            new("dH = dZ2·W2", new(b, n2), false, new(n2, n1), false, random),
            new("dW2 = dZ2ᵀ·H", new(b, n2), true, new(b, n1), false, random),
            new("dW1 = dZ1ᵀ·X", new(b, n1), true, new(b, n0), false, random),
            new("dX = dZ1·W1", new(b, n1), false, new(n1, n0), false, random),
        ];
        var olds = new List<Action>();
        var news = new List<Action>();
        var oldNames = new List<string>();
        var newNames = new List<string>();
        foreach (var p in products)
        {
            var cOld = new T[p.Sc.Length];
            var cNew = new T[p.Sc.Length];
            var oldChoice = Baseline.Gemm.Choose<T>(p.Sa, p.Ta, p.Sc);
            T[]? oldResult = oldChoice.ResultScratch(p.Sc) is > 0 and var r ? new T[r] : null;
            T[]? oldOperand = oldChoice.OperandScratch(p.Sa, p.Ta, p.Tb, p.Sc) is > 0 and var o ? new T[o] : null;
            Action old = oldChoice.Kernel == Baseline.GemmKernel.Tiny
                ? () => Baseline.Gemm.Tiny(p.A, p.Sa, p.Ta, p.B, p.Tb, cOld, p.Sc)
                : () => Baseline.Gemm.Run(oldChoice, p.A, p.Sa, p.Ta, p.B, p.Sb, p.Tb, cOld, p.Sc, oldResult, oldOperand);
            var newChoice = Gemm.Choose<T>(p.Sa, p.Ta, p.Sc);
            T[]? newResult = newChoice.ResultScratch(p.Sc) is > 0 and var r2 ? new T[r2] : null;
            T[]? newOperand = newChoice.OperandScratch(p.Sa, p.Ta, p.Tb, p.Sc) is > 0 and var o2 ? new T[o2] : null;
            Action fresh = newChoice.Kernel == GemmKernel.Tiny
                ? () => Gemm.Tiny(p.A, p.Sa, p.Ta, p.B, p.Tb, cNew, p.Sc)
                : () => Gemm.Run(newChoice, p.A, p.Sa, p.Ta, p.B, p.Sb, p.Tb, cNew, p.Sc, newResult, newOperand);
            old();
            fresh();
            if (!cOld.AsSpan().SequenceEqual(cNew))
            {
                throw new InvalidOperationException($"{p.Name} at {s}: the new kernel's bits differ from the old one's.");
            }
            olds.Add(old);
            news.Add(fresh);
            oldNames.Add(oldChoice.Kernel + (oldChoice.TransposedResult ? " (Cᵀ)" : ""));
            newNames.Add(newChoice.Kernel + (newChoice.TransposedResult ? " (Cᵀ)" : ""));
        }
        Action[] allOld = [.. olds], allNew = [.. news];
        olds.Add(() => { foreach (Action a in allOld) { a(); } });
        news.Add(() => { foreach (Action a in allNew) { a(); } });
        // Tiered compilation: run everything for half a second of CPU time (and at least 1.5 s) first, so both
        // sides are fully optimised.
        var warmUp = Stopwatch.StartNew();
        long cpuStart = ThreadTime.Nanoseconds();
        while (warmUp.Elapsed.TotalMilliseconds < 1500 || ThreadTime.Nanoseconds() - cpuStart < 500_000_000)
        {
            olds[^1]();
            news[^1]();
        }
        for (int i = 0; i <= products.Length; i++)
        {
            // Calls per timed batch: about 50 µs of the old kernel, short enough to run between two preemptions.
            int calls = Calibrate(olds[i]);
            var oldTimes = new double[rounds];
            var newTimes = new double[rounds];
            for (int round = 0; round < rounds; round++)
            {
                // old, new in even rounds and new, old in odd ones: neither side always follows the other
                if (round % 2 == 0)
                {
                    oldTimes[round] = Time(olds[i], calls);
                    newTimes[round] = Time(news[i], calls);
                }
                else
                {
                    newTimes[round] = Time(news[i], calls);
                    oldTimes[round] = Time(olds[i], calls);
                }
            }
            Array.Sort(oldTimes);
            Array.Sort(newTimes);
            double o = oldTimes[rounds / 2], n = newTimes[rounds / 2], oFast = oldTimes[0], nFast = newTimes[0];
            string name = i < products.Length ? products[i].Name : "all six";
            string shape = i < products.Length ? $"{products[i].Sc.Rows}×{products[i].Sc.Cols}×{products[i].K}" : "";
            string kernels = i < products.Length ? $"{oldNames[i]} | {newNames[i]}" : " | ";
            Console.WriteLine($"| ({b}, {n0}-{n1}-{n2}) | {typeof(T).Name.ToLowerInvariant()} | {name} | {shape} | {kernels} | " +
                $"{F(o)} | {F(n)} | {(n / o).ToString("0.00", CultureInfo.InvariantCulture)} | " +
                $"{F(oFast)} | {F(nFast)} | {(nFast / oFast).ToString("0.00", CultureInfo.InvariantCulture)} |");
        }
    }

    private static string F(double value) => value.ToString(value < 10 ? "0.000" : "0.00", CultureInfo.InvariantCulture);

    private static int Calibrate(Action action)
    {
        var watch = Stopwatch.StartNew();
        int n = 0;
        while (watch.Elapsed.TotalMilliseconds < 20)
        {
            action();
            n++;
        }
        return Math.Max(1, (int)(n * 0.05 / watch.Elapsed.TotalMilliseconds));
    }

    /// <summary>µs per call of the calling thread's CPU time (on Linux; elsewhere wall time): time spent waiting for a core on a loaded machine does not count.</summary>
    private static double Time(Action action, int calls)
    {
        long start = wallClock ? Stopwatch.GetTimestamp() : ThreadTime.Nanoseconds();
        for (int i = 0; i < calls; i++)
        {
            action();
        }
        return wallClock
            ? Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls
            : (ThreadTime.Nanoseconds() - start) / 1000.0 / calls;
    }
}

/// <summary>The calling thread's CPU time, from clock_gettime(CLOCK_THREAD_CPUTIME_ID) on Linux, else the wall clock.</summary>
internal static partial class ThreadTime
{
    private static readonly bool Available = OperatingSystem.IsLinux() && TryRead(out _);

    public static long Nanoseconds() =>
        Available && TryRead(out long ns) ? ns : (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

    private static bool TryRead(out long ns)
    {
        const int ThreadCpuTimeClock = 3;
        int result = ClockGetTime(ThreadCpuTimeClock, out TimeSpec spec);
        ns = spec.Seconds * 1_000_000_000 + spec.Nanoseconds;
        return result == 0;
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec spec);
}
