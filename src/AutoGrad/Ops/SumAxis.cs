using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Sum along one axis: axis 0 sums down the rows (<c>sⱼ = Σᵢ xᵢⱼ</c>, a 1×Cols row), axis 1 sums
    /// across the columns (<c>sᵢ = Σⱼ xᵢⱼ</c>, a Rows×1 column).
    /// Backward: ∂L/∂x = ∂L/∂s repeated along the summed axis.
    /// </summary>
    public Tensor<T> Sum(int axis)
    {
        Tensor<T> result;
        switch (axis)
        {
            case 0:
                result = Uninitialized(new Shape(1, Cols));
                Reductions.SumRows<T>(Data, Shape, result.Data);
                break;
            case 1:
                result = Uninitialized(new Shape(Rows, 1));
                Reductions.SumCols<T>(Data, Shape, result.Data);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(axis),
                    $"Sum(axis): axis must be 0 (rows) or 1 (columns) for a 2-D tensor; got {axis} for a {Shape} tensor.");
        }
        return Track(result, ShouldRecord(this) ? new SumAxisOperation(this, axis) : null, $"Sum(axis: {axis})", this);
    }

    internal sealed class SumAxisOperation(Tensor<T> x, int axis) : Operation<T>(x)
    {
        public override string Name => $"Sum(axis: {axis})";

        public int Axis => axis;

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(grad.BroadcastTo(Inputs[0].Shape));
    }
}
