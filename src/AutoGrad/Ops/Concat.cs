using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Two tensors side by side along <paramref name="axis"/> (0: a's rows then b's; 1: a's columns then b's), the
    /// building block of <see cref="Tensor.Concat{T}"/>.
    /// Backward: ∂L/∂a and ∂L/∂b are the matching slices of ∂L/∂y.
    /// </summary>
    internal static Tensor<T> Concat2(Tensor<T> a, Tensor<T> b, int axis)
    {
        Shape shape = axis == 0 ? new Shape(a.Rows + b.Rows, a.Cols) : new Shape(a.Rows, a.Cols + b.Cols);
        var result = Uninitialized(shape);
        if (axis == 0)
        {
            a.Data.AsSpan().CopyTo(result.Data);
            b.Data.AsSpan().CopyTo(result.Data.AsSpan(a.Length));
        }
        else
        {
            for (int i = 0; i < shape.Rows; i++)
            {
                a.Data.AsSpan(i * a.Cols, a.Cols).CopyTo(result.Data.AsSpan(i * shape.Cols, a.Cols));
                b.Data.AsSpan(i * b.Cols, b.Cols).CopyTo(result.Data.AsSpan(i * shape.Cols + a.Cols, b.Cols));
            }
        }
        string name = $"Concat(axis: {axis})";
        return Track(result, ShouldRecord(a, b) ? new ConcatOperation(a, b, axis, name) : null, name, a, b);
    }

    internal sealed class ConcatOperation(Tensor<T> a, Tensor<T> b, int axis, string name) : Operation<T>(a, b)
    {
        public override string Name => name;

        public int Axis => axis;

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad)
        {
            Tensor<T> a = Inputs[0], b = Inputs[1];
            return axis == 0
                ? new(Needs(0) ? grad.SliceRows(0, a.Rows) : null, Needs(1) ? grad.SliceRows(a.Rows, b.Rows) : null)
                : new(Needs(0) ? grad.Slice(0, a.Rows, 0, a.Cols) : null, Needs(1) ? grad.Slice(0, b.Rows, a.Cols, b.Cols) : null);
        }
    }
}
