using AutoGrad.Compilation;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// How a step that splits its work decides each run (<see cref="SplitDecision"/>): a split run in which the caller
/// slept makes the next runs alone (<see cref="BackOff"/>), and a compiled step's bands and pieces at two threads are
/// timed — which they are only if they reach the decision at two threads, including a run of pieces that cannot be
/// cut (at most 2 threads). In the process-wide collection: the tests set the process-wide thread limit.
/// </summary>
[Collection(nameof(ProcessWideState))]
public class SplitDecisionTests
{
    [Fact]
    public void A_split_run_in_which_the_caller_slept_makes_the_next_runs_alone()
    {
        var decision = new SplitDecision(false);
        Assert.False(decision.Alone());
        decision.Finish(new NoItems { SleptLastRun = true });
        for (int call = 0; call < BackOff.Calls; call++)
        {
            Assert.True(decision.Alone(), $"call {call}");
            decision.Finish(new NoItems());
        }
        Assert.False(decision.Alone());
        Assert.Equal("split, untimed", decision.Choice);
    }

    /// <summary>Runs <paramref name="step"/> 2·<see cref="SplitTiming.ProbeRuns"/> times at two threads and returns each split step's choice.</summary>
    private static string[] ChoicesAfterMeasuring(CompiledStep<double> step, Tensor<double> x, Tensor<double> y)
    {
        string[] choices = [];
        CompiledEquivalenceTests.AtThreads(2, () =>
        {
            for (int run = 0; run < 2 * SplitTiming.ProbeRuns; run++)
            {
                step.Run(x, y);
            }
            choices = [.. step.LatestPlan!.Steps.Select(s => s switch
            {
                RowBandsStep<double> bands => "bands " + bands.SplitChoice,
                IndependentStepsStep<double> pieces => $"pieces ({pieces.MostThreads} threads) " + pieces.SplitChoice,
                _ => null,
            }).OfType<string>()];
        });
        return choices;
    }

    /// <summary>Σx + Σy over 128 × 128 each: 2 · 4 · 16 384 = 131 072 = the default minimum work, two pieces that cannot be cut.</summary>
    [Fact]
    public void Two_whole_pieces_are_timed_at_two_threads()
    {
        var b = Tensor.RandomNormal<double>(1, 1, new Random(2), requiresGrad: true);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => (x.Sum() + y.Sum()) * b);
        var random = new Random(3);
        string[] choices = ChoicesAfterMeasuring(step, Tensor.RandomNormal<double>(128, 128, random), Tensor.RandomNormal<double>(128, 128, random));
        string choice = Assert.Single(choices);
        Assert.Contains(choice, new[] { "pieces (2 threads) alone", "pieces (2 threads) split" });
    }

    /// <summary>σ(x ⊙ a) on 128 × 128 and its gradient: a row-by-row run above the default minimum work.</summary>
    [Fact]
    public void Row_bands_are_timed_at_two_threads()
    {
        var a = Tensor.RandomNormal<double>(128, 128, new Random(2), requiresGrad: true);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => ((x * a).Sigmoid() + y).Sum());
        var random = new Random(3);
        string[] choices = ChoicesAfterMeasuring(step, Tensor.RandomNormal<double>(128, 128, random), Tensor.RandomNormal<double>(128, 128, random));
        Assert.Contains(choices, c => c.StartsWith("bands ", StringComparison.Ordinal));
        Assert.All(choices, c => Assert.True(c.EndsWith(" alone", StringComparison.Ordinal) || c.EndsWith(" split", StringComparison.Ordinal), c));
    }
}
