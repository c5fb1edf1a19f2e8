using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// Freezing a parameter (<c>RequiresGrad = false</c>) or unfreezing a constant after a step was traced changes which
/// leaves get a gradient; the compiled step must follow, as the eager tape does (PyTorch's compiled functions guard
/// on requires_grad the same way), instead of replaying the trace's choice.
/// </summary>
public class CompiledRequiresGradTests
{
    private static Tensor<double> W() => Tensor.From(new double[,] { { 0.5, -0.25 }, { 0.125, 1.5 }, { -1, 0.75 } }, requiresGrad: true, name: "W");

    private static Tensor<double> B() => Tensor.From(new double[,] { { 0.1, -0.2 } }, requiresGrad: true, name: "b");

    private static readonly Tensor<double> X = Tensor.From(new double[,] { { 1, 2, 3 }, { -1, 0.5, 2 } });
    private static readonly Tensor<double> Y = Tensor.From(new double[,] { { 0.3, -0.1 }, { 0.2, 0.9 } });

    private static Tensor<double> Loss(Tensor<double> x, Tensor<double> y, Tensor<double> w, Tensor<double> b) =>
        AutoGrad.Nn.Loss.MeanSquaredError(x.MatMul(w).Tanh() + b, y);

    [Fact]
    public void A_parameter_frozen_after_the_trace_is_neither_updated_nor_given_a_gradient()
    {
        var (eagerW, eagerB) = (W(), B());
        var eagerSgd = new Sgd<double>([eagerW, eagerB], 0.1, momentum: 0.9);
        var (w, b) = (W(), B());
        var sgd = new Sgd<double>([w, b], 0.1, momentum: 0.9);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss(x, y, w, b), sgd);

        for (int i = 0; i < 3; i++)
        {
            if (i == 1)
            {
                eagerB.RequiresGrad = false;
                b.RequiresGrad = false;
            }
            eagerSgd.ZeroGrad();
            var loss = Loss(X, Y, eagerW, eagerB);
            loss.Backward();
            eagerSgd.Step();
            Assert.Equal(loss.Item, step.Run(X, Y));
        }

        Assert.Null(b.Grad);
        Assert.Equal(eagerB.ToFlatArray(), b.ToFlatArray());
        Assert.Equal(eagerW.ToFlatArray(), w.ToFlatArray());
        Assert.Equal(eagerW.Grad!.ToFlatArray(), w.Grad!.ToFlatArray());
    }

    [Fact]
    public void A_constant_that_requires_a_gradient_after_the_trace_gets_it()
    {
        var (eagerW, eagerB) = (W(), B());
        var (w, b) = (W(), B());
        eagerB.RequiresGrad = false;
        b.RequiresGrad = false;
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss(x, y, w, b));
        step.Run(X, Y);
        Loss(X, Y, eagerW, eagerB).Backward();

        eagerB.RequiresGrad = true;
        b.RequiresGrad = true;
        step.Run(X, Y);
        Loss(X, Y, eagerW, eagerB).Backward();

        Assert.NotNull(b.Grad);
        Assert.Equal(eagerB.Grad!.ToFlatArray(), b.Grad!.ToFlatArray());
        Assert.Equal(eagerW.Grad!.ToFlatArray(), w.Grad!.ToFlatArray());
        Assert.Equal(2, step.TraceCount);
    }
}
