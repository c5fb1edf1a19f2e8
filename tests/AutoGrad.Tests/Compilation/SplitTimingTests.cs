using AutoGrad.Compilation;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A step that can split its work across threads times itself both ways now and then and runs the faster
/// (<see cref="SplitTiming"/>): alternate runs while measuring, the fastest run of each way decides, the choice holds
/// for <see cref="SplitTiming.DecidedRuns"/> runs and is then measured again from scratch; a compiled step's bands and
/// pieces use it by default (and keep the one-thread bits), a test's forced bands do not. In the process-wide
/// collection: whether a step times itself depends on the process-wide thread limit, which other tests set to 1 around
/// their bodies (a parallel run left the steps "measuring" one time in three).
/// </summary>
[Collection(nameof(ProcessWideState))]
public class SplitTimingTests
{
    /// <summary>One measurement: runs alone take <paramref name="alone"/>[i], split runs <paramref name="split"/>[i] ticks, in turn.</summary>
    private static void Measure(ref SplitTiming timing, long[] alone, long[] split)
    {
        Assert.Equal(SplitTiming.ProbeRuns, alone.Length);
        Assert.Equal(SplitTiming.ProbeRuns, split.Length);
        for (int run = 0; run < 2 * SplitTiming.ProbeRuns; run++)
        {
            Assert.Equal("measuring", timing.Choice);
            bool runsAlone = timing.Alone();
            Assert.Equal(run % 2 == 1, runsAlone); // split first, then alone, alternately
            timing.Record(runsAlone, runsAlone ? alone[run / 2] : split[run / 2]);
        }
    }

    private static long[] Same(long ticks) => [.. Enumerable.Repeat(ticks, SplitTiming.ProbeRuns)];

    [Fact]
    public void The_faster_way_runs_for_the_decided_runs_then_both_are_measured_again()
    {
        var timing = new SplitTiming();
        Measure(ref timing, alone: Same(100), split: Same(200));
        for (int run = 0; run < SplitTiming.DecidedRuns; run++)
        {
            Assert.True(timing.Alone(), $"run {run} after the measurement");
            timing.Record(true, 5000); // runs on the choice do not move it
        }
        Assert.Equal("measuring", timing.Choice);
        // measured again from scratch: the earlier fastest alone run (100) is forgotten
        Measure(ref timing, alone: Same(300), split: Same(200));
        Assert.Equal("split", timing.Choice);
        Assert.False(timing.Alone());
    }

    [Fact]
    public void The_fastest_run_of_each_way_decides_not_the_mean()
    {
        // split: seven runs interrupted by another process (900) and one clean (60); alone: 80 every time
        var timing = new SplitTiming();
        Measure(ref timing, alone: Same(80), split: [900, 900, 900, 60, 900, 900, 900, 900]);
        Assert.Equal("split", timing.Choice);
        var other = new SplitTiming();
        Measure(ref other, alone: [500, 500, 70, 500, 500, 500, 500, 500], split: Same(80));
        Assert.Equal("alone", other.Choice);
    }

    [Fact]
    public void The_last_probe_run_counts()
    {
        // the sixteenth run (the eighth alone) is the only alone run faster than the split runs: it decides
        var timing = new SplitTiming();
        Measure(ref timing, alone: [100, 100, 100, 100, 100, 100, 100, 50], split: Same(60));
        Assert.Equal("alone", timing.Choice);
        Assert.True(timing.Alone());
        // and the last split run likewise (the fifteenth run)
        var other = new SplitTiming();
        Measure(ref other, alone: Same(60), split: [100, 100, 100, 100, 100, 100, 100, 50]);
        Assert.Equal("split", other.Choice);
    }

    [Fact]
    public void A_tie_runs_alone_and_a_measurement_without_split_runs_runs_alone()
    {
        var tie = new SplitTiming();
        Measure(ref tie, alone: Same(100), split: Same(100));
        Assert.Equal("alone", tie.Choice);
        // every run alone (a back-off after a sleep forced the split turns alone): no split time, so alone
        var forced = new SplitTiming();
        for (int run = 0; run < 2 * SplitTiming.ProbeRuns; run++)
        {
            forced.Record(true, 1000);
        }
        Assert.Equal("alone", forced.Choice);
    }

    [Fact]
    public void A_compiled_steps_bands_and_pieces_time_themselves_and_keep_the_one_thread_bits()
    {
        static (CompiledStep<double> Step, Mlp<double> Model) Make()
        {
            var model = new Mlp<double>([64, 128, 10], [Activation.Sigmoid, Activation.Sigmoid], new Random(5));
            var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.HalfSumSquared(model.Forward(x), y), new Sgd<double>(model.Parameters, 0.01));
            return (step, model);
        }
        var random = new Random(6);
        var batches = Enumerable.Range(0, 2 * SplitTiming.ProbeRuns + 4)
            .Select(_ => (X: Tensor.RandomNormal<double>(64, 64, random), Y: Tensor.RandomUniform<double>(64, 10, random))).ToArray();
        double[] Train(int threads, Action<CompiledStep<double>>? check)
        {
            var (step, model) = Make();
            var losses = new List<double>();
            CompiledEquivalenceTests.AtThreads(threads, () =>
            {
                foreach (var (x, y) in batches)
                {
                    losses.Add(step.Run(x, y));
                }
                check?.Invoke(step);
            });
            return [.. losses, .. model.Parameters.SelectMany(p => p.ToFlatArray())];
        }
        double[] one = Train(1, null);
        double[] two = Train(2, step =>
        {
            string[] choices = [.. step.LatestPlan!.Steps.Select(s => s switch
            {
                RowBandsStep<double> bands => bands.SplitChoice,
                IndependentStepsStep<double> pieces => pieces.SplitChoice,
                _ => null,
            }).OfType<string>()];
            Assert.NotEmpty(choices); // (64, 64-128-10) is above the bands' threshold
            Assert.All(choices, c => Assert.Contains(c, new[] { "alone", "split" }));
        });
        Assert.Equal(one, two);
        using (RowBands.Everywhere())
        {
            var (forced, _) = Make();
            CompiledEquivalenceTests.AtThreads(2, () => forced.Run(batches[0].X, batches[0].Y));
            Assert.Contains(forced.LatestPlan!.Steps, s => s is RowBandsStep<double> { SplitChoice: "split, untimed" });
        }
    }
}
