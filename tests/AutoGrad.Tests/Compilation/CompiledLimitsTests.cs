using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>What a compiled function cannot do, and how it says so; and the cases it handles like the eager tape.</summary>
public class CompiledLimitsTests
{
    private static Tensor<double> Param(int rows, int cols, int seed, string name) =>
        Tensor.RandomNormal<double>(rows, cols, new Random(seed), requiresGrad: true, name: name);

    private static Tensor<double> Data(int rows, int cols, int seed) => Tensor.RandomNormal<double>(rows, cols, new Random(seed));

    [Fact]
    public void A_new_input_shape_is_traced_once_and_a_known_one_reuses_its_plan()
    {
        var w = Param(3, 2, 1, "W");
        var step = Tensor.Compile((Tensor<double> x) => x.MatMul(w).Sigmoid().Sum());
        step.Run(Data(4, 3, 2));
        step.Run(Data(4, 3, 3));
        Assert.Equal(1, step.TraceCount);
        step.Run(Data(7, 3, 4));
        Assert.Equal(2, step.TraceCount);
        step.Run(Data(4, 3, 5));
        Assert.Equal(2, step.TraceCount);
    }

    /// <summary>
    /// A compiled function called inside a function being traced: its plan runs outside the outer trace, so the outer
    /// plan kept its result (and a step's update) from trace time — adv15 measured a gradient of [3, 6] where the eager
    /// function gives [2, 4]. Refused by the inner call's name while tracing; nothing changes (no parameter, no
    /// gradient, no trace counted), recording is back on afterwards, and the eager function still runs both.
    /// </summary>
    [Fact]
    public void A_compiled_function_called_while_another_is_traced_is_refused_by_name_and_nothing_changes()
    {
        var w = Param(1, 2, 1, "W");
        var v = Param(2, 2, 2, "V");
        double[] wBefore = w.ToFlatArray(), vBefore = v.ToFlatArray();
        var sgd = new Sgd<double>([v], 0.1);
        var innerStep = Tensor.Compile((Tensor<double> x) => x.MatMul(v).Square().Sum(), sgd);
        var innerForward = Tensor.CompileForward((Tensor<double> x) => x.MatMul(v).Tanh());
        var outerWithStep = Tensor.Compile((Tensor<double> x) =>
        {
            innerStep.Run(x);
            return (x.Hadamard(w)).Square().Sum();
        });
        var outerWithForward = Tensor.Compile((Tensor<double> x) => innerForward.Run(x).Hadamard(w).Sum());
        var data = Data(1, 2, 3);

        var stepError = Assert.Throws<InvalidOperationException>(() => outerWithStep.Run(data));
        Assert.StartsWith("CompiledStep.Run: called inside a function that Tensor.Compile or Tensor.CompileForward is tracing.", stepError.Message);
        var forwardError = Assert.Throws<InvalidOperationException>(() => outerWithForward.Run(data));
        Assert.StartsWith("CompiledForward.Run: called inside a function that Tensor.Compile or Tensor.CompileForward is tracing.", forwardError.Message);

        Assert.Equal(wBefore, w.ToFlatArray());
        Assert.Equal(vBefore, v.ToFlatArray());
        Assert.Null(w.Grad);
        Assert.Null(v.Grad);
        Assert.Equal(0, innerStep.TraceCount);
        Assert.Equal(0, innerForward.TraceCount);
        Assert.False(GradMode.IsTracing);
        Assert.True(GradMode.IsEnabled);

        // outside a trace both inner functions run as before, and the outer function works when written eagerly
        innerStep.Run(data);
        Assert.Equal(1, innerStep.TraceCount);
        var eager = (data.Hadamard(w)).Square().Sum();
        eager.Backward();
        Assert.Equal(new[] { 2 * data[0, 0] * data[0, 0] * wBefore[0], 2 * data[0, 1] * data[0, 1] * wBefore[1] }, w.Grad!.ToFlatArray());
    }

    [Fact]
    public void An_operation_without_a_compiled_form_is_refused_by_name_and_nothing_changes()
    {
        // every operation of the library has one (CompiledCatalogueTests), so a test-only operation stands for a future one
        var w = Param(3, 3, 1, "W");
        var step = Tensor.Compile((Tensor<double> x) => (Twice.Of(x.MatMul(w).Softmax(1)) * x).Sum());
        var error = Assert.Throws<NotSupportedException>(() => step.Run(Data(2, 3, 2)));
        Assert.Contains("the operation Twice (test only) has no compiled form", error.Message);
        Assert.Null(w.Grad);
    }

    /// <summary>y = 2x, an operation without a plan step (IPlanStepSource).</summary>
    private sealed class Twice(Tensor<double> x) : Operation<double>(x)
    {
        public static Tensor<double> Of(Tensor<double> x)
        {
            var y = Tensor.FromRowMajor(x.Rows, x.Cols, x.ToFlatArray().Select(v => 2 * v).ToArray());
            y.SetCreator(new Twice(x));
            return y;
        }

        public override string Name => "Twice (test only)";

        public override void Backward(Tensor<double> result, Tensor<double> grad, Span<Tensor<double>?> gradients) => gradients[0] = grad * 2.0;

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) => throw new NotSupportedException();
    }

    [Fact]
    public void A_checked_call_whose_operations_differ_from_the_trace_throws_naming_the_first_difference()
    {
        var w = Param(2, 2, 1, "W");
        // data-dependent control flow: the branch taken depends on the input's values
        var step = Tensor.Compile((Tensor<double> x) => x.Sum().Item > 0 ? x.MatMul(w).Sigmoid().Sum() : x.MatMul(w).Tanh().Sum(),
            options: new CompileOptions { CheckEachCall = true });
        step.Run(Tensor.Full(1, 2, 1.0));
        var gradAfterFirstCall = w.Grad!.ToFlatArray();
        var error = Assert.Throws<InvalidOperationException>(() => step.Run(Tensor.Full(1, 2, -1.0)));
        Assert.Contains("operation 1 of this call is Tanh → 1×2 but the trace recorded Sigmoid → 1×2", error.Message);
        Assert.Contains("data-dependent control flow", error.Message);
        Assert.Equal(gradAfterFirstCall, w.Grad!.ToFlatArray()); // refused before the plan ran
    }

    [Fact]
    public void Without_checking_the_traced_branch_is_replayed()
    {
        var w = Param(2, 2, 1, "W");
        var step = Tensor.Compile((Tensor<double> x) => x.Sum().Item > 0 ? x.MatMul(w).Sigmoid().Sum() : x.MatMul(w).Tanh().Sum());
        step.Run(Tensor.Full(1, 2, 1.0));
        var negative = Tensor.Full(1, 2, -1.0);
        Assert.Equal(negative.MatMul(w).Sigmoid().Sum().Item, step.Run(negative)); // σ, not the tanh eager would take
    }

    [Fact]
    public void A_checked_call_detects_a_value_computed_outside_the_tape_that_the_trace_froze()
    {
        var w = Param(2, 1, 1, "W");
        var step = Tensor.Compile((Tensor<double> x) =>
        {
            // read from the data, not computed by an operation: the trace sees a constant
            var scaled = Tensor.FromRowMajor(x.Rows, x.Cols, x.ToFlatArray().Select(v => 2 * v).ToArray());
            return scaled.MatMul(w).Sum();
        }, options: new CompileOptions { CheckEachCall = true });
        step.Run(Data(3, 2, 2));
        var error = Assert.Throws<InvalidOperationException>(() => step.Run(Data(3, 2, 3)));
        Assert.Contains("the compiled result differs from the eager one", error.Message);
        Assert.Contains("outside the tape", error.Message);
    }

    [Fact]
    public void A_detached_parameter_is_read_live_not_frozen()
    {
        var w = Param(2, 1, 1, "W");
        var v = Param(2, 1, 2, "V");
        var step = Tensor.Compile((Tensor<double> x) => (x.MatMul(w.Detach()) * x.MatMul(v)).Sum());
        var x = Data(3, 2, 3);
        step.Run(x);
        using (Tensor.NoGrad())
        {
            w.CopyFrom([5.0, -7.0]);
        }
        Assert.Equal((x.MatMul(w.Detach()) * x.MatMul(v)).Sum().Item, step.Run(x));
    }

    [Fact]
    public void Anomaly_mode_and_no_grad_are_refused_with_the_reason()
    {
        var w = Param(2, 1, 1, "W");
        var step = Tensor.Compile((Tensor<double> x) => x.MatMul(w).Sum());
        using (Tensor.DetectAnomaly())
        {
            var error = Assert.Throws<InvalidOperationException>(() => step.Run(Data(1, 2, 2)));
            Assert.Contains("anomaly detection (Tensor.DetectAnomaly) is on, but a compiled function does not check its values", error.Message);
        }
        using (Tensor.NoGrad())
        {
            var error = Assert.Throws<InvalidOperationException>(() => step.Run(Data(1, 2, 2)));
            Assert.Contains("called inside Tensor.NoGrad()", error.Message);
        }
        Assert.Null(w.Grad);
    }

    [Fact]
    public void A_step_needs_a_1x1_loss_and_a_parameter()
    {
        var w = Param(2, 3, 1, "W");
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Compile((Tensor<double> x) => x.MatMul(w)).Run(Data(4, 2, 2)));
        Assert.Contains("the function returned a 4×3 tensor; a compiled training step needs a 1×1 loss", error.Message);
        error = Assert.Throws<InvalidOperationException>(() => Tensor.Compile((Tensor<double> x) => x.Sum()).Run(Data(4, 2, 2)));
        Assert.Contains("nothing the loss depends on requires a gradient besides the inputs", error.Message);
    }

    [Fact]
    public void Null_inputs_and_functions_are_refused_by_name()
    {
        var w = Param(2, 1, 1, "W");
        Assert.Throws<ArgumentNullException>(() => Tensor.Compile((Tensor<double> x) => x.MatMul(w).Sum()).Run(null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.Compile((Tensor<double> x, Tensor<double> y) => x.MatMul(w).Sum()).Run(Data(1, 2, 2), null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.CompileForward<double>(x => x.MatMul(w)).Run(null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.Compile((Func<Tensor<double>, Tensor<double>>)null!));
        Assert.Null(w.Grad);
    }

    [Fact]
    public void Run_with_the_wrong_number_of_inputs_is_refused()
    {
        var w = Param(2, 1, 1, "W");
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => (x.MatMul(w) - y).Square().Sum());
        var error = Assert.Throws<ArgumentException>(() => step.Run(Data(3, 2, 2)));
        Assert.Contains("the compiled function takes 2 inputs; got 1", error.Message);
    }

    [Fact]
    public void A_gradient_left_by_an_eager_pass_is_accumulated_into_like_backward_does()
    {
        var eagerW = Param(3, 2, 1, "W");
        var compiledW = Param(3, 2, 1, "W");
        var x = Data(4, 3, 2);
        Tensor<double> Loss(Tensor<double> input, Tensor<double> w) => input.MatMul(w).Tanh().Sum();
        Loss(x, eagerW).Backward();
        Loss(x, eagerW).Backward();
        Loss(x, compiledW).Backward(); // a tensor of the eager pass, not the step's
        Tensor.Compile((Tensor<double> input) => Loss(input, compiledW)).Run(x);
        Assert.Equal(eagerW.Grad!.ToFlatArray(), compiledW.Grad!.ToFlatArray());
    }

    [Fact]
    public void A_compiled_forward_gives_the_eager_output_in_a_tensor_it_reuses_that_requires_no_gradient()
    {
        var model = new Mlp<double>([5, 9, 3], [Activation.Relu, Activation.Sigmoid], new Random(1));
        var forward = Tensor.CompileForward<double>(model.Forward);
        var x1 = Data(6, 5, 2);
        var x2 = Data(6, 5, 3);
        var first = forward.Run(x1);
        Assert.Equal(model.Forward(x1).ToFlatArray(), first.ToFlatArray());
        Assert.False(first.RequiresGrad);
        var second = forward.Run(x2);
        Assert.Same(first, second);
        Assert.Equal(model.Forward(x2).ToFlatArray(), second.ToFlatArray());
        Assert.All(model.Parameters, p => Assert.Null(p.Grad));
    }

    [Fact]
    public void GradCheck_of_a_compiled_function_is_refused_because_it_computes_no_input_gradient()
    {
        var model = new Mlp<double>([2, 3, 1], [Activation.Tanh, Activation.Identity], new Random(1));
        var forward = Tensor.CompileForward<double>(model.Forward);
        var x = Data(2, 2, 2);
        var input = Tensor.FromRowMajor(2, 2, x.AsSpan(), requiresGrad: true, name: "x");
        var error = Assert.Throws<InvalidOperationException>(() => GradCheck.Run(inputs => forward.Run(inputs[0]), [input]));
        Assert.Contains("CompiledForward.Run: the input 'x' (2×2) requires a gradient, but a compiled function records nothing", error.Message);
    }
}
