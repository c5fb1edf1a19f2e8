using System.Diagnostics;
using System.Globalization;

namespace AutoGrad.Kernels;

/// <summary>
/// Long-lived background threads that help the calling thread through a <see cref="ParallelWork"/>: the kernels'
/// replacement for <c>Parallel.For</c>, which allocated a closure, tasks and loop state on every call (3–15 KB per
/// compiled training step at two threads). Publishing a run is a reference write and a counter increment; a worker
/// spins for a short while after each run (the next product of a step usually follows within microseconds), then
/// sleeps on a monitor until the next one. The threads are created on first need, one fewer than the largest thread
/// count asked for, and are background threads: they never keep the process alive.
/// </summary>
/// <remarks>
/// One run at a time: a caller that finds the pool busy — another user thread's product, or a product started from
/// inside a run — runs its items alone on its own thread. It never waits for the pool, so nothing can deadlock, and
/// since every item computes the same thing on any thread, the results are the same bits either way.
/// </remarks>
internal static class WorkerPool
{
    /// <summary>How long an idle worker keeps polling for the next run before it sleeps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs

    private static readonly object gate = new();
    private static Thread[] workers = [];
    private static ParallelWork? current;
    private static long generation;
    private static int sleepers;
    private static int busy;
    private static long workerBytes;

    [ThreadStatic] private static bool isWorker;

    /// <summary>Worker threads started so far (tests: they are background threads and their number stays bounded).</summary>
    internal static int WorkerCount => Volatile.Read(ref workers).Length;

    /// <summary>
    /// Bytes allocated on the workers so far, as of the end of their last run (tests: <c>GC.GetAllocatedBytesForCurrentThread</c>
    /// sees only the caller's allocations, and the whole-process count also sees the test runner's threads).
    /// </summary>
    internal static long WorkerAllocatedBytes => Volatile.Read(ref workerBytes);

    /// <summary>The pool's threads, for tests.</summary>
    internal static IReadOnlyList<Thread> Workers => Volatile.Read(ref workers);

    /// <summary>The run the workers may join now, null between runs (tests: the pool holds no caller's work once a run is over).</summary>
    internal static ParallelWork? Published => Volatile.Read(ref current);

    /// <summary>True while a caller holds the pool, i.e. during a parallel run (tests).</summary>
    internal static bool IsHeld => Volatile.Read(ref busy) != 0;

    /// <summary>How many workers sleep on the pool's gate right now (for tests: idle workers must not keep a core busy).</summary>
    internal static int Sleepers => Volatile.Read(ref sleepers);

    /// <summary>
    /// Runs the <paramref name="items"/> of <paramref name="work"/> on this thread with up to <paramref name="helpers"/>
    /// workers and returns true, or returns false at once (nothing run) if the pool is in use or this is a worker
    /// thread: the caller then runs the items alone. An item's exception is rethrown after every worker has left.
    /// </summary>
    internal static bool TryRun(ParallelWork work, int items, int helpers)
    {
        if (isWorker || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            return false;
        }
        try
        {
            EnsureWorkers(helpers);
            work.Open(items, helpers);
            Volatile.Write(ref current, work);
            Interlocked.Increment(ref generation);
            if (Volatile.Read(ref sleepers) > 0)
            {
                lock (gate)
                {
                    Monitor.PulseAll(gate);
                }
            }
            work.RunAsCaller();
        }
        finally
        {
            Volatile.Write(ref current, null);
            Volatile.Write(ref busy, 0);
        }
        return true;
    }

    /// <summary>Starts workers up to <paramref name="count"/>; called only by the holder of the pool, so no other thread grows it meanwhile.</summary>
    private static void EnsureWorkers(int count)
    {
        Thread[] started = workers;
        if (started.Length >= count)
        {
            return;
        }
        var grown = new Thread[count];
        started.CopyTo(grown, 0);
        for (int i = started.Length; i < count; i++)
        {
            int index = i + 1;
            grown[i] = new Thread(() => Work(index))
            {
                IsBackground = true,
                Name = string.Create(CultureInfo.InvariantCulture, $"AutoGrad kernel worker {index}"),
            };
            grown[i].Start();
        }
        Volatile.Write(ref workers, grown);
    }

    private static void Work(int index)
    {
        isWorker = true;
        long seen = 0;
        long counted = GC.GetAllocatedBytesForCurrentThread();
        while (true)
        {
            seen = NextGeneration(seen);
            Volatile.Read(ref current)?.Join(index);
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            if (allocated != counted)
            {
                Interlocked.Add(ref workerBytes, allocated - counted);
                counted = allocated;
            }
        }
    }

    /// <summary>Waits until a run newer than <paramref name="seen"/> is published: polls for <see cref="SpinTicks"/>, then sleeps.</summary>
    private static long NextGeneration(long seen)
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        long latest;
        while ((latest = Volatile.Read(ref generation)) == seen)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                lock (gate)
                {
                    Interlocked.Increment(ref sleepers);
                    while ((latest = Volatile.Read(ref generation)) == seen)
                    {
                        Monitor.Wait(gate);
                    }
                    Interlocked.Decrement(ref sleepers);
                }
                return latest;
            }
            Thread.SpinWait(1); // about 35 ns on the benchmark machine; SpinWait(20) took 540 ns, a late start for a band of 1–2 µs
        }
        return latest;
    }
}
