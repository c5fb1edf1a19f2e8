using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Pow's recorded gradient d = (g₁ ⊙ g₂) ⊙ c · x^q computes only the gradients its inputs need. ∂/∂g₁ reads g₂ and x,
/// ∂/∂g₂ reads g₁ and x, ∂/∂x reads both seeds. With only g₁ needing one, g₁ made inside a <see cref="TensorScope"/>
/// that has ended (by a transpose, whose rule reads neither its input nor its result) is disposed, and the backward pass
/// through the kept d still runs and gives ∂/∂g₁. Computing ∂/∂g₂ or ∂/∂x anyway would read the disposed g₁ and
/// refuse the pass.
/// </summary>
public class PowGradientUnneededInputTests
{
    [Theory]
    [InlineData(3.0, 2.0)]
    [InlineData(0.75, -0.5)]
    public void Two_seed_pow_gradient_computes_only_the_first_seeds_gradient_when_only_it_needs_one(double c, double q)
    {
        var w = Tensor.From(new[,] { { 1.0, 0.25 }, { -2.0, 3.0 }, { 0.5, -1.5 } }, requiresGrad: true, name: "w");
        var g2 = Tensor.From(new[,] { { 0.5, -1.25, 2.0 }, { -0.75, 0.125, 1.5 } });
        var x = Tensor.From(new[,] { { 0.5, 1.25, 2.0 }, { 0.75, 1.125, 1.5 } });
        var h = Tensor.From(new[,] { { 0.3, -0.2, 1.1 }, { -0.9, 0.4, 0.7 } });
        Tensor<double> g1, d;
        using (var scope = Tensor.Scope())
        {
            g1 = w.Transpose();
            d = scope.Keep(Tensor<double>.PowGradient([g1, g2], x, c, q));
        }
        Assert.True(g1.IsDisposed); // only a rule that reads g₁ could fail
        d.Backward(h);
        double[] expected = Tensor<double>.PowGradient([h, g2], x, c, q).Transpose().ToFlatArray(); // ∂/∂w = ((h ⊙ g₂) ⊙ c·x^q)ᵀ
        Assert.Equal(expected, w.Grad!.ToFlatArray());
    }
}
