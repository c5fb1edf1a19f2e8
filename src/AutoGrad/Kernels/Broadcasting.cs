using System.Globalization;
using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// NumPy's broadcasting rules restricted to two dimensions: along each axis the sizes must be equal,
/// or one of them 1 (then that operand is repeated along the axis).
/// </summary>
internal static class Broadcasting
{
    /// <summary>The shape of <paramref name="a"/> ⊕ <paramref name="b"/>, or an exception naming the op and both shapes.</summary>
    public static Shape ResultShape(string op, Shape a, Shape b)
    {
        if (a == b)
        {
            return a;
        }
        int rows = Combine(a.Rows, b.Rows);
        int cols = Combine(a.Cols, b.Cols);
        if (rows < 0 || cols < 0)
        {
            string axis = rows < 0 ? string.Create(CultureInfo.InvariantCulture, $"rows {a.Rows} and {b.Rows}") : string.Create(CultureInfo.InvariantCulture, $"columns {a.Cols} and {b.Cols}");
            throw new ArgumentException(
                $"{op}: shapes ({a}) and ({b}) cannot be broadcast together: {axis} differ and neither is 1.");
        }
        // The operands' text is formatted only for the error: formatting it on every call cost more than a small operation.
        return Shape.FitsArray(rows, cols) ? new Shape(rows, cols) : Shape.CheckSize(op, rows, cols, $"({a}) and ({b})", paramName: null); // both operands set it
    }

    private static int Combine(int x, int y) => x == y ? x : x == 1 ? y : y == 1 ? x : -1;

    /// <summary>Applies <typeparamref name="TOp"/> element-wise, repeating a 1-sized axis of either operand.</summary>
    public static void Apply<T, TOp>(ReadOnlySpan<T> a, Shape sa, ReadOnlySpan<T> b, Shape sb, Span<T> destination, Shape sd)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryFunction<TOp>
    {
        if (sa == sd && sb == sd)
        {
            TOp.Invoke<T>(a, b, destination);
            return;
        }
        if (sb.IsScalar && sa == sd)
        {
            TOp.Invoke<T>(a, b[0], destination);
            return;
        }
        if (sa.IsScalar && sb == sd)
        {
            TOp.Invoke<T>(a[0], b, destination);
            return;
        }
        int cols = sd.Cols;
        bool aIsRow = sa.Cols == cols, bIsRow = sb.Cols == cols;
        for (int i = 0; i < sd.Rows; i++)
        {
            int ai = sa.Rows == 1 ? 0 : i;
            int bi = sb.Rows == 1 ? 0 : i;
            Span<T> d = destination.Slice(i * cols, cols);
            if (aIsRow && bIsRow)
            {
                TOp.Invoke<T>(a.Slice(ai * cols, cols), b.Slice(bi * cols, cols), d);
            }
            else if (aIsRow)
            {
                TOp.Invoke<T>(a.Slice(ai * cols, cols), b[bi], d);
            }
            else
            {
                // a is a column (one value per row), b is a full row: cols > 1 here, so b cannot also be a column.
                TOp.Invoke<T>(a[ai], b.Slice(bi * cols, cols), d);
            }
        }
    }
}
