using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// <see cref="Sgd{T}"/>'s hyper-parameters changed between steps: momentum switched on later starts its buffer from
/// the gradient, as on a first step (PyTorch creates the buffer on the first step with momentum); Nesterov set later
/// acts as if given to the constructor; refused values name themselves and change nothing.
/// </summary>
public class SgdSettersTests
{
    private static readonly double[] Start = [1.0, -2.0, 0.5, 3.0, -1.5, 2.5, 0.25, -0.75, 4.0];
    private static readonly double[] C = [0.5, -1.25, 2.0, -0.5, 1.0, 0.75, -2.0, 1.5, -0.25];

    /// <summary>One step with gradient exactly C (the loss Σ C ⊙ p), for parameters of 2 (scalar loop) and 9 elements (vector loop and tail).</summary>
    private static void StepWithGradientC(Sgd<double> sgd)
    {
        sgd.ZeroGrad();
        Tensor<double>? loss = null;
        foreach (var p in sgd.Parameters)
        {
            var term = (Tensor.FromRowMajor<double>(p.Rows, p.Cols, C.AsSpan(0, p.Length)) * p).Sum();
            loss = loss is null ? term : loss + term;
        }
        loss!.Backward();
        sgd.Step();
    }

    private static Tensor<double>[] Parameters() =>
        [Tensor.FromRowMajor<double>(1, 2, Start.AsSpan(0, 2), requiresGrad: true), Tensor.FromRowMajor<double>(3, 3, Start, requiresGrad: true)];

    [Fact]
    public void Momentum_switched_on_after_a_step_without_it_starts_its_buffer_from_the_gradient()
    {
        var parameters = Parameters();
        var sgd = new Sgd<double>(parameters, 0.1, weightDecay: 0.01);
        StepWithGradientC(sgd); // weight decay, no momentum: no buffer
        sgd.Momentum = 0.9;
        sgd.Dampening = 0.5;
        StepWithGradientC(sgd); // first step with momentum: b = g
        StepWithGradientC(sgd); // then b = μ·b + (1 − τ)·g
        foreach (var p in parameters)
        {
            var values = p.ToFlatArray();
            for (int k = 0; k < p.Length; k++)
            {
                double x = Start[k];
                x = Math.FusedMultiplyAdd(-0.1, Math.FusedMultiplyAdd(0.01, x, C[k]), x);
                double b = Math.FusedMultiplyAdd(0.01, x, C[k]);
                x = Math.FusedMultiplyAdd(-0.1, b, x);
                b = Math.FusedMultiplyAdd(0.5, Math.FusedMultiplyAdd(0.01, x, C[k]), b * 0.9);
                x = Math.FusedMultiplyAdd(-0.1, b, x);
                Assert.Equal(x, values[k]);
            }
        }
    }

    [Fact]
    public void Nesterov_set_after_construction_steps_as_Nesterov_given_to_the_constructor()
    {
        var set = Parameters();
        var given = Parameters();
        var plain = Parameters();
        var later = new Sgd<double>(set, 0.1, momentum: 0.9) { Nesterov = true };
        var constructed = new Sgd<double>(given, 0.1, momentum: 0.9, nesterov: true);
        var without = new Sgd<double>(plain, 0.1, momentum: 0.9);
        for (int t = 0; t < 3; t++)
        {
            StepWithGradientC(later);
            StepWithGradientC(constructed);
            StepWithGradientC(without);
        }
        Assert.True(later.Nesterov);
        Assert.Equal(given.SelectMany(p => p.ToFlatArray()), set.SelectMany(p => p.ToFlatArray()));
        Assert.NotEqual(plain.SelectMany(p => p.ToFlatArray()), set.SelectMany(p => p.ToFlatArray()));
    }

    [Theory]
    [InlineData("momentum", -1.0)]
    [InlineData("dampening", -0.5)]
    [InlineData("weight decay", double.NaN)]
    [InlineData("weight decay", -2.0)]
    public void A_refused_setting_names_itself_and_changes_nothing(string what, double value)
    {
        var sgd = new Sgd<double>(Parameters(), 0.1, momentum: 0.5, dampening: 0.25, weightDecay: 0.125);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            switch (what)
            {
                case "momentum": sgd.Momentum = value; break;
                case "dampening": sgd.Dampening = value; break;
                default: sgd.WeightDecay = value; break;
            }
        });
        Assert.Equal(what, error.ParamName);
        Assert.StartsWith($"Sgd: the {what} must be non-negative and finite; got {value}.", error.Message);
        Assert.Equal((0.5, 0.25, 0.125), (sgd.Momentum, sgd.Dampening, sgd.WeightDecay));
    }

    [Fact]
    public void With_momentum_and_no_weight_decay_a_parameter_that_overflowed_stays_infinite_instead_of_becoming_NaN()
    {
        var p = Tensor.From(new double[,] { { double.PositiveInfinity, 1.0 } }, requiresGrad: true);
        var sgd = new Sgd<double>([p], 0.1, momentum: 0.5); // (0 · ∞ would be NaN: no decay term may be added)
        (Tensor.From(new double[,] { { 1.0, 1.0 } }) * p).Sum().Backward();
        sgd.Step();
        Assert.Equal([double.PositiveInfinity, 0.9], p.ToFlatArray());
    }
}
