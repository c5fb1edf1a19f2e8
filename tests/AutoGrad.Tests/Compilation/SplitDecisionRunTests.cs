using AutoGrad.Compilation;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// <see cref="SplitDecision.Run"/> against a step that only records what it was asked to do: one thread runs alone and
/// measures nothing; at two threads a timed decision alternates split, alone, split, … while it measures, and then keeps
/// the way whose fastest run was faster, timed from the decision to the end of the run. Run E (session fifteen's files,
/// measured in session sixteen) left alive a negated <c>if (Alone())</c>, <c>timed || timing.Alone()</c>, a clock that
/// starts at 0 and a clock read as <c>now + start</c>: each runs the other way or times a run by the clock's absolute
/// reading, which these tests see.
/// </summary>
public class SplitDecisionRunTests
{
    /// <summary>Records "alone" or "split" per run; the way named <paramref name="slow"/> takes about 2 ms.</summary>
    private sealed class RecordingStep(string slow) : ISplitStep
    {
        public readonly List<string> Runs = [];

        public ParallelWork Work { get; } = new NoItems();

        public void RunAlone() => Record("alone");

        public void RunSplit(int threads)
        {
            Assert.True(threads >= 2, $"split at {threads} thread(s)");
            Record("split");
        }

        private void Record(string way)
        {
            Runs.Add(way);
            if (way == slow)
            {
                Thread.Sleep(2);
            }
        }
    }

    private static string[] Measuring => [.. Enumerable.Range(0, 2 * SplitTiming.ProbeRuns).Select(run => run % 2 == 0 ? "split" : "alone")];

    [Fact]
    public void At_one_thread_every_run_is_alone_and_nothing_is_measured()
    {
        var decision = new SplitDecision(true);
        var step = new RecordingStep("none");
        for (int run = 0; run < 3 * SplitTiming.ProbeRuns; run++)
        {
            decision.Run(step, 1);
        }
        Assert.All(step.Runs, way => Assert.Equal("alone", way));
        Assert.Equal("measuring", decision.Choice);
    }

    [Theory]
    [InlineData("split", "alone")]
    [InlineData("alone", "split")]
    public void At_two_threads_a_timed_decision_alternates_then_keeps_the_faster_way(string slow, string fast)
    {
        var decision = new SplitDecision(true);
        var step = new RecordingStep(slow);
        for (int run = 0; run < 2 * SplitTiming.ProbeRuns + 4; run++)
        {
            decision.Run(step, 2);
        }
        Assert.Equal([.. Measuring, fast, fast, fast, fast], step.Runs);
        Assert.Equal(fast, decision.Choice);
    }

    [Fact]
    public void An_untimed_decision_splits_every_run_at_two_threads()
    {
        var decision = new SplitDecision(false);
        var step = new RecordingStep("none");
        for (int run = 0; run < 2 * SplitTiming.ProbeRuns + 4; run++)
        {
            decision.Run(step, 2);
        }
        Assert.All(step.Runs, way => Assert.Equal("split", way));
        Assert.Equal("split, untimed", decision.Choice);
    }
}
