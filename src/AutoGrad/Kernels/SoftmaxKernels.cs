using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// Log-sum-exp, softmax and log-softmax along lanes, forward and backward, each shifted by the lane's maximum so that
/// no exponential overflows (logits of ±1000 give exact 0s, 1s and finite logarithms); and a lane's maximum or minimum.
/// </summary>
internal static class SoftmaxKernels
{
    /// <summary>
    /// The index of the lane's largest element; the first one on ties, and the first NaN if there is one (NaN is
    /// greater than everything, as in PyTorch). With <paramref name="smallest"/>, the smallest element instead.
    /// </summary>
    public static int ArgExtreme<T>(ReadOnlySpan<T> x, Lanes lanes, int lane, bool smallest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        T bestValue = x[lanes.Index(lane, 0)];
        if (T.IsNaN(bestValue))
        {
            return 0;
        }
        for (int k = 1; k < lanes.Length; k++)
        {
            T v = x[lanes.Index(lane, k)];
            if (T.IsNaN(v))
            {
                return k;
            }
            if (smallest ? v < bestValue : v > bestValue)
            {
                best = k;
                bestValue = v;
            }
        }
        return best;
    }

    /// <summary>The lane's largest element (its first NaN if it has one).</summary>
    private static T LaneMaximum<T>(ReadOnlySpan<T> x, Lanes lanes, int lane)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        x[lanes.Index(lane, ArgExtreme(x, lanes, lane, smallest: false))];

    /// <summary>Σₖ e^(xₖ − m) over the lane, in lane order, accumulated in double; each term is also stored in <paramref name="terms"/> unless it is empty.</summary>
    private static T SumOfShiftedExps<T>(ReadOnlySpan<T> x, Lanes lanes, int lane, T m, Span<T> terms)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0; // in double: a float lane of 10⁶ terms summed in float lost 4·10⁻³ of its softmax
        for (int k = 0; k < lanes.Length; k++)
        {
            int i = lanes.Index(lane, k);
            T e = T.Exp(x[i] - m);
            if (!terms.IsEmpty)
            {
                terms[i] = e;
            }
            sum += double.CreateTruncating(e);
        }
        return T.CreateTruncating(sum);
    }

    /// <summary>
    /// r = m + ln Σₖ e^(xₖ − m) with m the lane's maximum, replaced by 0 when it is ±∞ (as PyTorch does), so a lane of
    /// −∞ gives −∞ and a lane holding +∞ gives +∞ rather than NaN.
    /// </summary>
    public static T LogSumExp<T>(ReadOnlySpan<T> x, Lanes lanes, int lane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = Shift(x, lanes, lane);
        return LogSumOfShiftedExps(x, lanes, lane, m) + m;
    }

    /// <summary>The shift m of a lane: its maximum, or 0 when that is ±∞ (as PyTorch's log-sum-exp).</summary>
    public static T Shift<T>(ReadOnlySpan<T> x, Lanes lanes, int lane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = LaneMaximum(x, lanes, lane);
        return T.IsInfinity(m) ? T.Zero : m;
    }

    /// <summary>ln Σₖ e^(xₖ − m) over the lane: the log-sum-exp less the shift, without rounding it to m's last bit.</summary>
    public static T LogSumOfShiftedExps<T>(ReadOnlySpan<T> x, Lanes lanes, int lane, T m)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Log(SumOfShiftedExps(x, lanes, lane, m, []));

    /// <summary>rₗ = the log-sum-exp of lane l, for every lane of <paramref name="axis"/>.</summary>
    public static void LogSumExp<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> r)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            r[lane] = LogSumExp(x, lanes, lane);
        }
    }

    /// <summary>yₖ = e^(xₖ − m) / Σⱼ e^(xⱼ − m), m the lane's maximum.</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            T scale = T.One / SumOfShiftedExps(x, lanes, lane, LaneMaximum(x, lanes, lane), y);
            for (int k = 0; k < lanes.Length; k++)
            {
                y[lanes.Index(lane, k)] *= scale;
            }
        }
    }

    /// <summary>yₖ = (xₖ − m) − ln Σⱼ e^(xⱼ − m), m the lane's maximum.</summary>
    public static void LogSoftmax<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            T m = LaneMaximum(x, lanes, lane);
            T logSum = T.Log(SumOfShiftedExps(x, lanes, lane, m, []));
            for (int k = 0; k < lanes.Length; k++)
            {
                int i = lanes.Index(lane, k);
                y[i] = (x[i] - m) - logSum;
            }
        }
    }

    /// <summary>mₗ = the largest (or, with <paramref name="smallest"/>, the smallest) element of lane l, as <see cref="ArgExtreme"/> picks it.</summary>
    public static void Extreme<T>(ReadOnlySpan<T> x, Shape shape, int axis, bool smallest, Span<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            m[lane] = x[lanes.Index(lane, ArgExtreme(x, lanes, lane, smallest))];
        }
    }

    /// <summary>Maximum/minimum backward: dₖ = gₗ at the element <see cref="ArgExtreme"/> picks in lane l, 0 elsewhere.</summary>
    public static void ExtremeBackward<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, Shape shape, int axis, bool smallest, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        d.Clear();
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            d[lanes.Index(lane, ArgExtreme(x, lanes, lane, smallest))] = grad[lane];
        }
    }

    /// <summary>
    /// Log-sum-exp backward: dₖ = g · softmax(x)ₖ = g · (e^(xₖ − m) · (1 / Σⱼ e^(xⱼ − m))), m the lane's shift — not
    /// g · e^(xₖ − r) from the result r, which far from 0 has rounded to m's last bit (e^(x − r) of [1e10, 1e10] in float is
    /// [1, 1]). The same operations as <see cref="Softmax{T}"/>, so a recorded pass (g ⊙ softmax) gives the same bits.
    /// </summary>
    public static void LogSumExpBackward<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            // shifted as the forward pass (0 for an infinite maximum): a lane holding +∞ gets 0 at its finite elements and
            // NaN at the ∞, as PyTorch's e^(x − r)
            T scale = T.One / SumOfShiftedExps(x, lanes, lane, Shift(x, lanes, lane), d);
            for (int k = 0; k < lanes.Length; k++)
            {
                int i = lanes.Index(lane, k);
                d[i] = grad[lane] * (d[i] * scale);
            }
        }
    }

    /// <summary>
    /// Σₖ aₖ·bₖ over the lane in lane order (accumulated in double), or Σₖ aₖ when <paramref name="b"/> is empty. A sum
    /// that came out ±∞ or NaN is summed again scaled down, as <see cref="Summation.ScaledSum{T}"/> does: in double, seeds
    /// of ±max in a lane ([max, 0.4, max/4, −max, −max/3]) overflowed a partial sum whose total is finite, and a
    /// second-order log-softmax gave NaN where PyTorch 1.13 is finite.
    /// </summary>
    private static T LaneSum<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Lanes lanes, int lane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0; // in double, as SumOfShiftedExps
        for (int k = 0; k < lanes.Length; k++)
        {
            int i = lanes.Index(lane, k);
            sum += double.CreateTruncating(b.IsEmpty ? a[i] : a[i] * b[i]);
        }
        if (!double.IsFinite(sum))
        {
            int e = Summation.ScaleExponent(lanes.Length);
            double down = Math.ScaleB(1, -e);
            sum = 0;
            for (int k = 0; k < lanes.Length; k++)
            {
                int i = lanes.Index(lane, k);
                sum += double.CreateTruncating(b.IsEmpty ? a[i] : a[i] * b[i]) * down;
            }
            sum = Math.ScaleB(sum, e);
        }
        return T.CreateTruncating(sum);
    }

    /// <summary>Softmax backward: dₖ = yₖ · (gₖ − Σⱼ gⱼ yⱼ).</summary>
    public static void SoftmaxBackward<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> y, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            T dot = LaneSum(grad, y, lanes, lane);
            for (int k = 0; k < lanes.Length; k++)
            {
                int i = lanes.Index(lane, k);
                d[i] = y[i] * (grad[i] - dot);
            }
        }
    }

    /// <summary>Log-softmax backward: dₖ = gₖ − e^(yₖ) · Σⱼ gⱼ.</summary>
    public static void LogSoftmaxBackward<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> y, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            T sum = LaneSum(grad, [], lanes, lane);
            for (int k = 0; k < lanes.Length; k++)
            {
                int i = lanes.Index(lane, k);
                d[i] = grad[i] - T.Exp(y[i]) * sum;
            }
        }
    }
}
