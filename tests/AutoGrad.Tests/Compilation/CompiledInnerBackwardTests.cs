using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// <c>Backward(createGraph: true)</c> inside a compiled function, reaching a parameter that lives outside it: eagerly,
/// every call adds that pass's gradient into the parameter's <c>Grad</c> (and a training step then adds the loss's).
/// The trace wrote it once, at trace time, and no later <c>Run</c> wrote it again (session twelve, trace20). Now the
/// trace's own write is undone and the plan makes it on every call, before the loss's gradient, in the eager order; a
/// function that reads such a <c>Grad</c> back, or a compiled update that would not see the write, is refused by name
/// and the refused call changes nothing.
/// </summary>
public class CompiledInnerBackwardTests
{
    private static Tensor<double> Data(int rows, int cols, int seed) => Tensor.RandomNormal<double>(rows, cols, new Random(seed));

    private static Tensor<double> Weight() => Tensor.RandomNormal<double>(3, 2, new Random(4), requiresGrad: true, name: "W");

    /// <summary>A loss whose function also back-propagates an auxiliary term into W's Grad, recorded.</summary>
    private static Func<Tensor<double>, Tensor<double>> WithAuxiliaryBackward(Tensor<double> w) => x =>
    {
        var output = x.MatMul(w).Tanh();
        output.Square().Sum().Backward(createGraph: true);
        return output.Sum();
    };

    private static double[][] EagerGrads(int calls, Action<Tensor<double>, Tensor<double>> call)
    {
        var w = Weight();
        var grads = new double[calls][];
        for (int i = 0; i < calls; i++)
        {
            call(w, Data(4, 3, 10 + i));
            grads[i] = w.Grad!.ToFlatArray();
        }
        return grads;
    }

    [Fact]
    public void A_compiled_step_adds_the_inner_backward_and_the_loss_gradient_on_every_call_as_eager_does()
    {
        double[][] eager = EagerGrads(3, (w, x) => WithAuxiliaryBackward(w)(x).Backward());
        var w = Weight();
        var step = Tensor.Compile(WithAuxiliaryBackward(w));
        for (int i = 0; i < 3; i++)
        {
            step.Run(Data(4, 3, 10 + i));
            Assert.Equal(eager[i], w.Grad!.ToFlatArray());
        }
        Assert.Equal(1, step.TraceCount);
    }

    [Fact]
    public void A_compiled_forward_adds_the_inner_backward_on_every_call_as_eager_does()
    {
        double[][] eager = EagerGrads(3, (w, x) => WithAuxiliaryBackward(w)(x));
        var w = Weight();
        var f = Tensor.CompileForward(WithAuxiliaryBackward(w));
        for (int i = 0; i < 3; i++)
        {
            var x = Data(4, 3, 10 + i);
            double[] output = f.Run(x).ToFlatArray();
            Assert.Equal(eager[i], w.Grad!.ToFlatArray());
            Assert.Equal(x.MatMul(w).Tanh().Sum().ToFlatArray(), output);
        }
        Assert.Equal(1, f.TraceCount);
    }

    [Fact]
    public void Two_inner_passes_into_one_parameter_accumulate_in_the_eager_order_after_an_existing_Grad()
    {
        Func<Tensor<double>, Tensor<double>> Twice(Tensor<double> w) => x =>
        {
            var output = x.MatMul(w);
            output.Exp().Sum().Backward(createGraph: true);
            output.Sin().Sum().Backward(createGraph: true);
            return output.Square().Mean();
        };
        var reference = Weight();
        reference.Grad = Tensor.Full(3, 2, 0.125);
        var w = Weight();
        w.Grad = Tensor.Full(3, 2, 0.125);
        var step = Tensor.Compile(Twice(w), options: new CompileOptions { CheckEachCall = true });
        for (int i = 0; i < 3; i++)
        {
            var x = Data(4, 3, 20 + i);
            Twice(reference)(x).Backward();
            step.Run(x);
            Assert.Equal(reference.Grad!.ToFlatArray(), w.Grad!.ToFlatArray());
        }
    }

    [Fact]
    public void A_function_that_reads_a_Grad_its_inner_backward_wrote_is_refused_by_name_and_nothing_changes()
    {
        var w = Weight();
        var f = Tensor.CompileForward<double>(x =>
        {
            x.MatMul(w).Square().Sum().Backward(createGraph: true);
            return w.Grad!.Square().Sum();
        });
        var error = Assert.Throws<InvalidOperationException>(() => f.Run(Data(4, 3, 1)));
        Assert.StartsWith("Tensor.CompileForward: the function reads the Grad of 'W' (3×2) after a Backward inside it wrote it", error.Message);
        Assert.Null(w.Grad);
        Assert.Equal(0, f.TraceCount);
        Assert.False(GradMode.IsTracing);
    }

    [Fact]
    public void An_inner_backward_into_a_parameter_the_compiled_update_owns_is_refused_by_name_and_nothing_changes()
    {
        var w = Weight();
        double[] before = w.ToFlatArray();
        var sgd = new Sgd<double>([w], 0.1);
        var step = Tensor.Compile(WithAuxiliaryBackward(w), sgd);
        var error = Assert.Throws<InvalidOperationException>(() => step.Run(Data(4, 3, 1)));
        Assert.StartsWith("Tensor.Compile: a Backward inside the function writes the Grad of 'W' (3×2), which the optimizer compiled into the step", error.Message);
        Assert.Null(w.Grad);
        Assert.Equal(before, w.ToFlatArray());
        Assert.Equal(0, step.TraceCount);
    }

    [Fact]
    public void A_trace_that_throws_after_an_inner_backward_leaves_the_Grad_as_it_was()
    {
        var w = Weight();
        var f = Tensor.CompileForward<double>(x =>
        {
            x.MatMul(w).Square().Sum().Backward(createGraph: true);
            throw new FormatException("planted");
        });
        Assert.Throws<FormatException>(() => f.Run(Data(4, 3, 1)));
        Assert.Null(w.Grad);
    }
}
