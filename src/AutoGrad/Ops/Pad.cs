using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// This tensor placed at (<paramref name="rowStart"/>, <paramref name="colStart"/>) in a tensor of zeros of
    /// <paramref name="shape"/>: the adjoint of <see cref="Slice"/>, and its backward rule.
    /// Backward: ∂L/∂x = the block of ∂L/∂y at the same place (a slice).
    /// </summary>
    internal Tensor<T> Pad(Shape shape, int rowStart, int colStart)
    {
        var result = Uninitialized(shape);
        result.Data.AsSpan().Clear();
        for (int i = 0; i < Rows; i++)
        {
            Data.AsSpan(i * Cols, Cols).CopyTo(result.Data.AsSpan((rowStart + i) * shape.Cols + colStart, Cols));
        }
        return Track(result, ShouldRecord(this) ? new PadOperation(this, rowStart, colStart) : null, "Pad", this);
    }

    internal sealed class PadOperation(Tensor<T> x, int rowStart, int colStart) : Operation<T>(x)
    {
        public override string Name => "Pad";

        public int RowStart => rowStart;

        public int ColStart => colStart;

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) =>
            new(grad.Slice(rowStart, Inputs[0].Rows, colStart, Inputs[0].Cols));
    }
}
