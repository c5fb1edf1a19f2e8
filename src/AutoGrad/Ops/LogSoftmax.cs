using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Log-softmax along one axis (axis 1: per row, as <c>F.log_softmax(x, dim=1)</c>):
    /// <c>yᵢⱼ = (xᵢⱼ − m) − ln Σₖ e^(xᵢₖ − m)</c>, m the lane's maximum: finite for any finite logits ([1000, −1000] gives
    /// [0, −2000]), where <c>Softmax(axis).Log()</c> would give −∞.
    /// Backward: ∂L/∂xᵢⱼ = ∂L/∂yᵢⱼ − e^(yᵢⱼ) · Σₖ ∂L/∂yᵢₖ, reusing the result y.
    /// A plain backward pass computes it in one loop; a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> LogSoftmax(int axis)
    {
        Lanes.CheckAxis("LogSoftmax", axis, Shape);
        var result = Uninitialized(Shape);
        SoftmaxKernels.LogSoftmax<T>(Data, Shape, axis, result.Data);
        return Track(result, ShouldRecord(this) ? new LogSoftmaxOperation(this, axis) : null, $"LogSoftmax(axis: {axis})", this);
    }

    internal sealed class LogSoftmaxOperation(Tensor<T> x, int axis) : Operation<T>(x)
    {
        public override string Name => $"LogSoftmax(axis: {axis})";

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(AxisDeclaration.SymbolOf("logsoftmax", axis), AxisDeclaration.LatexOf("logsoftmax", axis), inputs[0]);

        public int Axis => axis;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            if (ShouldRecord(grad, result))
            {
                gradients[0] = grad - result.Exp() * grad.Sum(axis);
                return;
            }
            var d = Uninitialized(result.Shape);
            SoftmaxKernels.LogSoftmaxBackward<T>(grad.Data, result.Data, result.Shape, axis, d.Data);
            gradients[0] = d;
        }
    }
}

/// <summary>Log-softmax along an axis.</summary>
internal sealed class LogSoftmaxDeclaration(int axis) : AxisDeclaration(axis)
{
    private LogSoftmaxDeclaration()
        : this(1)
    {
    }

    protected override string BaseName => "LogSoftmax";

    protected override string BaseSymbol => "logsoftmax";

    public override Type OperationType => typeof(Tensor<>.LogSoftmaxOperation);

    protected override AxisDeclaration WithAxis(int otherAxis) => new LogSoftmaxDeclaration(otherAxis);

    protected override Tensor<T> Apply<T>(Tensor<T> x, int along) => x.LogSoftmax(along);
}
