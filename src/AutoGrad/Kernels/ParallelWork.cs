using System.Runtime.ExceptionServices;

namespace AutoGrad.Kernels;

/// <summary>
/// A loop over items 0, 1, …, count−1 that the calling thread runs together with up to threads − 1 workers of
/// <see cref="WorkerPool"/>. A kernel keeps one instance per thread (<see cref="WorkCache{TWork}"/>) and fills in its
/// arguments before each run, so a run allocates nothing: no closure, no task, no per-call descriptor. Items are
/// claimed one at a time from a shared counter, so which thread runs an item depends on timing, but what the item
/// computes does not: each writes its own part of the output with the same code.
/// </summary>
/// <remarks>
/// Joining protocol. A worker that read this instance from the pool enters by incrementing <c>active</c> and then
/// claims items only while <c>open</c>; the caller closes (open = false) once every item is claimed and then waits
/// until <c>active</c> is 0. Interlocked operations are full fences, so either the caller sees the worker in
/// <c>active</c> and waits for it, or the worker sees the loop closed and leaves without touching an item. A worker
/// that arrives late — even after the caller has reused the instance for a serial run — therefore never runs an item
/// of a run it was not counted in. (A late worker may instead find the instance reopened for the caller's next
/// parallel run: it is then counted in that run like any other worker, and the caller waits for it.)
/// </remarks>
internal abstract class ParallelWork
{
    private readonly object gate = new();
    private int count;
    private int next;
    private int helpers;
    private int active;
    private volatile bool open;
    private volatile bool callerWaiting;
    private Exception? failure;

    /// <summary>Computes item <paramref name="index"/>; must not depend on which thread calls it.</summary>
    protected abstract void Run(int index);

    /// <summary>Drops the references to the caller's arrays once a run is over, so an idle instance holds no memory.</summary>
    protected abstract void Clear();

    /// <summary>
    /// Runs every item, on this thread and up to <paramref name="threads"/> − 1 pool workers; returns when all are done.
    /// An exception thrown by an item is rethrown here (the first one, with its stack trace) after every other thread
    /// has left the loop; the items not yet started when it was thrown are skipped.
    /// </summary>
    public void RunAll(int items, int threads)
    {
        SleptLastRun = false;
        try
        {
            if (threads <= 1 || items <= 1 || !WorkerPool.TryRun(this, items, Math.Min(threads, items) - 1))
            {
                // serial: every item on this thread, in order
                for (int i = 0; i < items; i++)
                {
                    Run(i);
                }
            }
        }
        finally
        {
            Clear();
        }
    }

    /// <summary>Called by <see cref="WorkerPool"/> on the calling thread, with the pool held: prepares the run before it is published.</summary>
    internal void Open(int items, int workers)
    {
        count = items;
        helpers = workers;
        failure = null;
        Volatile.Write(ref next, 0);
        open = true;
    }

    /// <summary>
    /// True if, in the last parallel run, the caller finished its items and then had to sleep until a worker finished
    /// its own: the worker had lost its core (a busy machine). Callers that split small work (a compiled plan's row
    /// bands) then run alone for a while.
    /// </summary>
    internal bool SleptLastRun { get; set; }

    /// <summary>Called on the calling thread once the run is published: runs items until none is left, then waits for the workers.</summary>
    internal void RunAsCaller()
    {
        SleptLastRun = false;
        RunItems();
        open = false;
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref active) != 0)
        {
            WaitForWorkers();
        }
        if (failure is { } error)
        {
            failure = null;
            ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>Called on pool worker number <paramref name="worker"/> (1, 2, …) that found this instance published.</summary>
    internal void Join(int worker)
    {
        Interlocked.Increment(ref active);
        if (open && worker <= helpers)
        {
            RunItems();
        }
        if (Interlocked.Decrement(ref active) == 0 && callerWaiting)
        {
            lock (gate)
            {
                Monitor.PulseAll(gate);
            }
        }
    }

    private void RunItems()
    {
        while (true)
        {
            int index = Interlocked.Increment(ref next) - 1;
            if (index >= count || Volatile.Read(ref failure) is not null)
            {
                return;
            }
            try
            {
                Run(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }
    }

    /// <summary>How long the caller polls for the workers' last item before it sleeps: a few bands' time, not a time slice.</summary>
    private static readonly long WaitSpinTicks = System.Diagnostics.Stopwatch.Frequency / 100_000; // 10 µs

    /// <summary>
    /// The workers still inside are finishing one item each: poll for a few microseconds (every ~35 ns: a row band of a
    /// compiled step ends within a microsecond of the caller's, and <c>SpinWait.SpinOnce</c>'s growing pauses, up to
    /// ~270 ns each, noticed it late), then sleep until the last one leaves — on a busy machine the worker may have lost
    /// its core, and a caller spinning on would keep it from getting one.
    /// </summary>
    private void WaitForWorkers()
    {
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + WaitSpinTicks;
        while (Volatile.Read(ref active) != 0 && System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
        {
            Thread.SpinWait(1);
        }
        if (Volatile.Read(ref active) == 0)
        {
            return;
        }
        SleptLastRun = true;
        lock (gate)
        {
            callerWaiting = true;
            Interlocked.MemoryBarrier();
            while (Volatile.Read(ref active) != 0)
            {
                Monitor.Wait(gate);
            }
            callerWaiting = false;
        }
    }
}

/// <summary>
/// One reusable <typeparamref name="TWork"/> per thread. <see cref="Take"/> hands it out and <see cref="Give"/> puts it
/// back; a nested use on the same thread (none today) finds the slot empty and gets a new instance rather than
/// overwriting the arguments of the run in progress.
/// </summary>
internal static class WorkCache<TWork> where TWork : ParallelWork, new()
{
    [ThreadStatic] private static TWork? cached;

    public static TWork Take()
    {
        TWork work = cached ?? new TWork();
        cached = null;
        return work;
    }

    public static void Give(TWork work) => cached = work;
}
