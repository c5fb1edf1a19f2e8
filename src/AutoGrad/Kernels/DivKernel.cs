using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>Div's gradient for the denominator: d = −g ⊙ (z / b), z = a / b the quotient, a and b broadcast to z's shape.</summary>
internal static class DivKernel
{
    /// <summary>
    /// d = −(g · (z / b)) for the elements [start, start + length) of z's shape (g, z and d whole arrays of that shape, a
    /// and b broadcast to it), in <typeparamref name="T"/> as PyTorch writes it (−g·((a/b)/b)), so where z, z / b and the
    /// product are normal numbers the bits are PyTorch's. Where one of them is not (z / b = ∞ while g brings the product
    /// back: g = 1e-200, a = 1e200, b = 1e-100 gives −1e200, not −∞; or a subnormal z or product with a few digits), it
    /// is Pow's gradient of the product of the seeds g and a at x = b with c = −1, q = −2 (<see cref="PowKernel.Scaled"/>),
    /// whose intermediates never leave the range. Runs in vectors of <see cref="Vector{T}"/> (each lane one IEEE 754
    /// division, multiplication and negation, so the bits of the scalar form); a vector with a lane out of the normal
    /// numbers goes element by element.
    /// </summary>
    public static void DenominatorGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Shape sa, ReadOnlySpan<T> b, Shape sb,
        Span<T> d, Shape sd, int start, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int end = start + length;
        if (sb == sd)
        {
            Segment(g, z, a, sa, b, d, sd, start, end, 0, repeats: false);
            return;
        }
        int cols = sd.Cols;
        bool repeats = sb.Cols == 1; // a column (or a scalar) of b: one b for a whole row
        for (int row = start / cols; row * cols < end; row++)
        {
            int from = Math.Max(start, row * cols), to = Math.Min(end, (row + 1) * cols);
            int bRow = (sb.Rows == 1 ? 0 : row) * sb.Cols;
            Segment(g, z, a, sa, b, d, sd, from, to, repeats ? bRow : bRow - row * cols, repeats);
        }
    }

    /// <summary>Elements [from, to), whose b is b[e + shift] (or b[shift] for all when <paramref name="repeats"/>).</summary>
    private static void Segment<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Shape sa, ReadOnlySpan<T> b,
        Span<T> d, Shape sd, int from, int to, int shift, bool repeats)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int e = from;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<T>.Count;
            var smallest = new Vector<T>(MinNormal<T>());
            var largest = new Vector<T>(MaxFinite<T>());
            Vector<T> repeated = repeats ? new Vector<T>(b[shift]) : default;
            for (; e <= to - w; e += w)
            {
                Vector<T> zv = new(z.Slice(e, w)), bv = repeats ? repeated : new Vector<T>(b.Slice(e + shift, w));
                Vector<T> quotient = zv / bv, product = new Vector<T>(g.Slice(e, w)) * quotient;
                if (IsNormal(zv, smallest, largest) && IsNormal(quotient, smallest, largest) && IsNormal(product, smallest, largest))
                {
                    (-product).CopyTo(d.Slice(e, w));
                }
                else
                {
                    for (int k = e; k < e + w; k++)
                    {
                        d[k] = Element(g, z, a, sa, sd, k, b[repeats ? shift : k + shift]);
                    }
                }
            }
        }
        for (; e < to; e++)
        {
            d[e] = Element(g, z, a, sa, sd, e, b[repeats ? shift : e + shift]);
        }
    }

    /// <summary>True when every lane is a normal number (NaN fails both comparisons).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsNormal<T>(Vector<T> v, Vector<T> smallest, Vector<T> largest) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> magnitude = Vector.Abs(v);
        return Vector.GreaterThanOrEqualAll(magnitude, smallest) && Vector.LessThanOrEqualAll(magnitude, largest);
    }

    private static T MinNormal<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(1.17549435e-38f) : T.CreateTruncating(2.2250738585072014e-308);

    private static T MaxFinite<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(float.MaxValue) : T.CreateTruncating(double.MaxValue);

    /// <summary>One element: −(g · (z / b)), or the split form where z, z / b or the product is not a normal number.</summary>
    private static T Element<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Shape sa, Shape sd, int e, T b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T quotient = z[e] / b, product = g[e] * quotient, result = -product;
        if (T.IsNormal(z[e]) && T.IsNormal(quotient) && T.IsNormal(product))
        {
            return result;
        }
        int ai = e;
        if (sa != sd)
        {
            int row = e / sd.Cols, col = e - row * sd.Cols;
            ai = (sa.Rows == 1 ? 0 : row) * sa.Cols + (sa.Cols == 1 ? 0 : col);
        }
        Span<double> factors = [double.CreateTruncating(g[e]), double.CreateTruncating(a[ai])];
        return T.CreateTruncating(PowKernel.Scaled(factors, double.CreateTruncating(b), -1, -2, double.CreateTruncating(result)));
    }
}
