using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Repeats a row (1×n), a column (n×1) or a scalar (1×1) to fill <paramref name="shape"/>:
    /// <c>yᵢⱼ = x₍ᵢ or 0₎₍ⱼ or 0₎</c>.
    /// Backward: ∂L/∂x = ∂L/∂y summed over the repeated axes (<see cref="SumTo"/>).
    /// </summary>
    public Tensor<T> BroadcastTo(Shape shape)
    {
        if (shape == Shape)
        {
            return this;
        }
        Shape check = Broadcasting.ResultShape("BroadcastTo", Shape, shape);
        if (check != shape)
        {
            throw new ArgumentException($"BroadcastTo: a {Shape} tensor cannot be broadcast to {shape}: it would need {check}.");
        }
        var result = Uninitialized(shape);
        Reductions.BroadcastTo<T>(Data, Shape, result.Data, shape);
        return Track(result, ShouldRecord(this) ? new BroadcastToOperation(this) : null, "BroadcastTo", this);
    }

    /// <summary>
    /// Sums a gradient back to the shape of an input that was broadcast: the adjoint of <see cref="BroadcastTo"/>.
    /// Built from <see cref="Sum(int)"/> and <see cref="Sum()"/>, so it is recorded when recording is on.
    /// </summary>
    internal Tensor<T> SumTo(Shape shape)
    {
        Tensor<T> g = this;
        if (g.Shape == shape)
        {
            return g;
        }
        if (shape.IsScalar)
        {
            return g.Sum();
        }
        if (shape.Rows == 1 && g.Rows != 1)
        {
            g = g.Sum(0);
        }
        if (shape.Cols == 1 && g.Cols != 1)
        {
            g = g.Sum(1);
        }
        return g;
    }

    internal sealed class BroadcastToOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "BroadcastTo";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(grad.SumTo(Inputs[0].Shape));
    }
}
