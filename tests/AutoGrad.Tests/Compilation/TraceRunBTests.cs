using AutoGrad.Compilation;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// Session fourteen, run B survivors of <c>Trace.cs</c> and <c>TracedGradWrites.cs</c>: the trace's refusals say all of
/// their advice, the bit-for-bit safety net against the eager backward pass fires (reached with a test-only operation whose
/// rule differs when recorded — no shipped operation does), and a 1×1 parameter returned as the loss is trained.
/// </summary>
public class TraceRunBTests
{
    private static Tensor<double> Data(int rows, int cols, int seed) => Tensor.RandomNormal<double>(rows, cols, new Random(seed));

    [Fact]
    public void A_loss_with_no_parameter_is_refused_with_both_remedies_named()
    {
        var step = Tensor.Compile<double>(x => x.Square().Sum());
        var error = Assert.Throws<InvalidOperationException>(() => step.Run(Data(2, 3, 1)));
        Assert.Equal(
            "Tensor.Compile: nothing the loss depends on requires a gradient besides the inputs, so there is nothing to train. " +
            "Create the parameters with requiresGrad: true, or compile a forward function with Tensor.CompileForward.",
            error.Message);
    }

    [Fact]
    public void A_function_reading_a_Grad_its_inner_backward_wrote_is_refused_with_the_whole_advice()
    {
        var w = Tensor.RandomNormal<double>(3, 2, new Random(4), requiresGrad: true, name: "W");
        var f = Tensor.CompileForward<double>(x =>
        {
            x.MatMul(w).Square().Sum().Backward(createGraph: true);
            return w.Grad!.Square().Sum();
        });
        var error = Assert.Throws<InvalidOperationException>(() => f.Run(Data(4, 3, 1)));
        Assert.Equal(
            "Tensor.CompileForward: the function reads the Grad of 'W' (3×2) after a Backward inside it wrote it. Eagerly that Grad " +
            "also holds every earlier call's gradients, which the compiled function cannot follow; use the gradient " +
            "Autograd.Grad(…, createGraph: true) returns instead, or call the function eagerly.",
            error.Message);
    }

    [Fact]
    public void A_function_returning_null_is_refused_by_name()
    {
        var f = Tensor.CompileForward<double>(x => null!);
        var error = Assert.Throws<InvalidOperationException>(() => f.Run(Data(2, 2, 1)));
        Assert.Equal("Tensor.CompileForward: the function returned null instead of a tensor.", error.Message);
        Assert.False(GradMode.IsTracing);
    }

    [Fact]
    public void A_one_by_one_parameter_returned_as_the_loss_is_trained_with_gradient_one()
    {
        var w = Tensor.Full(1, 1, 3.0, requiresGrad: true);
        var step = Tensor.Compile<double>(x => w);
        step.Run(Data(2, 2, 1));
        Assert.Equal([1.0], w.Grad!.ToFlatArray());
        step.Run(Data(2, 2, 2));
        Assert.Equal([2.0], w.Grad!.ToFlatArray());
    }

    [Fact]
    public void Reading_the_Grad_an_inner_backward_wrote_into_a_tensor_the_function_made_is_compiled_as_eager()
    {
        var w = Tensor.RandomNormal<double>(3, 2, new Random(4), requiresGrad: true, name: "W");
        Tensor<double> Function(Tensor<double> x)
        {
            var h = x.MatMul(w).RetainGrad();
            h.Tanh().Sum().Backward(createGraph: true);
            return h.Grad!.Sum();
        }
        var f = Tensor.CompileForward<double>(Function);
        for (int i = 0; i < 2; i++)
        {
            var x = Data(4, 3, 30 + i);
            double[] expected = Function(x).ToFlatArray();
            Assert.Equal(expected, f.Run(x).ToFlatArray());
        }
    }

    [Fact]
    public void FirstDifference_finds_the_first_differing_element_the_prefix_length_or_none()
    {
        Assert.Equal(-1, Trace<double>.FirstDifference([1, 2, double.NaN], [1, 2, double.NaN]));
        Assert.Equal(1, Trace<double>.FirstDifference([1, 2, 3], [1, 5, 3]));
        Assert.Equal(2, Trace<double>.FirstDifference([1, 2, 3], [1, 2, 4]));
        Assert.Equal(1, Trace<double>.FirstDifference([1], [1, 2]));
        Assert.Equal(1, Trace<double>.FirstDifference([1, 2], [1]));
        Assert.Equal(0, Trace<double>.FirstDifference([], [7]));
    }

    /// <summary>y = x, whose rule gives −g when recorded and, when not, −g + 1 (<c>Plain</c>) or no gradient at all when recorded (<c>Missing</c>).</summary>
    private sealed class Unfaithful(Tensor<double> x, bool missingWhenRecorded) : Operation<double>(x)
    {
        public override string Name => "Unfaithful";

        public override void Backward(Tensor<double> result, Tensor<double> grad, Span<Tensor<double>?> gradients)
        {
            bool recorded = GradMode.IsEnabled;
            gradients[0] = recorded ? (missingWhenRecorded ? null : grad.Neg()) : grad.Neg().Add(Tensor.Full(grad.Rows, grad.Cols, 1.0));
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) => inputs[0];

        public static Tensor<double> Apply(Tensor<double> x, bool missingWhenRecorded)
        {
            var y = new Tensor<double>(x.Shape, (double[])x.Data.Clone());
            y.SetCreator(new Unfaithful(x, missingWhenRecorded));
            return y;
        }
    }

    [Fact]
    public void A_rule_whose_recorded_gradient_differs_from_the_eager_one_is_refused_naming_the_element_and_the_operations()
    {
        var w = Tensor.Full(1, 2, 0.5, requiresGrad: true, name: "w");
        var other = Tensor.Full(1, 2, 0.25, requiresGrad: true, name: "v");
        var step = Tensor.Compile<double>(x => other.Add(Unfaithful.Apply(w, missingWhenRecorded: false)).Sum());
        var error = Assert.Throws<NotSupportedException>(() => step.Run(Data(1, 2, 1)));
        Assert.Equal(
            "Tensor.Compile: the backward pass recorded for compilation gives 'w' (1×2) a gradient that is not the " +
            "eager Backward()'s bit for bit (element 0: -1 vs 0): an operation " +
            "of this function (Unfaithful, Add, Sum) computes its derivative differently when recorded, and its fused kernel is " +
            "not captured (BackwardCapture). The function is not compiled; run it eagerly.",
            error.Message);
        Assert.Null(w.Grad);
        Assert.Equal(0, step.TraceCount);
    }

    [Fact]
    public void A_rule_that_gives_no_gradient_when_recorded_is_refused_naming_the_missing_element()
    {
        var w = Tensor.Full(1, 2, 0.5, requiresGrad: true, name: "w");
        var step = Tensor.Compile<double>(x => Unfaithful.Apply(w, missingWhenRecorded: true).Sum());
        var error = Assert.Throws<NotSupportedException>(() => step.Run(Data(1, 2, 1)));
        Assert.Contains("(element 0: (none) vs 0): an operation of this function (Unfaithful, Sum)", error.Message);
    }
}
