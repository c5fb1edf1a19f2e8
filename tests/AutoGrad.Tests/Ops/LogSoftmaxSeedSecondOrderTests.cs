using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// The derivative of LogSoftmax′ with respect to its seed g: ∂/∂g of Σ h ⊙ (g − e^y ⊙ Σg) is h − Σ(h ⊙ e^y) along the
/// lane (<c>LogSoftmaxOperator.GradientOfSeed</c>, a survivor of run F: no test took the gradient with respect to the seed).
/// </summary>
public class LogSoftmaxSeedSecondOrderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void The_gradient_with_respect_to_the_seed_is_h_minus_the_lane_sum_of_h_times_softmax(int axis)
    {
        double[,] xs = { { 0.3, -1.2, 2.0 }, { 1.1, 0.4, -0.7 } }, hs = { { 1.5, -0.5, 2.5 }, { -2.0, 0.75, 1.25 } };
        var x = Tensor.From(xs, requiresGrad: true);
        var g = Tensor.From(new double[,] { { 0.2, -1.0, 0.6 }, { 1.4, 0.1, -0.3 } }, requiresGrad: true);
        var first = Autograd.Grad(x.LogSoftmax(axis), [x], createGraph: true, g)[0];
        var second = Autograd.Grad((first * Tensor.From(hs)).Sum(), [g])[0].ToArray();
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double sum = 0, max = double.NegativeInfinity, total = 0;
                for (int k = 0; k < (axis == 0 ? 2 : 3); k++)
                {
                    max = Math.Max(max, axis == 0 ? xs[k, j] : xs[i, k]);
                }
                for (int k = 0; k < (axis == 0 ? 2 : 3); k++)
                {
                    total += Math.Exp((axis == 0 ? xs[k, j] : xs[i, k]) - max);
                }
                for (int k = 0; k < (axis == 0 ? 2 : 3); k++)
                {
                    double xk = axis == 0 ? xs[k, j] : xs[i, k], hk = axis == 0 ? hs[k, j] : hs[i, k];
                    sum += hk * Math.Exp(xk - max) / total;
                }
                double expected = hs[i, j] - sum;
                Assert.True(Math.Abs(second[i, j] - expected) <= 1e-14, $"[{i}, {j}]: {second[i, j]:R}, expected {expected:R}");
            }
        }
    }
}
