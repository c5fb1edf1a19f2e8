using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// d = xᵖ element-wise, by <see cref="Math.Pow(double, double)"/> in double for both element types.
/// </summary>
/// <remarks>
/// Why not <c>TensorPrimitives.Pow</c>: its float path loses up to 26 units in the last place (x^2.7 near 1.5e-14,
/// measured), where a float power evaluated in double and rounded once is within one. Its double path is
/// <c>Math.Pow</c> per element already, so nothing is lost there.
/// </remarks>
internal static class PowKernel
{
    public static void Pow<T>(ReadOnlySpan<T> x, T exponent, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double p = double.CreateTruncating(exponent);
        for (int i = 0; i < x.Length; i++)
        {
            d[i] = T.CreateTruncating(Math.Pow(double.CreateTruncating(x[i]), p));
        }
    }

    /// <summary>d = g ⊙ p · xᵖ⁻¹, element-wise: Pow's gradient, <see cref="Gradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, double, double, Span{T})"/> with c = p, q = p − 1.</summary>
    public static void Gradient<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, T exponent, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double p = double.CreateTruncating(exponent);
        Gradient(grad, x, p, p - 1, d);
    }

    /// <summary>
    /// d = g ⊙ c · x^q, element-wise, evaluated in double as (g · x^q) · c and rounded once to T. Where that overflows
    /// or underflows (x^q beyond the range while g brings the product back, e.g. g = 1e-300, x = 1e-300, q = −2:
    /// x⁻² = ∞ but the product is 1e300), it is evaluated again as ((g · a) · a) · c with a = |x|^(q/2) and the sign
    /// of x^q, which keeps every intermediate within the range where the result is. Pow's gradient (c = p, q = p − 1)
    /// and every higher derivative of it (c = p(p − 1)…, q = p − k) are this kernel, in a plain pass and a recorded one.
    /// </summary>
    public static void Gradient<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, double c, double q, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double half = q / 2;
        bool oddPower = double.IsOddInteger(q);
        for (int i = 0; i < x.Length; i++)
        {
            double g = double.CreateTruncating(grad[i]), xi = double.CreateTruncating(x[i]);
            double result = g * Math.Pow(xi, q) * c;
            if ((double.IsInfinity(result) || result == 0) && double.IsFinite(g) && g != 0 && double.IsFinite(xi) && xi != 0)
            {
                double a = Math.Pow(Math.Abs(xi), half);
                double split = g * a * a * c * (xi < 0 && oddPower ? -1 : 1);
                if (!double.IsNaN(split) && (xi > 0 || double.IsInteger(q)))
                {
                    result = split;
                }
            }
            d[i] = T.CreateTruncating(result);
        }
    }
}
