using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// The recorded lane gradient d = G(g, y) (Softmax′, LogSoftmax′) computes only the gradients its inputs need: when y
/// needs none, its rule does not compute ∂/∂y — the one term that reads the seed g (softmax: g ⊙ h − Σ(y ⊙ g) ⊙ h − …,
/// log-softmax: −(Σg ⊙ eʸ) ⊙ h). Observable through a scope: g made inside a <see cref="TensorScope"/> that has ended
/// (by a transpose, whose own rule reads neither its input nor its result) is disposed, and the backward pass through the kept d still runs,
/// since ∂/∂g reads only h and y. Computing ∂/∂y anyway would read the disposed g and refuse the pass.
/// </summary>
public class LaneGradientUnneededInputTests
{
    private static void Check<TOp>(int axis) where TOp : struct, ILaneGradientOperator<TOp>
    {
        var x = Tensor.From(new[,] { { 0.5, -1.25, 2.0 }, { -0.75, 0.125, 1.5 } });
        var y = Tensor<double>.Lanewise<TOp>(x, axis); // needs no gradient
        var w = Tensor.From(new[,] { { 1.0, 0.25 }, { -2.0, 3.0 }, { 0.5, -1.5 } }, requiresGrad: true, name: "w");
        var h = Tensor.From(new[,] { { 0.3, -0.2, 1.1 }, { -0.9, 0.4, 0.7 } });
        Tensor<double> g, d;
        using (var scope = Tensor.Scope())
        {
            g = w.Transpose();
            d = scope.Keep(Tensor<double>.LaneGradient<TOp>(g, y, axis));
        }
        Assert.True(g.IsDisposed); // the seed is gone: only a rule that reads it could fail
        Assert.False(y.RequiresGrad);
        d.Backward(h);
        // ∂/∂w = (∂/∂g)ᵀ, the seed's gradient as the operator writes it (it reads h and y only; g is passed as h here)
        double[] expected = TOp.GradientOfSeed(h, h, y, axis).Transpose().ToFlatArray();
        Assert.Equal(expected, w.Grad!.ToFlatArray());
    }

    [Fact]
    public void Softmax_gradient_computes_no_result_gradient_when_y_needs_none_along_rows() => Check<SoftmaxOperator>(1);

    [Fact]
    public void Softmax_gradient_computes_no_result_gradient_when_y_needs_none_along_columns() => Check<SoftmaxOperator>(0);

    [Fact]
    public void LogSoftmax_gradient_computes_no_result_gradient_when_y_needs_none() => Check<LogSoftmaxOperator>(1);
}
