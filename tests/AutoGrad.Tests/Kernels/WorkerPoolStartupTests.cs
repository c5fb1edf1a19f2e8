using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// What the process-wide worker pool does, observed from outside: a parallel run is really helped by a worker (even
/// one that had gone to sleep), a serial run (one thread or one item) runs on the caller and leaves the pool free for
/// a product started inside it, the pool is held only during a run and keeps no reference to it afterwards, and a run
/// that asks for more threads than there are workers starts exactly the missing ones — background threads named
/// after their number. In <see cref="ProcessWideState"/>: the pool is shared by the process, so these run alone.
/// </summary>
[Collection(nameof(ProcessWideState))]
public class WorkerPoolStartupTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Items that each wait until every item has started: they can only all finish on distinct threads.</summary>
    private sealed class MeetingWork : ParallelWork
    {
        private int started;

        public int Items { get; private set; }

        public bool[] Met { get; private set; } = [];

        public int[] Threads { get; private set; } = [];

        public bool[] PoolHeld { get; private set; } = [];

        public bool[] Published { get; private set; } = [];

        public void Prepare(int items)
        {
            Items = items;
            started = 0;
            Met = new bool[items];
            Threads = new int[items];
            PoolHeld = new bool[items];
            Published = new bool[items];
        }

        protected override void Run(int index)
        {
            Threads[index] = Environment.CurrentManagedThreadId;
            PoolHeld[index] = WorkerPool.IsHeld;
            Published[index] = ReferenceEquals(WorkerPool.Published, this);
            Interlocked.Increment(ref started);
            Met[index] = SpinWait.SpinUntil(() => Volatile.Read(ref started) >= Items, Patience);
        }

        protected override void Clear()
        {
        }
    }

    private static void AssertMetOnTwoThreads(MeetingWork work, string what)
    {
        Assert.True(work.Met.All(met => met), $"{what}: the two items did not run at the same time (no worker helped)");
        Assert.NotEqual(work.Threads[0], work.Threads[1]);
    }

    /// <summary>
    /// Idle workers stop polling after 50 µs and sleep on the pool's gate, so a process that ran one parallel product
    /// does not keep a core busy afterwards (and does not spin forever on a run that is not coming). Polled with
    /// patience, so a busy machine only makes it slower: a worker that never sleeps (a spin bound of 20,000 s, a wait
    /// loop that leaves at once) fails it.
    /// </summary>
    [Fact]
    public void Every_worker_sleeps_once_the_pool_has_been_idle_for_a_while()
    {
        var work = new MeetingWork();
        work.Prepare(2);
        work.RunAll(2, 2);
        AssertMetOnTwoThreads(work, "the run before the idle time");
        int workers = WorkerPool.WorkerCount;
        Assert.True(workers >= 1);
        bool asleep = SpinWait.SpinUntil(() => { Thread.Sleep(5); return WorkerPool.Sleepers == workers; }, Patience);
        Assert.True(asleep, $"{WorkerPool.Sleepers} of {workers} workers sleep after {Patience.TotalSeconds} s without a run");
    }

    [Fact]
    public void A_parallel_run_is_helped_by_a_worker_that_had_gone_to_sleep_and_the_pool_is_free_again_after_it()
    {
        var work = new MeetingWork();
        for (int run = 0; run < 3; run++)
        {
            Thread.Sleep(50); // every worker has stopped spinning (50 µs) and sleeps
            work.Prepare(2);
            work.RunAll(2, 2);
            AssertMetOnTwoThreads(work, $"run {run}");
            Assert.All(work.PoolHeld, Assert.True);
            Assert.All(work.Published, Assert.True);
            Assert.False(WorkerPool.IsHeld);
            Assert.Null(WorkerPool.Published);
        }
    }

    /// <summary>Each outer item starts a two-item parallel run; the outer items record their thread and the pool's state.</summary>
    private sealed class OuterWork : ParallelWork
    {
        public List<(int Thread, bool PoolHeld, bool InnerMet)> Items { get; } = [];

        protected override void Run(int index)
        {
            bool held = WorkerPool.IsHeld;
            var inner = new MeetingWork();
            inner.Prepare(2);
            inner.RunAll(2, 2);
            Items.Add((Environment.CurrentManagedThreadId, held, inner.Met.All(met => met) && inner.Threads[0] != inner.Threads[1]));
        }

        protected override void Clear()
        {
        }
    }

    [Theory]
    [InlineData(3, 1)] // one thread
    [InlineData(1, 4)] // one item
    public void A_serial_run_stays_on_the_caller_and_leaves_the_pool_to_a_run_started_inside_it(int items, int threads)
    {
        var outer = new OuterWork();
        outer.RunAll(items, threads);
        Assert.Equal(items, outer.Items.Count);
        Assert.All(outer.Items, item =>
        {
            Assert.Equal(Environment.CurrentManagedThreadId, item.Thread);
            Assert.False(item.PoolHeld, "a serial run holds the pool");
            Assert.True(item.InnerMet, "the run started inside a serial item got no worker");
        });
    }

    private sealed class SpinningWork : ParallelWork
    {
        protected override void Run(int index) => Thread.SpinWait(200);

        protected override void Clear()
        {
        }
    }

    /// <summary>
    /// Growing keeps the workers already started (a pool that had none, as in a fresh test host, could not show it:
    /// run E (session fifteen's, measured in session sixteen) left <c>started.CopyTo(grown, 0)</c> removed alive), and a run asking for exactly the
    /// workers there are starts none and keeps the same list (run E's <c>started.Length &gt; count</c>: a new list each run).
    /// </summary>
    [Fact]
    public void A_run_asking_for_more_threads_starts_exactly_the_missing_workers_as_named_background_threads()
    {
        new SpinningWork().RunAll(64, 2); // at least one worker before the pool grows
        Thread[] before = [.. WorkerPool.Workers];
        Assert.NotEmpty(before);
        int threads = before.Length + 3; // the caller and before.Length + 2 workers
        new SpinningWork().RunAll(64, threads);
        IReadOnlyList<Thread> after = WorkerPool.Workers;
        Assert.Equal(before.Length + 2, after.Count);
        Assert.Equal(after.Count, WorkerPool.WorkerCount);
        for (int i = 0; i < after.Count; i++)
        {
            Assert.Equal($"AutoGrad kernel worker {i + 1}", after[i].Name);
            Assert.True(after[i].IsBackground, $"{after[i].Name} keeps the process alive");
            Assert.True(after[i].IsAlive, $"{after[i].Name} was not started");
            if (i < before.Length)
            {
                Assert.Same(before[i], after[i]);
            }
        }
        // asking for exactly as many threads, or fewer, starts none and keeps the list
        new SpinningWork().RunAll(64, threads);
        Assert.Same(after, WorkerPool.Workers);
        new SpinningWork().RunAll(64, 2);
        Assert.Same(after, WorkerPool.Workers);
    }
}
