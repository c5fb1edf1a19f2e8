using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace AutoGrad.Kernels;

/// <summary>
/// Sums over whole spans. In double, <see cref="TensorPrimitives"/>' own. In float, accumulated in double and rounded
/// once: summed in float lane by lane, a million values lost up to 40 ulp of the sum (3·10⁻⁶; PyTorch's float sum,
/// cascaded, stays within a few), in double the accumulated error of up to 2²⁹ values stays below a float ulp.
/// </summary>
internal static class Summation
{
    /// <summary>
    /// Σ x. In double, a sum that came out ±∞ is summed again at half scale (Σ x/2, then doubled): TensorPrimitives'
    /// order can overflow in a partial sum whose total is finite ([−max, max, max] gave +∞ for max, and a log-softmax's
    /// second order NaN from it). The half sum's own partial sums can still overflow (Σ[max, max, max, −max, −max, −max]
    /// stays +∞ although the total is 0): it rescues the sums whose partial sums exceed the largest double by less than twice.
    /// </summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            float sum = (float)SumInDouble(MemoryMarshal.Cast<T, float>(x), squares: false);
            return T.CreateTruncating(sum);
        }
        T total = TensorPrimitives.Sum(x);
        return T.IsInfinity(total) ? HalfScaleSum(x) : total;
    }

    /// <summary>
    /// 2 · Σ (x / 2), left to right: a partial sum overflows only where the same partial sum of x would exceed twice the
    /// range, so a few huge terms of both signs (seeds of ±max in a lane) sum to the finite total they have.
    /// </summary>
    private static T HalfScaleSum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5), sum = T.Zero;
        foreach (T v in x)
        {
            sum += v * half;
        }
        return sum + sum;
    }

    /// <summary>Σ x², each square rounded to T first (so the value is Sum of Square's result, as a formula reads it).</summary>
    public static T SumOfSquares<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            float sum = (float)SumInDouble(MemoryMarshal.Cast<T, float>(x), squares: true);
            return T.CreateTruncating(sum);
        }
        return TensorPrimitives.SumOfSquares(x);
    }

    private static double SumInDouble(ReadOnlySpan<float> x, bool squares)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            Vector<double> low = Vector<double>.Zero, high = Vector<double>.Zero;
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                if (squares)
                {
                    v *= v;
                }
                Vector.Widen(v, out Vector<double> a, out Vector<double> b);
                low += a;
                high += b;
            }
            sum = Vector.Sum(low + high);
        }
        for (; i < x.Length; i++)
        {
            float v = squares ? x[i] * x[i] : x[i];
            sum += v;
        }
        return sum;
    }
}
