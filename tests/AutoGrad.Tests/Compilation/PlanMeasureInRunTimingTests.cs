using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// <c>Plan.MeasureInRun</c> without an optimizer: each measured run binds the inputs it is given (not the last run's)
/// and delivers the gradients (a parameter's Grad accumulates once per repeat, as after as many Runs), and its times are
/// nanoseconds per run: together, times the repeats, no more than the call's own wall time, and not nothing.
/// </summary>
public class PlanMeasureInRunTimingTests
{
    private static Mlp<double> Make() => new([16, 32, 4], [Activation.Sigmoid, Activation.Sigmoid], new Random(5));

    [Fact]
    public void Measured_runs_bind_their_inputs_and_deliver_each_repeat_as_plain_runs_do()
    {
        const int Repeats = 3;
        var plain = Make();
        var measured = Make();
        var x1 = Tensor.RandomNormal<double>(32, 16, new Random(6));
        var y1 = Tensor.RandomUniform<double>(32, 4, new Random(7));
        var x2 = Tensor.RandomNormal<double>(32, 16, new Random(8));
        var y2 = Tensor.RandomUniform<double>(32, 4, new Random(9));
        var plainStep = Tensor.Compile((Tensor<double> a, Tensor<double> b) => Loss.HalfSumSquared(plain.Forward(a), b));
        var measuredStep = Tensor.Compile((Tensor<double> a, Tensor<double> b) => Loss.HalfSumSquared(measured.Forward(a), b));
        plainStep.Run(x1, y1);
        for (int i = 0; i < Repeats; i++)
        {
            plainStep.Run(x2, y2);
        }
        measuredStep.Run(x1, y1);
        double[] afterOne = measured.Parameters.First().Grad!.ToFlatArray();
        measuredStep.LatestPlan!.MeasureInRun(x2, y2, Repeats);
        Assert.NotEqual(afterOne, measured.Parameters.First().Grad!.ToFlatArray()); // the measured runs delivered
        foreach (var (p, m) in plain.Parameters.Zip(measured.Parameters))
        {
            Assert.Equal(p.ToFlatArray(), m.ToFlatArray());
            Assert.Equal(p.Grad!.ToFlatArray(), m.Grad!.ToFlatArray());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void The_times_are_nanoseconds_per_run_within_the_calls_wall_time(int repeats)
    {
        var model = Make();
        var x = Tensor.RandomNormal<double>(32, 16, new Random(6));
        var y = Tensor.RandomUniform<double>(32, 4, new Random(7));
        var step = Tensor.Compile((Tensor<double> a, Tensor<double> b) => Loss.HalfSumSquared(model.Forward(a), b));
        step.Run(x, y);
        var plan = step.LatestPlan!;
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        double[] times = plan.MeasureInRun(x, y, repeats);
        double wall = (System.Diagnostics.Stopwatch.GetTimestamp() - start) * 1e9 / System.Diagnostics.Stopwatch.Frequency; // ns
        Assert.Equal(plan.Steps.Count + 2, times.Length);
        Assert.All(times, t => Assert.True(t >= 0 && double.IsFinite(t), $"{t} ns"));
        double perRun = times.Sum();
        // every part lies between two timestamps inside the call: all of them, over all the repeats, fit in it
        Assert.True(perRun * repeats <= wall * 1.000001 + 1, $"{perRun} ns per run × {repeats} > the call's {wall} ns");
        // two 32×16·16×32-sized products and their gradients cannot run in under 100 ns
        Assert.True(perRun >= 100, $"{perRun} ns per run");
    }
}
