using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad.Kernels;

/// <summary>Sums along one axis and its adjoint, repeating along an axis, on <c>TensorPrimitives</c>.</summary>
internal static class Reductions
{
    /// <summary>Σ over rows: destination[j] = Σᵢ source[i, j] (a 1×cols result).</summary>
    public static void SumRows<T>(ReadOnlySpan<T> source, Shape shape, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = shape.Cols;
        source[..cols].CopyTo(destination);
        for (int i = 1; i < shape.Rows; i++)
        {
            TensorPrimitives.Add(destination, source.Slice(i * cols, cols), destination);
        }
    }

    /// <summary>Σ over columns: destination[i] = Σⱼ source[i, j] (a rows×1 result).</summary>
    public static void SumCols<T>(ReadOnlySpan<T> source, Shape shape, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = shape.Cols;
        for (int i = 0; i < shape.Rows; i++)
        {
            destination[i] = TensorPrimitives.Sum(source.Slice(i * cols, cols));
        }
    }

    /// <summary>Repeats a row, a column or a scalar of shape <paramref name="from"/> into shape <paramref name="to"/>.</summary>
    public static void BroadcastTo<T>(ReadOnlySpan<T> source, Shape from, Span<T> destination, Shape to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = to.Cols;
        for (int i = 0; i < to.Rows; i++)
        {
            int si = from.Rows == 1 ? 0 : i;
            Span<T> d = destination.Slice(i * cols, cols);
            if (from.Cols == cols)
            {
                source.Slice(si * cols, cols).CopyTo(d);
            }
            else
            {
                d.Fill(source[si]);
            }
        }
    }
}
