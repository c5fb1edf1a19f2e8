using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>Sums along one axis and its adjoint, repeating along an axis, on <c>TensorPrimitives</c>.</summary>
internal static class Reductions
{
    /// <summary>
    /// Σ over rows: destination[j] = Σᵢ source[i, j] (a 1×cols result), each column summed in row order from row 0
    /// (((x₀ⱼ + x₁ⱼ) + x₂ⱼ) + …). In double, one rounding per addition; in float, the additions are made in double and
    /// the column's sum rounded to float once, as <see cref="Summation.Sum{T}"/> does for Sum() and Sum(1) (summed in
    /// float, a 10⁶-long column of values near 0.1 was off by thousands of ulps). Blocks of columns are carried down the
    /// rows in vector registers — lane j does exactly column j's additions in that order, so every width gives the same
    /// bits — instead of one span call per row, which costs more than its additions for the narrow rows of a bias gradient.
    /// In double, a column that came out ±∞ is summed again scaled down (<see cref="Summation.ScaledSum{T}"/>), so a
    /// column whose partial sums overflow while its total does not gets that total; every other column keeps its bits.
    /// </summary>
    public static void SumRows<T>(ReadOnlySpan<T> source, Shape shape, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = shape.Rows, cols = shape.Cols;
        if (source.Length < rows * cols || destination.Length < cols || rows < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Sum(axis: 0): {shape} needs {rows * cols} source and {cols} destination elements, at least one row (internal error)."));
        }
        if (typeof(T) == typeof(float))
        {
            SumRowsInDouble(MemoryMarshal.Cast<T, float>(source), rows, cols, MemoryMarshal.Cast<T, float>(destination));
            return;
        }
        ref T s = ref MemoryMarshal.GetReference(source);
        ref T d = ref MemoryMarshal.GetReference(destination);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            j = SumRowBlocks<T, Math512<T>>(ref s, rows, cols, ref d, j);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            j = SumRowBlocks<T, Math256<T>>(ref s, rows, cols, ref d, j);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            j = SumRowBlocks<T, Math128<T>>(ref s, rows, cols, ref d, j);
        }
        for (; j < cols; j++)
        {
            T sum = Unsafe.Add(ref s, j);
            for (int i = 1; i < rows; i++)
            {
                sum += Unsafe.Add(ref s, i * cols + j);
            }
            Unsafe.Add(ref d, j) = sum;
        }
        // a column whose partial sums overflowed ([max, max, −max] gave +∞) is summed again scaled down, as Sum() is
        for (j = 0; j < cols; j++)
        {
            if (!T.IsFinite(destination[j]))
            {
                destination[j] = Summation.ScaledSum(source, j, cols, rows);
            }
        }
    }

    /// <summary>
    /// <see cref="SumRows"/> for float: each column's additions in row order in double, the sum rounded to float once.
    /// A vector of floats widens into two of doubles, carried down the rows, and narrows (rounds) at the end; then four
    /// columns at a time in 128-bit vectors the same way; the tail columns do the same additions one at a time, so a
    /// column's bits depend neither on the vector width nor on where it lies.
    /// </summary>
    private static void SumRowsInDouble(ReadOnlySpan<float> source, int rows, int cols, Span<float> destination)
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        int j = 0, w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= cols - w; j += w)
            {
                Vector.Widen(Vector.LoadUnsafe(ref s, (nuint)j), out Vector<double> low, out Vector<double> high);
                for (int i = 1; i < rows; i++)
                {
                    Vector.Widen(Vector.LoadUnsafe(ref s, (nuint)(i * cols + j)), out Vector<double> a, out Vector<double> b);
                    low += a;
                    high += b;
                }
                Vector.Narrow(low, high).StoreUnsafe(ref d, (nuint)j);
            }
        }
        if (Vector128.IsHardwareAccelerated && w > 4)
        {
            // four columns (a narrow output layer's bias gradient) in two chains of two lanes instead of four scalar chains in
            // turn: a (32, 16-32-4) float step's b₂ gradient (32 × 4) took 120 ns, now 30 (benchmarks/README.md, session twelve)
            for (; j <= cols - 4; j += 4)
            {
                (Vector128<double> low, Vector128<double> high) = Vector128.Widen(Vector128.LoadUnsafe(ref s, (nuint)j));
                for (int i = 1; i < rows; i++)
                {
                    (Vector128<double> a, Vector128<double> b) = Vector128.Widen(Vector128.LoadUnsafe(ref s, (nuint)(i * cols + j)));
                    low += a;
                    high += b;
                }
                Vector128.Narrow(low, high).StoreUnsafe(ref d, (nuint)j);
            }
        }
        for (; j < cols; j++)
        {
            double sum = Unsafe.Add(ref s, j);
            for (int i = 1; i < rows; i++)
            {
                sum += Unsafe.Add(ref s, i * cols + j);
            }
            Unsafe.Add(ref d, j) = (float)sum;
        }
    }

    /// <summary>Columns [j, …) of <see cref="SumRows"/> in whole vectors of <typeparamref name="TVec"/>, four at a time where they fit; returns the first column left.</summary>
    private static int SumRowBlocks<T, TVec>(ref T s, int rows, int cols, ref T d, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T>
    {
        int w = TVec.Count;
        // eight columns of vectors at a time where they fit: eight chains of additions cover the adder's latency × units
        // (a (32, 16-32-4) bias gradient, 32 × 32 doubles: one pass over the rows instead of two)
        for (; j <= cols - 8 * w; j += 8 * w)
        {
            TVec a0 = TVec.Load(ref s, (nuint)j), a1 = TVec.Load(ref s, (nuint)(j + w)), a2 = TVec.Load(ref s, (nuint)(j + 2 * w)), a3 = TVec.Load(ref s, (nuint)(j + 3 * w));
            TVec a4 = TVec.Load(ref s, (nuint)(j + 4 * w)), a5 = TVec.Load(ref s, (nuint)(j + 5 * w)), a6 = TVec.Load(ref s, (nuint)(j + 6 * w)), a7 = TVec.Load(ref s, (nuint)(j + 7 * w));
            for (int i = 1; i < rows; i++)
            {
                ref T row = ref Unsafe.Add(ref s, i * cols + j);
                a0 += TVec.Load(ref row, 0);
                a1 += TVec.Load(ref row, (nuint)w);
                a2 += TVec.Load(ref row, (nuint)(2 * w));
                a3 += TVec.Load(ref row, (nuint)(3 * w));
                a4 += TVec.Load(ref row, (nuint)(4 * w));
                a5 += TVec.Load(ref row, (nuint)(5 * w));
                a6 += TVec.Load(ref row, (nuint)(6 * w));
                a7 += TVec.Load(ref row, (nuint)(7 * w));
            }
            ref T out0 = ref Unsafe.Add(ref d, j);
            TVec.Store(a0, ref out0, 0);
            TVec.Store(a1, ref out0, (nuint)w);
            TVec.Store(a2, ref out0, (nuint)(2 * w));
            TVec.Store(a3, ref out0, (nuint)(3 * w));
            TVec.Store(a4, ref out0, (nuint)(4 * w));
            TVec.Store(a5, ref out0, (nuint)(5 * w));
            TVec.Store(a6, ref out0, (nuint)(6 * w));
            TVec.Store(a7, ref out0, (nuint)(7 * w));
        }
        for (; j <= cols - 4 * w; j += 4 * w)
        {
            TVec a0 = TVec.Load(ref s, (nuint)j), a1 = TVec.Load(ref s, (nuint)(j + w)), a2 = TVec.Load(ref s, (nuint)(j + 2 * w)), a3 = TVec.Load(ref s, (nuint)(j + 3 * w));
            for (int i = 1; i < rows; i++)
            {
                int row = i * cols + j;
                a0 += TVec.Load(ref s, (nuint)row);
                a1 += TVec.Load(ref s, (nuint)(row + w));
                a2 += TVec.Load(ref s, (nuint)(row + 2 * w));
                a3 += TVec.Load(ref s, (nuint)(row + 3 * w));
            }
            TVec.Store(a0, ref d, (nuint)j);
            TVec.Store(a1, ref d, (nuint)(j + w));
            TVec.Store(a2, ref d, (nuint)(j + 2 * w));
            TVec.Store(a3, ref d, (nuint)(j + 3 * w));
        }
        for (; j <= cols - w; j += w)
        {
            TVec a = TVec.Load(ref s, (nuint)j);
            for (int i = 1; i < rows; i++)
            {
                a += TVec.Load(ref s, (nuint)(i * cols + j));
            }
            TVec.Store(a, ref d, (nuint)j);
        }
        return j;
    }

    /// <summary>Σ over columns: destination[i] = Σⱼ source[i, j] (a rows×1 result).</summary>
    public static void SumCols<T>(ReadOnlySpan<T> source, Shape shape, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = shape.Cols;
        for (int i = 0; i < shape.Rows; i++)
        {
            destination[i] = Summation.Sum(source.Slice(i * cols, cols));
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
