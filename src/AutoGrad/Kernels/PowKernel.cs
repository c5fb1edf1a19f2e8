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

    /// <summary>
    /// d = g ⊙ p · xᵖ⁻¹, element-wise, evaluated in double as (g · xᵖ⁻¹) · p — the recorded rule's order. Where that
    /// overflows or underflows (xᵖ⁻¹ beyond the range while g brings the product back, e.g. g = 1e-300, x = 1e-300,
    /// p = −1: x⁻² = ∞ but the gradient is −1e300), it is evaluated again as ((g · a) · a) · p with a = |x|^((p−1)/2)
    /// and the sign of xᵖ⁻¹, which keeps every intermediate within the range where the result is.
    /// </summary>
    public static void Gradient<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, T exponent, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double p = double.CreateTruncating(exponent), half = (p - 1) / 2;
        bool oddPower = double.IsOddInteger(p - 1);
        for (int i = 0; i < x.Length; i++)
        {
            double g = double.CreateTruncating(grad[i]), xi = double.CreateTruncating(x[i]);
            double result = g * Math.Pow(xi, p - 1) * p;
            if ((double.IsInfinity(result) || result == 0) && double.IsFinite(g) && g != 0 && double.IsFinite(xi) && xi != 0)
            {
                double a = Math.Pow(Math.Abs(xi), half);
                double split = g * a * a * p * (xi < 0 && oddPower ? -1 : 1);
                if (!double.IsNaN(split) && (xi > 0 || double.IsInteger(p - 1)))
                {
                    result = split;
                }
            }
            d[i] = T.CreateTruncating(result);
        }
    }
}
