using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// The benchmarks' in-run profile (<c>Plan.MeasureInRun</c>) times each part of whole runs: those runs must be the
/// plan's own (every step, in order, the deliveries included), so a profiled model trains as a model that called
/// <c>Run</c> as often, bit for bit; and it reports one non-negative time per part.
/// </summary>
public class PlanMeasureInRunTests
{
    [Fact]
    public void Measured_runs_train_the_model_as_plain_runs_do_and_give_one_time_per_part()
    {
        Mlp<double> Make() => new([16, 32, 4], [Activation.Sigmoid, Activation.Sigmoid], new Random(5));
        var plain = Make();
        var measured = Make();
        var x = Tensor.RandomNormal<double>(32, 16, new Random(6));
        var y = Tensor.RandomUniform<double>(32, 4, new Random(7));
        var plainStep = Tensor.Compile((Tensor<double> a, Tensor<double> b) => Loss.HalfSumSquared(plain.Forward(a), b),
            new Sgd<double>(plain.Parameters, 0.5));
        var measuredStep = Tensor.Compile((Tensor<double> a, Tensor<double> b) => Loss.HalfSumSquared(measured.Forward(a), b),
            new Sgd<double>(measured.Parameters, 0.5));
        for (int i = 0; i < 4; i++)
        {
            plainStep.Run(x, y);
        }
        measuredStep.Run(x, y);
        double[] times = measuredStep.LatestPlan!.MeasureInRun(x, y, 3);
        Assert.Equal(measuredStep.LatestPlan.Steps.Count + 2, times.Length); // binding, every step, the deliveries
        Assert.All(times, t => Assert.True(t >= 0 && double.IsFinite(t), $"{t} ns"));
        foreach (var (p, m) in plain.Parameters.Zip(measured.Parameters))
        {
            Assert.Equal(p.ToFlatArray(), m.ToFlatArray());
            Assert.Equal(p.Grad!.ToFlatArray(), m.Grad!.ToFlatArray());
        }
    }
}
