using System.Numerics;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// Five steps of each optimizer on a 2×3 and a 5×7 parameter, with the gradient of step t set by the loss
/// Σ C_t ∘ p (so it is exactly C_t in both frameworks), against PyTorch 1.13's values, bit for bit.
/// </summary>
public class OptimizerReferenceTests
{
    private static readonly (int Rows, int Cols)[] Shapes = [(2, 3), (5, 7)];

    internal static double Start(int k) => ((k * 37) % 11 - 5) / 7.0;

    internal static double Gradient(int t, int k) => ((k * 13 + t * 7) % 17 - 8) / 9.0;

    /// <summary>Runs five steps of the optimizer <paramref name="make"/> builds and returns each parameter's values.</summary>
    internal static T[][] Run<T>(Func<IReadOnlyList<Tensor<T>>, Optimizer<T>> make)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameters = Shapes.Select(s => Tensor.FromRowMajor(s.Rows, s.Cols,
            Enumerable.Range(0, s.Rows * s.Cols).Select(k => T.CreateChecked(Start(k))).ToArray(), requiresGrad: true)).ToArray();
        var optimizer = make(parameters);
        for (int t = 0; t < 5; t++)
        {
            optimizer.ZeroGrad();
            Tensor<T>? loss = null;
            foreach (var p in parameters)
            {
                var c = Tensor.FromRowMajor(p.Rows, p.Cols, Enumerable.Range(0, p.Length).Select(k => T.CreateChecked(Gradient(t, k))).ToArray());
                var term = (c * p).Sum();
                loss = loss is null ? term : loss + term;
            }
            loss!.Backward();
            optimizer.Step();
        }
        return parameters.Select(p => p.ToFlatArray()).ToArray();
    }

    private static void AssertBits<T>(T[][] expected, T[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            for (int k = 0; k < expected[i].Length; k++)
            {
                if (!EqualityComparer<T>.Default.Equals(expected[i][k], actual[i][k]))
                {
                    throw new Xunit.Sdk.XunitException($"parameter {i}, element {k}: PyTorch {expected[i][k]:R}, ours {actual[i][k]:R}");
                }
            }
        }
    }

    [Fact]
    public void Plain_Sgd_matches_PyTorch_bit_for_bit()
    {
        AssertBits(PyTorchOptimizerValues.SgdPlainDouble, Run<double>(p => new Sgd<double>(p, 0.1)));
        AssertBits(PyTorchOptimizerValues.SgdPlainFloat, Run<float>(p => new Sgd<float>(p, 0.1)));
    }

    [Fact]
    public void Sgd_with_momentum_dampening_and_weight_decay_matches_PyTorch_bit_for_bit()
    {
        AssertBits(PyTorchOptimizerValues.SgdMomentumDampeningDecayDouble, Run<double>(p => new Sgd<double>(p, 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)));
        AssertBits(PyTorchOptimizerValues.SgdMomentumDampeningDecayFloat, Run<float>(p => new Sgd<float>(p, 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)));
    }

    [Fact]
    public void Sgd_with_Nesterov_momentum_matches_PyTorch_bit_for_bit()
    {
        AssertBits(PyTorchOptimizerValues.SgdNesterovDecayDouble, Run<double>(p => new Sgd<double>(p, 0.05, momentum: 0.9, weightDecay: 0.001, nesterov: true)));
        AssertBits(PyTorchOptimizerValues.SgdNesterovDecayFloat, Run<float>(p => new Sgd<float>(p, 0.05, momentum: 0.9, weightDecay: 0.001, nesterov: true)));
    }

    [Fact]
    public void Adam_with_defaults_matches_PyTorch_bit_for_bit()
    {
        AssertBits(PyTorchOptimizerValues.AdamDefaultsDouble, Run<double>(p => new Adam<double>(p, 0.01)));
        AssertBits(PyTorchOptimizerValues.AdamDefaultsFloat, Run<float>(p => new Adam<float>(p, 0.01)));
    }

    [Fact]
    public void Adam_with_weight_decay_and_AmsGrad_matches_PyTorch_bit_for_bit()
    {
        AssertBits(PyTorchOptimizerValues.AdamDecayAmsGradDouble, Run<double>(p => new Adam<double>(p, 0.01, 0.8, 0.99, 1e-6, weightDecay: 0.1, amsGrad: true)));
        AssertBits(PyTorchOptimizerValues.AdamDecayAmsGradFloat, Run<float>(p => new Adam<float>(p, 0.01, 0.8, 0.99, 1e-6, weightDecay: 0.1, amsGrad: true)));
    }

    [Fact]
    public void AdamW_matches_PyTorch_bit_for_bit()
    {
        AssertBits(PyTorchOptimizerValues.AdamWDouble, Run<double>(p => new AdamW<double>(p, 0.01, weightDecay: 0.1)));
        AssertBits(PyTorchOptimizerValues.AdamWFloat, Run<float>(p => new AdamW<float>(p, 0.01, weightDecay: 0.1)));
    }

    [Fact]
    public void StepLR_rates_match_PyTorch_bit_for_bit()
    {
        var sgd = new Sgd<double>([Tensor.Zeros<double>(1, 1, requiresGrad: true)], 0.1);
        var schedule = new StepLR(sgd, stepSize: 3, gamma: 0.5);
        var rates = Enumerable.Range(0, 10).Select(_ => { schedule.Step(); return sgd.LearningRate; }).ToArray();
        Assert.Equal(PyTorchOptimizerValues.StepLRRates, rates);
    }

    [Fact]
    public void CosineAnnealingLR_rates_match_PyTorch_bit_for_bit_over_several_cycles()
    {
        var sgd = new Sgd<double>([Tensor.Zeros<double>(1, 1, requiresGrad: true)], 0.1);
        var schedule = new CosineAnnealingLR(sgd, period: 5, minimum: 0.001);
        var rates = Enumerable.Range(0, 25).Select(_ => { schedule.Step(); return sgd.LearningRate; }).ToArray();
        Assert.Equal(PyTorchOptimizerValues.CosineRates, rates);
    }
}
