using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A step compiled with an optimizer refuses a function whose inner Backward writes the Grad of any of the optimizer's
/// parameters — not only when it is the only one, nor only when every parameter is written — with the whole message.
/// </summary>
public class OptimizerOwnedGradRefusalMessageTests
{
    [Fact]
    public void An_inner_backward_into_one_of_several_optimizer_parameters_is_refused_with_the_whole_message()
    {
        var w = Tensor.RandomNormal<double>(3, 2, new Random(4), requiresGrad: true, name: "W");
        var b = Tensor.RandomNormal<double>(1, 2, new Random(5), requiresGrad: true, name: "B");
        double[] wBefore = w.ToFlatArray(), bBefore = b.ToFlatArray();
        var sgd = new Sgd<double>([b, w], 0.1);
        var step = Tensor.Compile<double>(x =>
        {
            var output = x.MatMul(w).Tanh();
            output.Square().Sum().Backward(createGraph: true); // writes W's Grad only (B is not in this graph)
            return (output + b).Sum();
        }, sgd);
        var error = Assert.Throws<InvalidOperationException>(() => step.Run(Tensor.RandomNormal<double>(4, 3, new Random(6))));
        Assert.Equal(
            "Tensor.Compile: a Backward inside the function writes the Grad of 'W' (3×2), which the optimizer compiled into the " +
            "step sets to the loss's gradient alone (ZeroGrad, then Step) without that write; compile without the optimizer " +
            "and call ZeroGrad and Step around Run, or use Autograd.Grad(…, createGraph: true) inside the function.",
            error.Message);
        Assert.Null(w.Grad);
        Assert.Null(b.Grad);
        Assert.Equal(wBefore, w.ToFlatArray());
        Assert.Equal(bBefore, b.ToFlatArray());
        Assert.Equal(0, step.TraceCount);
    }
}
