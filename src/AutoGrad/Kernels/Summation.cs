using System.Numerics;
using System.Runtime.InteropServices;

namespace AutoGrad.Kernels;

/// <summary>
/// Sums over whole spans. In double, <see cref="LaneSums"/>' fixed order (the same bits on every machine; it was
/// <c>TensorPrimitives</c>', whose order followed the machine's widest vector). In float, accumulated in double and rounded
/// once: summed in float lane by lane, a million values lost up to 40 ulp of the sum (3·10⁻⁶; PyTorch's float sum,
/// cascaded, stays within a few), in double the accumulated error of up to 2²⁹ values stays below a float ulp.
/// </summary>
internal static class Summation
{
    /// <summary>
    /// Σ x. In double, a sum that came out ±∞ or NaN is summed again scaled down (<see cref="ScaledSum{T}"/>):
    /// a lane-wise order can overflow in a partial sum whose total is finite ([−max, max, max] gave +∞ for max, and a
    /// log-softmax's second order NaN from it), and its lanes can add a +∞ and a −∞ partial sum into NaN.
    /// </summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            float sum = (float)SumInDouble(MemoryMarshal.Cast<T, float>(x), squares: false);
            return T.CreateTruncating(sum);
        }
        T total = LaneSums.Sum(x);
        return T.IsFinite(total) ? total : ScaledSum(x, 0, 1, x.Length);
    }

    /// <summary>
    /// 2ᵏ · Σ (x · 2⁻ᵏ) over the lane x[first], x[first + step], … (<paramref name="count"/> terms, in that order), with
    /// 2ᵏ ≥ 2 · count: no partial sum of finite terms can exceed max / 2, so terms of both signs near ±max sum to the
    /// finite total they have (it is ±∞ only where that total rounds beyond max, or a term is ±∞ or NaN). Scaling by a
    /// power of two is exact, so the additions round as the unscaled ones would (unless a term falls below 2⁻¹⁰²²⁺ᵏ). The
    /// second pass of every double sum whose first pass came out ±∞ or NaN: Sum(), a row of Sum(axis: 1), a column of
    /// Sum(axis: 0), a softmax lane's Σ in a backward pass.
    /// </summary>
    internal static T ScaledSum<T>(ReadOnlySpan<T> x, int first, int step, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = ScaleExponent(count);
        T down = T.ScaleB(T.One, -k), sum = T.Zero;
        for (int j = 0, i = first; j < count; j++, i += step)
        {
            sum += x[i] * down;
        }
        return T.ScaleB(sum, k);
    }

    /// <summary>The k of <see cref="ScaledSum{T}"/>: the least with 2ᵏ ≥ 2 · count (1 for a single term: half scale).</summary>
    internal static int ScaleExponent(int count) => 1 + (count <= 1 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)(count - 1)));

    /// <summary>Σ x², each square rounded to T first (so the value is Sum of Square's result, as a formula reads it).</summary>
    public static T SumOfSquares<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            float sum = (float)SumInDouble(MemoryMarshal.Cast<T, float>(x), squares: true);
            return T.CreateTruncating(sum);
        }
        return LaneSums.SumOfSquares(x);
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
