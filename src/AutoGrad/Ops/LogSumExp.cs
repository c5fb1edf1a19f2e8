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

        public int Axis => axis;

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad)
        {
            Tensor<T> x = Inputs[0];
            if (ShouldRecord(grad, result))
            {
                return new(grad * (x - result).Exp());
            }
            var d = Uninitialized(x.Shape);
            SoftmaxKernels.LogSumExpBackward<T>(grad.Data, x.Data, result.Data, x.Shape, axis, d.Data);
            return new(d);
        }
    }
}
