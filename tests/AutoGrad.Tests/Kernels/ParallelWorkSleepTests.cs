using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <c>ParallelWork.SleptLastRun</c> says whether the caller, done with its items, had to sleep for a worker still inside
/// one (it then makes a compiled step's bands run alone for a while): true when a worker holds its item past the caller's
/// few microseconds of polling, false after a run in which no worker was inside. Driven by hand (Open, Join on a thread
/// of the test's own, RunAsCaller), not through the pool, so which thread runs which item is fixed.
/// </summary>
public class ParallelWorkSleepTests
{
    /// <summary>Item run on the caller's thread marks itself; an item on any other thread holds on until the caller sleeps.</summary>
    private sealed class HeldByWorker(Thread caller) : ParallelWork
    {
        public readonly ManualResetEventSlim WorkerStarted = new();
        public volatile bool CallerItemDone;
        public volatile bool SawCallerAsleep;

        protected override void Run(int index)
        {
            if (Thread.CurrentThread == caller)
            {
                CallerItemDone = true;
                return;
            }
            WorkerStarted.Set();
            // the caller sleeps in Monitor.Wait (WaitSleepJoin) only after its polling gave up; at most 10 s here, so a
            // caller that never sleeps (the failure this test looks for) ends the test instead of hanging it
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                if (CallerItemDone && (caller.ThreadState & ThreadState.WaitSleepJoin) != 0)
                {
                    SawCallerAsleep = true;
                    return;
                }
                Thread.Sleep(1);
            }
        }

        protected override void Clear()
        {
        }
    }

    [Fact]
    public void A_caller_that_waits_for_a_worker_holding_its_item_sleeps_and_says_so()
    {
        var work = new HeldByWorker(Thread.CurrentThread);
        work.Open(2, 1);
        var worker = new Thread(() => work.Join(1)) { IsBackground = true };
        worker.Start();
        Assert.True(work.WorkerStarted.Wait(TimeSpan.FromSeconds(10)), "the worker took item 0");
        work.RunAsCaller();
        Assert.True(worker.Join(TimeSpan.FromSeconds(10)));
        Assert.True(work.CallerItemDone);
        Assert.True(work.SawCallerAsleep, "the caller polled on instead of sleeping while the worker held its item");
        Assert.True(work.SleptLastRun);
    }

    [Fact]
    public void A_run_with_no_worker_inside_says_the_caller_did_not_sleep_even_after_one_that_did()
    {
        var work = new NoItems { SleptLastRun = true };
        work.Open(3, 0);
        work.RunAsCaller();
        Assert.False(work.SleptLastRun);
    }
}
