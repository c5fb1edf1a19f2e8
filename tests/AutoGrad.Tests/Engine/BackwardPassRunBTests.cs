using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Session fourteen, run B survivors of <c>BackwardPass.cs</c>: the refusal of a plain pass inside a trace says all of
/// its advice; a recorded pass hands one recorded gradient to two leaves without cutting it from its graph; a plain pass
/// with more deliveries than the linear scan covers still gives every leaf a Grad of its own.
/// </summary>
public class BackwardPassRunBTests
{
    [Fact]
    public void A_plain_backward_inside_a_traced_function_is_refused_with_the_whole_advice()
    {
        var w = Tensor.Full(1, 2, 0.5, requiresGrad: true, name: "w");
        var f = Tensor.CompileForward<double>(x =>
        {
            x.Hadamard(w).Sum().Backward();
            return x.Sum();
        });
        var error = Assert.Throws<InvalidOperationException>(() => f.Run(Tensor.Full(1, 2, 1.0)));
        Assert.EndsWith(
            "Such a pass records nothing, so the compiled function would keep this call's gradient as a constant and " +
            "return it on every later call; pass createGraph: true so the trace records the gradient, or compute it outside the compiled function.",
            error.Message);
        Assert.StartsWith("Backward: a backward pass without createGraph inside a function that Tensor.CompileForward is tracing", error.Message);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void A_recorded_gradient_handed_to_two_leaves_stays_in_its_graph_for_both()
    {
        var a = Tensor.FromRowMajor<double>(1, 2, [1, 2], requiresGrad: true);
        var b = Tensor.FromRowMajor<double>(1, 2, [3, -1], requiresGrad: true);
        a.Add(b).Square().Sum().Backward(createGraph: true);
        Assert.True(a.Grad!.RequiresGrad);
        Assert.True(b.Grad!.RequiresGrad);
        // ∂/∂b of Σ ∂L/∂b = Σ 2(a + b) is 2 per element
        var second = Autograd.Grad(b.Grad.Sum(), [b]);
        Assert.Equal([2.0, 2.0], second[0].ToFlatArray());
    }

    [Fact]
    public void Forty_leaves_summed_each_get_a_Grad_of_their_own()
    {
        var leaves = Enumerable.Range(0, 40).Select(i => Tensor.Full(1, 3, (double)i, requiresGrad: true)).ToArray();
        Tensor<double> total = leaves[0];
        for (int i = 1; i < leaves.Length; i++)
        {
            total = total.Add(leaves[i]);
        }
        total.Sum().Backward();
        var grads = leaves.Select(l => l.Grad!).ToArray();
        Assert.Equal(grads.Length, grads.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.All(grads, g => Assert.Equal([1.0, 1.0, 1.0], g.ToFlatArray()));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    public void A_graph_of_exactly_a_workspace_capacity_of_tensors_back_propagates_twice(int tensors)
    {
        // x and tensors − 1 negations: the slot arrays start at 16 and double, so the pass fills them exactly. On a
        // thread of its own: a thread's workspace keeps the arrays an earlier, larger pass grew.
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { TwoPasses(tensors); } catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        Assert.Null(failure);
    }

    private static void TwoPasses(int tensors)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            var x = Tensor.Full(1, 1, 2.0, requiresGrad: true);
            Tensor<double> y = x;
            for (int i = 1; i < tensors; i++)
            {
                y = y.Neg();
            }
            y.Backward();
            Assert.Equal([(tensors - 1) % 2 == 0 ? 1.0 : -1.0], x.Grad!.ToFlatArray());
        }
    }

    /// <summary>y = x whose (test-only, wrong) rule returns a 4×3 gradient for a 2×3 input: the rows do not broadcast, the columns match.</summary>
    private sealed class WrongRows(Tensor<double> x) : Operation<double>(x)
    {
        public override string Name => "WrongRows";

        public override void Backward(Tensor<double> result, Tensor<double> grad, Span<Tensor<double>?> gradients) =>
            gradients[0] = Tensor.Full(4, 3, 1.0);

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) => inputs[0];
    }

    [Fact]
    public void A_rule_returning_a_gradient_whose_rows_do_not_broadcast_is_an_internal_error_naming_it()
    {
        var x = Tensor.Full(2, 3, 1.0, requiresGrad: true);
        var y = new Tensor<double>(x.Shape, (double[])x.Data.Clone());
        y.SetCreator(new WrongRows(x));
        var error = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Equal("Backward: internal error in WrongRows: gradient of input 0 is 4×3 but the input is 2×3.", error.Message);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void A_rule_reading_its_own_result_after_the_scope_ended_names_that_result()
    {
        var w = Tensor.From(new[,] { { 0.5, -1.0 } }, requiresGrad: true, name: "w");
        Tensor<double> y;
        using (var scope = Tensor.Scope())
        {
            y = scope.Keep(w.Exp().Add(w));
        }
        var error = Assert.Throws<ObjectDisposedException>(() => y.Backward(Tensor.From(new[,] { { 1.0, 1.0 } })));
        Assert.StartsWith("Backward: the rule of Exp reads a 1×2 tensor from Exp, which was created inside a TensorScope that has ended", error.Message);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void A_rule_reading_a_detached_leaf_made_inside_an_ended_scope_names_the_leaf_without_an_operation()
    {
        var w = Tensor.From(new[,] { { 0.5, -1.0 } }, requiresGrad: true, name: "w");
        Tensor<double> y;
        using (var scope = Tensor.Scope())
        {
            var c = w.Exp().Detach();
            y = scope.Keep(w.Hadamard(c));
        }
        var error = Assert.Throws<ObjectDisposedException>(() => y.Backward(Tensor.From(new[,] { { 1.0, 1.0 } })));
        Assert.StartsWith("Backward: the rule of Hadamard reads a 1×2 tensor, which was created inside a TensorScope that has ended", error.Message);
        Assert.Null(w.Grad);
    }
}
