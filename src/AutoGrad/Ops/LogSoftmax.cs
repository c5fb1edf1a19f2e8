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

        public int Axis => axis;

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad)
        {
            if (ShouldRecord(grad, result))
            {
                return new(grad - result.Exp() * grad.Sum(axis));
            }
            var d = Uninitialized(result.Shape);
            SoftmaxKernels.LogSoftmaxBackward<T>(grad.Data, result.Data, result.Shape, axis, d.Data);
            return new(d);
        }
    }
}
