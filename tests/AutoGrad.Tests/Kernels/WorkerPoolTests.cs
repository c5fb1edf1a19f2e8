using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The worker pool that runs the GEMMs' parallel loops (<see cref="ParallelWork"/>, <see cref="WorkerPool"/>): every
/// item runs exactly once before the call returns, at any thread count; an item's exception reaches the caller and
/// leaves the pool working; several user threads at once, and a loop started from inside a loop, neither deadlock nor
/// lose items; the workers are background threads. That a parallel product has the bits of a serial one is
/// GemmKernelTests' and DeterminismTests' business; that a run allocates nothing is WorkerPoolAllocationTests'.
/// </summary>
public class WorkerPoolTests
{
    /// <summary>Counts the runs of each item, spins a little per item so the threads interleave, and can throw.</summary>
    internal sealed class CountingWork : ParallelWork
    {
        public int[] Runs { get; private set; } = [];

        public int ThrowAt { get; set; } = -1;

        public int SpinPerItem { get; set; } = 50;

        public void Prepare(int items) => Runs = new int[items];

        protected override void Run(int index)
        {
            Thread.SpinWait(SpinPerItem); // then count: an item still running when RunAll returns shows as not run
            Interlocked.Increment(ref Runs[index]);
            if (index == ThrowAt)
            {
                throw new InvalidOperationException($"item {index} failed on purpose");
            }
        }

        protected override void Clear()
        {
        }
    }

    [Fact]
    public void Every_item_runs_exactly_once_before_the_call_returns()
    {
        var work = new CountingWork();
        var cases = Arb.From(
            from items in Gen.Frequency((1, Gen.Choose(0, 3)), (3, Gen.Choose(4, 200)))
            from threads in Gen.Choose(1, 4)
            from spin in Gen.Elements(0, 20, 500)
            select (Items: items, Threads: threads, Spin: spin));
        Properties.Check(cases, c =>
        {
            work.Prepare(c.Items);
            work.SpinPerItem = c.Spin;
            work.RunAll(c.Items, c.Threads);
            int[] wrong = Enumerable.Range(0, c.Items).Where(i => work.Runs[i] != 1).ToArray();
            Assert.True(wrong.Length == 0, $"{c}: items {string.Join(", ", wrong.Take(10))} ran {string.Join(", ", wrong.Take(10).Select(i => work.Runs[i]))} times");
        }, cases: 200);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void An_items_exception_reaches_the_caller_and_the_pool_keeps_working(int threads)
    {
        var failing = new CountingWork { ThrowAt = 5 };
        failing.Prepare(20);
        var error = Assert.Throws<InvalidOperationException>(() => failing.RunAll(20, threads));
        Assert.Equal("item 5 failed on purpose", error.Message);
        Assert.Equal(1, failing.Runs[5]);

        var next = new CountingWork();
        next.Prepare(64);
        next.RunAll(64, threads);
        Assert.All(next.Runs, runs => Assert.Equal(1, runs));
    }

    [Fact]
    public void A_loop_started_from_inside_every_item_of_a_parallel_loop_runs_every_item()
    {
        // each item, on the caller or on a worker, starts a loop of its own: it finds the pool busy and runs alone
        var work = new NestingWork();
        work.RunAll(12, 2);
        Assert.All(work.InnerRuns, runs => Assert.Equal(9, runs));
    }

    private sealed class NestingWork : ParallelWork
    {
        public int[] InnerRuns { get; } = new int[12];

        protected override void Run(int index)
        {
            var inner = new CountingWork();
            inner.Prepare(9);
            inner.RunAll(9, 2);
            InnerRuns[index] = inner.Runs.Sum();
        }

        protected override void Clear()
        {
        }
    }

    [Fact]
    public void Several_user_threads_running_loops_at_once_all_finish_with_every_item_run_once()
    {
        const int Callers = 4, Loops = 300;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(Callers);
        var callers = Enumerable.Range(0, Callers).Select(t => new Thread(() =>
        {
            var work = new CountingWork();
            start.SignalAndWait();
            for (int loop = 0; loop < Loops; loop++)
            {
                int items = 1 + (loop * 7 + t) % 40;
                work.Prepare(items);
                work.RunAll(items, 2 + t % 2);
                if (work.Runs.Any(runs => runs != 1))
                {
                    failures.Enqueue($"caller {t}, loop {loop}: runs {string.Join(",", work.Runs)}");
                }
            }
        }) { IsBackground = true }).ToArray();
        foreach (var caller in callers)
        {
            caller.Start();
        }
        foreach (var caller in callers)
        {
            Assert.True(caller.Join(TimeSpan.FromMinutes(2)), "a caller did not finish within two minutes: deadlock");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void The_workers_are_background_threads_and_never_more_than_the_largest_count_asked_for_minus_one()
    {
        var work = new CountingWork();
        work.Prepare(32);
        work.RunAll(32, 3);
        // other tests may have asked for more threads, never for more than a handful
        Assert.InRange(WorkerPool.WorkerCount, 0, Math.Max(8, Environment.ProcessorCount));
        Assert.All(WorkerPool.Workers, worker => Assert.True(worker.IsBackground, $"{worker.Name} keeps the process alive"));
    }
}

/// <summary>A parallel loop allocates nothing once its instance exists, on any thread. Runs alone, with the other allocation measurements.</summary>
[Collection(nameof(ProcessWideState))]
public class WorkerPoolAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_parallel_loop_allocates_nothing_in_steady_state(int threads)
    {
        var work = new WorkerPoolTests.CountingWork();
        work.Prepare(16);
        long perCall = AutoGrad.Tests.Compilation.CompiledAllocationTests.AllocatedPerCall(() => work.RunAll(16, threads), out string windows);
        Assert.True(perCall == 0, $"{perCall} B per loop at {threads} thread(s); {windows}");
    }
}
