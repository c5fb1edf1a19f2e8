using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Log-sum-exp along one axis: <c>rᵢ = m + ln Σⱼ e^(xᵢⱼ − m)</c> with m the lane's maximum (axis 1: one value per
    /// row, a Rows×1 column; axis 0: one per column, a 1×Cols row). Stable for any finite logits (±1000 included);
    /// a lane of −∞ gives −∞, a lane holding +∞ gives +∞, as <c>torch.logsumexp</c>.
    /// Backward: ∂L/∂xᵢⱼ = ∂L/∂rᵢ · e^(xᵢⱼ − rᵢ) — the softmax, reusing the result r.
    /// A plain backward pass computes it in one loop; a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> LogSumExp(int axis)
    {
        Lanes.CheckAxis("LogSumExp", axis, Shape);
        var result = Uninitialized(Lanes.Reduced(Shape, axis));
        var lanes = Lanes.Of(Shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            result.Data[lane] = SoftmaxKernels.LogSumExp<T>(Data, lanes, lane);
        }
        return Track(result, ShouldRecord(this) ? new LogSumExpOperation(this, axis) : null, $"LogSumExp(axis: {axis})", this);
    }

    internal sealed class LogSumExpOperation(Tensor<T> x, int axis) : Operation<T>(x)
    {
        public override string Name => $"LogSumExp(axis: {axis})";

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(AxisDeclaration.SymbolOf("logsumexp", axis), AxisDeclaration.LatexOf("logsumexp", axis), inputs[0]);

        public int Axis => axis;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> x = Inputs[0];
            if (ShouldRecord(grad, result))
            {
                gradients[0] = grad * (x - result).Exp();
                return;
            }
            var d = Uninitialized(x.Shape);
            SoftmaxKernels.LogSumExpBackward<T>(grad.Data, x.Data, result.Data, x.Shape, axis, d.Data);
            gradients[0] = d;
        }
    }
}

/// <summary>Log-sum-exp along an axis.</summary>
internal sealed class LogSumExpDeclaration(int axis) : AxisDeclaration(axis)
{
    private LogSumExpDeclaration()
        : this(1)
    {
    }

    protected override string BaseName => "LogSumExp";

    protected override string BaseSymbol => "logsumexp";

    public override Type OperationType => typeof(Tensor<>.LogSumExpOperation);

    protected override AxisDeclaration WithAxis(int otherAxis) => new LogSumExpDeclaration(otherAxis);

    protected override Tensor<T> Apply<T>(Tensor<T> x, int along) => x.LogSumExp(along);
}
