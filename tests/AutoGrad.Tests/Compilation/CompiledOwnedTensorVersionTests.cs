using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// adv16: the tensors a compiled function owns and writes in place on every call — <c>CompiledForward.Run</c>'s result
/// and each parameter's <c>Grad</c> delivered by <c>CompiledStep.Run</c> — bump their version like any in-place write,
/// so a graph recorded on an earlier value is refused by <c>Backward</c> instead of differentiating the new values.
/// Before: <c>(f.Run(x₁) ⊙ w).Sum()</c>, then <c>f.Run(x₂)</c>, then Backward gave w.Grad = f(x₂) (6, 6 where the
/// recorded value gives 2, 2), and a graph on <c>w.Grad</c> gave the next step's gradient (7, 7 for 2, 2) — silently.
/// PyTorch raises there ("one of the variables needed for gradient computation has been modified by an inplace
/// operation"). Each refused pass changes no gradient.
/// </summary>
public class CompiledOwnedTensorVersionTests
{
    [Fact]
    public void A_graph_on_an_earlier_compiled_forward_result_is_refused_after_the_next_call()
    {
        var w = Tensor.Ones<double>(1, 2, requiresGrad: true, name: "w");
        var f = Tensor.CompileForward<double>(x => x * 2.0);
        var a = f.Run(Tensor.Ones<double>(1, 2));
        var loss = (a * w).Sum();
        f.Run(Tensor.Full<double>(1, 2, 3.0));
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("was modified in place after the operation was recorded", error.Message);
        Assert.Null(w.Grad);

        // recorded after the latest call, the same result back-propagates its current values
        var fresh = (f.Run(Tensor.Full<double>(1, 2, 5.0)) * w).Sum();
        fresh.Backward();
        Assert.Equal([10.0, 10.0], w.Grad!.ToFlatArray());
    }

    public static TheoryData<string> Optimizers => new() { "none", "sgd", "adam" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_graph_on_a_delivered_gradient_is_refused_after_the_next_step(string optimizer)
    {
        var w = Tensor.Ones<double>(1, 2, requiresGrad: true, name: "w");
        var v = Tensor.Ones<double>(1, 2, requiresGrad: true, name: "v");
        Optimizer<double>? opt = optimizer switch
        {
            "sgd" => new Sgd<double>([w], 0.1, momentum: 0.9),
            "adam" => new Adam<double>([w], 0.1),
            _ => null,
        };
        var step = Tensor.Compile((Tensor<double> x) => (w * x).Sum(), opt);
        step.Run(Tensor.Full<double>(1, 2, 2.0));
        var g = w.Grad!;
        Assert.Equal([2.0, 2.0], g.ToFlatArray());
        var penalty = (g * v).Sum();
        step.Run(Tensor.Full<double>(1, 2, 7.0)); // without an optimizer: accumulates, 9, 9
        Assert.Same(g, w.Grad);
        var error = Assert.Throws<InvalidOperationException>(() => penalty.Backward());
        Assert.Contains("was modified in place after the operation was recorded", error.Message);
        Assert.Null(v.Grad);
    }

    [Fact]
    public void A_float_step_and_forward_bump_the_versions_too()
    {
        var w = Tensor.Ones<float>(2, 1, requiresGrad: true, name: "w");
        var step = Tensor.Compile((Tensor<float> x) => x.MatMul(w).Tanh().Sum(), new Adam<float>([w], 0.01));
        var f = Tensor.CompileForward<float>(x => x.MatMul(w.Detach()).Sigmoid());
        var x = Tensor.Ones<float>(3, 2);
        step.Run(x);
        var y = f.Run(x);
        int gradVersion = w.Grad!.Version, outputVersion = y.Version;
        step.Run(x);
        f.Run(x);
        Assert.True(w.Grad!.Version > gradVersion);
        Assert.True(y.Version > outputVersion);
    }
}
