using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>Div's gradient for the denominator: d = −g ⊙ (z / b), z = a / b the quotient, a and b broadcast to z's shape.</summary>
internal static class DivKernel
{
    /// <summary>
    /// d = −(g · (z / b)) for the elements [start, start + length) of z's shape (g, z and d whole arrays of that shape, a and b
    /// broadcast to it), in <typeparamref name="T"/> as PyTorch writes it (−g·((a/b)/b)), so where z, z / b and the
    /// product are normal numbers the bits are PyTorch's. Where one of them is not (z / b = ∞ while g brings the product
    /// back: g = 1e-200, a = 1e200, b = 1e-100 gives −1e200, not −∞; or a subnormal partial product with a few digits),
    /// it is Pow's gradient of the product of the seeds g and a at x = b with c = −1, q = −2
    /// (<see cref="PowKernel.Scaled"/>), whose intermediates never leave the range.
    /// </summary>
    public static void DenominatorGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Shape sa, ReadOnlySpan<T> b, Shape sb,
        Span<T> d, Shape sd, int start, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> factors = stackalloc double[2];
        int cols = sd.Cols, end = start + length;
        bool sameShapes = sa == sd && sb == sd;
        for (int e = start; e < end; e++)
        {
            int ai = e, bi = e;
            if (!sameShapes)
            {
                int row = e / cols, col = e - row * cols;
                ai = (sa.Rows == 1 ? 0 : row) * sa.Cols + (sa.Cols == 1 ? 0 : col);
                bi = (sb.Rows == 1 ? 0 : row) * sb.Cols + (sb.Cols == 1 ? 0 : col);
            }
            T quotient = z[e] / b[bi], product = g[e] * quotient, result = -product;
            if (!T.IsNormal(z[e]) || !T.IsNormal(quotient) || !T.IsNormal(product))
            {
                factors[0] = double.CreateTruncating(g[e]);
                factors[1] = double.CreateTruncating(a[ai]);
                result = T.CreateTruncating(PowKernel.Scaled(factors, double.CreateTruncating(b[bi]), -1, -2, double.CreateTruncating(result)));
            }
            d[e] = result;
        }
    }
}
