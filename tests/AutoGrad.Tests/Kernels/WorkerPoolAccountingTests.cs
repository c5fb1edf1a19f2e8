using System.Diagnostics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Session fifteen, run C survivors of <c>WorkerPool.cs</c>: <see cref="WorkerPool.WorkerAllocatedBytes"/> grows by what
/// the workers allocated in a run — at least what the items measured on the worker threads, and not more than that plus
/// a little (the workers' own loop allocates nothing). Runs alone: the count is process-wide.
/// </summary>
[Collection(nameof(ProcessWideState))]
public class WorkerPoolAccountingTests
{
    private const int ItemBytes = 32 * 1024;

    /// <summary>Each item allocates an array of <see cref="ItemBytes"/> and adds what that cost, if it ran on a pool worker.</summary>
    private sealed class AllocatingWork : ParallelWork
    {
        public long OnWorkers;

        public object? Kept;

        protected override void Run(int index)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Kept = new byte[ItemBytes];
            long cost = GC.GetAllocatedBytesForCurrentThread() - before;
            Thread.SpinWait(2000); // long enough for a worker to join
            if (WorkerPool.Workers.Contains(Thread.CurrentThread))
            {
                Interlocked.Add(ref OnWorkers, cost);
            }
        }

        protected override void Clear()
        {
        }
    }

    /// <summary>Runs until the workers took part, then waits for their count to catch up; returns (measured on the workers, the count's growth).</summary>
    private static (long Measured, long Counted) RunOnWorkers(AllocatingWork work)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            WaitUntil(() => !WorkerPool.IsHeld);
            Thread.Sleep(5); // the workers' accounting of earlier runs is done (they polled, then went to sleep or spin)
            long before = WorkerPool.WorkerAllocatedBytes;
            work.OnWorkers = 0;
            work.RunAll(16, 2);
            if (work.OnWorkers > 0)
            {
                // the workers add their bytes after leaving the run, possibly after RunAll returned
                WaitUntil(() => WorkerPool.WorkerAllocatedBytes - before >= work.OnWorkers);
                Thread.Sleep(20);
                return (work.OnWorkers, WorkerPool.WorkerAllocatedBytes - before);
            }
        }
        Assert.Fail("no worker joined 200 runs");
        return default;
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(1);
        }
    }

    [Fact]
    public void The_workers_allocated_bytes_grow_by_what_their_items_allocated()
    {
        var work = new AllocatingWork();
        for (int run = 0; run < 3; run++) // the later runs on threads that have allocated before
        {
            (long measured, long counted) = RunOnWorkers(work);
            Assert.True(counted >= measured, $"run {run}: the count grew by {counted} B, the items allocated {measured} B on the workers");
            Assert.True(counted <= measured + 8 * 1024, $"run {run}: the count grew by {counted} B, the items allocated only {measured} B on the workers");
        }
    }
}
