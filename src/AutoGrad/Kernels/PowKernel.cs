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
}
