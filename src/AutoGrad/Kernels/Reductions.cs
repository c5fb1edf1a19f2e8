using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad.Kernels;

/// <summary>Sums over a whole tensor or along one axis, on <c>TensorPrimitives</c>.</summary>
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

    /// <summary>
    /// destination = sourceᵀ, in tiles of 32 columns: four source rows are read side by side, and each destination
    /// row gets four neighbouring values at a time. Unchecked reads and writes: the spans' lengths are checked once.
    /// </summary>
    public static void Transpose<T>(ReadOnlySpan<T> source, Shape shape, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Tile = 32;
        int rows = shape.Rows, cols = shape.Cols;
        // One check for the unchecked loop below (callers pass arrays of the right size: an internal contract).
        _ = source[shape.Length - 1];
        _ = destination[shape.Length - 1];
        ref T src = ref MemoryMarshal.GetReference(source);
        ref T dst = ref MemoryMarshal.GetReference(destination);
        for (int j0 = 0; j0 < cols; j0 += Tile)
        {
            int j1 = Math.Min(j0 + Tile, cols);
            int i = 0;
            for (; i + 4 <= rows; i += 4)
            {
                ref T r0 = ref Unsafe.Add(ref src, i * cols);
                ref T r1 = ref Unsafe.Add(ref r0, cols);
                ref T r2 = ref Unsafe.Add(ref r1, cols);
                ref T r3 = ref Unsafe.Add(ref r2, cols);
                for (int j = j0; j < j1; j++)
                {
                    ref T d = ref Unsafe.Add(ref dst, j * rows + i);
                    d = Unsafe.Add(ref r0, j);
                    Unsafe.Add(ref d, 1) = Unsafe.Add(ref r1, j);
                    Unsafe.Add(ref d, 2) = Unsafe.Add(ref r2, j);
                    Unsafe.Add(ref d, 3) = Unsafe.Add(ref r3, j);
                }
            }
            for (; i < rows; i++)
            {
                ref T row = ref Unsafe.Add(ref src, i * cols);
                for (int j = j0; j < j1; j++)
                {
                    Unsafe.Add(ref dst, j * rows + i) = Unsafe.Add(ref row, j);
                }
            }
        }
    }
}
