using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using AutoGrad.Nn;

namespace AutoGrad.Benchmarks;

/// <summary>
/// The compiled step at one thread, at two without row bands (the plan as before them) and at two with them
/// (<c>RowBandsStep</c> and <c>IndependentStepsStep</c>; row bands alone; bands from twice the default minimum work), in one process: one model and plan per variant,
/// rounds of calls alternating between them, so all meet the same load. Prints the fastest round, the 10th percentile
/// and the median per call of each, and their ratios to the first. First, the threads' meeting alone: a pool run of two
/// items that spin for a given time against the same items on the caller.
/// Run: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- bands [rounds]</c>.
/// </summary>
public static class RowBandsComparison
{
    public static void Run(int rounds, (int, int, int, int)? only = null)
    {
        foreach (int n in new[] { 1, 20 })
        {
            double best = double.MaxValue;
            for (int r = 0; r < 200; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < 100; i++)
                {
                    Thread.SpinWait(n);
                }
                best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalNanoseconds / 100);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Thread.SpinWait({n}): {best:F0} ns (fastest)"));
        }
        if (only is null)
        {
            RoundTrip(rounds);
        }
        foreach (var c in only is null ? new[] { (1, 4, 8, 1), (32, 16, 32, 4), (64, 64, 128, 10), (256, 784, 256, 10) } : [only.Value])
        {
            Compare<double>(c, rounds);
            Compare<float>(c, rounds);
        }
    }

    /// <summary>
    /// What the threads' meeting costs: a worker-pool run of two items that each spin for a given time, against the same
    /// two spins one after the other on the calling thread; and how often the worker took the second item.
    /// </summary>
    private static void RoundTrip(int rounds)
    {
        int saved = Parallelism.MaxThreads;
        Parallelism.MaxThreads = 2;
        try
        {
            foreach (int spinNs in new[] { 0, 500, 1500 })
            {
                var work = new SpinItems { Nanoseconds = spinNs };
                const int calls = 50;
                var pooled = new List<double>();
                var serial = new List<double>();
                var warm = Stopwatch.StartNew();
                while (warm.Elapsed.TotalSeconds < 1)
                {
                    work.RunAll(2, 2);
                }
                work.ByWorker = 0;
                for (int round = 0; round < rounds; round++)
                {
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < calls; i++)
                    {
                        work.RunAll(2, 2);
                    }
                    pooled.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
                    start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < calls; i++)
                    {
                        work.RunAll(2, 1);
                    }
                    serial.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
                }
                double[] p = [.. pooled.Order()], q = [.. serial.Order()];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"pool run of 2 items of {spinNs} ns: {p[0]:F0} / {p[p.Length / 10]:F0} / {p[p.Length / 2]:F0} ns (fastest / 10th percentile / median); both on the caller: {q[0]:F0} / {q[q.Length / 10]:F0} / {q[q.Length / 2]:F0} ns; the worker ran the second item in {100.0 * work.ByWorker / (rounds * calls):F0} % of runs"));
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    private sealed class SpinItems : AutoGrad.Kernels.ParallelWork
    {
        private readonly int callerThread = Environment.CurrentManagedThreadId;

        public int Nanoseconds { get; init; }

        public int ByWorker;

        protected override void Run(int index)
        {
            long until = Stopwatch.GetTimestamp() + Nanoseconds * Stopwatch.Frequency / 1_000_000_000;
            while (Stopwatch.GetTimestamp() < until)
            {
            }
            if (Environment.CurrentManagedThreadId != callerThread)
            {
                Interlocked.Increment(ref ByWorker);
            }
        }

        protected override void Clear()
        {
        }
    }

    /// <summary>The variants compared: threads, and the plan's minimum work for bands (long.MaxValue: no bands, the plan as before them; −1: the default plan, outside any scope, whose splits time themselves).</summary>
    private static readonly (string Name, int Threads, long MinimumWork, bool Independent)[] Variants =
    [
        ("1 thread", 1, AutoGrad.Compilation.RowBands.MinimumWork, true),
        ("2 threads, no bands", 2, long.MaxValue, true),
        ("2 threads, bands", 2, AutoGrad.Compilation.RowBands.MinimumWork, true),
        ("2 threads, row bands only", 2, AutoGrad.Compilation.RowBands.MinimumWork, false),
        ("2 threads, bands from 16384 of work", 2, 16_384, true),
        ("2 threads, default (timed split)", 2, -1, true),
    ];

    private static void Compare<T>((int Batch, int N0, int N1, int N2) c, int rounds) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        var x = Tensor.RandomNormal<T>(c.Batch, c.N0, random);
        var y = Tensor.RandomUniform<T>(c.Batch, c.N2, random);
        var steps = Variants.Select(v =>
        {
            var model = new Mlp<T>([c.N0, c.N1, c.N2], [Activation.Sigmoid, Activation.Sigmoid], new Random(2));
            var compiled = Tensor.Compile((Tensor<T> a, Tensor<T> b) => Loss.HalfSumSquared(model.Forward(a), b),
                new Sgd<T>(model.Parameters, T.CreateChecked(1e-9)));
            if (v.MinimumWork < 0)
            {
                compiled.Run(x, y); // the library's default plan: bands and pieces that time themselves (SplitTiming)
            }
            else
            {
                using (AutoGrad.Compilation.RowBands.WithMinimumWork(v.MinimumWork, independentSteps: v.Independent))
                {
                    compiled.Run(x, y); // traced and planned here (a scope's plans split untimed)
                }
            }
            return compiled;
        }).ToArray();
        // rounds of ~1 ms: a worker idle for 50 µs sleeps (the other variants' rounds), and its wake-up at a round's start is then
        // a small part of the round, as in a training loop whose steps follow one another
        int calls = Math.Max(1, 1_000_000 / (c.Batch * (c.N0 * c.N1 + c.N1 * c.N2) * 6 / 16 + 200));

        var times = Variants.Select(_ => new List<double>()).ToArray();
        int saved = Parallelism.MaxThreads;
        try
        {
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < 2) // every variant's code optimised (tiered compilation) before any round counts
            {
                for (int v = 0; v < Variants.Length; v++)
                {
                    Parallelism.MaxThreads = Variants[v].Threads;
                    steps[v].Run(x, y);
                }
            }
            for (int round = 0; round < rounds; round++)
            {
                for (int v = 0; v < Variants.Length; v++)
                {
                    Parallelism.MaxThreads = Variants[v].Threads;
                    steps[v].Run(x, y); // wakes the worker
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < calls; i++)
                    {
                        steps[v].Run(x, y);
                    }
                    times[v].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
        double At(List<double> t, double q) => t.Order().ElementAt((int)(q * (t.Count - 1)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({c.Batch}, {c.N0}-{c.N1}-{c.N2}) {typeof(T).Name}, ns per step, fastest / 10th percentile / median, and / the first:"));
        for (int v = 0; v < Variants.Length; v++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Variants[v].Name,-36} {At(times[v], 0):F0} / {At(times[v], 0.1):F0} / {At(times[v], 0.5):F0}   {At(times[v], 0) / At(times[0], 0):F3} / {At(times[v], 0.1) / At(times[0], 0.1):F3} / {At(times[v], 0.5) / At(times[0], 0.5):F3}"));
        }
    }
}
