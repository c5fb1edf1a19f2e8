using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// <c>scope.Keep(t)</c> keeps t's values and gradient, not the graph t was computed from: a backward pass through t after
/// the scope has ended is refused by name — the operation whose rule reads a disposed value, that value, and what Keep
/// does — and changes no gradient. Before, the refusal only said the disposed value should have been kept.
/// </summary>
public class TensorScopeKeepGraphTests
{
    [Fact]
    public void Backward_through_a_kept_result_whose_graph_ended_with_the_scope_names_the_rule_and_what_keep_keeps()
    {
        var w = Tensor.From(new[,] { { 0.5, -1.0 } }, requiresGrad: true, name: "w");
        Tensor<double> y;
        double[] inside;
        using (var scope = Tensor.Scope())
        {
            y = scope.Keep(w.Exp().Square());
            inside = y.ToFlatArray();
        }
        Assert.False(y.IsDisposed);
        Assert.Equal(inside, y.ToFlatArray()); // the values are kept
        var error = Assert.Throws<ObjectDisposedException>(() => y.Backward(Tensor.From(new[,] { { 1.0, 1.0 } })));
        Assert.StartsWith("Backward: the rule of Square reads a 1×2 tensor from Exp, which was created inside a TensorScope that has ended", error.Message);
        Assert.Contains("which was created inside a TensorScope that has ended", error.Message);
        Assert.Contains("TensorScope.Keep hands out a tensor's values and gradient, not the graph it was computed from", error.Message);
        Assert.EndsWith("No gradient was changed.", error.Message);
        Assert.IsType<ObjectDisposedException>(error.InnerException);
        Assert.Null(w.Grad);
        Assert.True(error.Message.Length < 600, error.Message);
    }

    /// <summary>The same refusal reached through Autograd.Grad names Autograd.Grad, the method the caller called, not Backward.</summary>
    [Fact]
    public void Autograd_Grad_through_a_kept_result_whose_graph_ended_with_the_scope_names_Autograd_Grad()
    {
        var w = Tensor.From(new[,] { { 0.5, -1.0 } }, requiresGrad: true, name: "w");
        Tensor<double> y;
        using (var scope = Tensor.Scope())
        {
            y = scope.Keep(w.Exp().Square());
        }
        var error = Assert.Throws<ObjectDisposedException>(() => Autograd.Grad(y, [w], seed: Tensor.From(new[,] { { 1.0, 1.0 } })));
        Assert.StartsWith("Autograd.Grad: the rule of Square reads a 1×2 tensor from Exp, which was created inside a TensorScope that has ended", error.Message);
        Assert.Contains("call Autograd.Grad before the scope ends", error.Message);
        Assert.EndsWith("No gradient was changed.", error.Message);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void Backward_through_a_kept_result_inside_its_scope_and_with_its_graph_kept_runs()
    {
        var w = Tensor.From(new[,] { { 0.5, -1.0 } }, requiresGrad: true);
        Tensor<double> y;
        using (var scope = Tensor.Scope())
        {
            var h = w.Exp();
            y = h.Square();
            y.Sum().Backward(); // inside the scope: the graph is alive
            scope.Keep(h); // keep every result the rules read (Square reads h), and the result itself
            scope.Keep(y);
        }
        double[] expected = w.Grad!.ToFlatArray();
        Assert.Equal(2 * Math.Exp(1.0), expected[0], 1e-15); // d/dw e^(2w)
        w.ZeroGrad();
        y.Backward(Tensor.From(new[,] { { 1.0, 1.0 } }));
        Assert.Equal(expected, w.Grad!.ToFlatArray());
    }
}
