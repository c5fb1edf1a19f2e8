using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// Log-sum-exp, softmax and log-softmax along lanes, forward and backward, each shifted by the lane's maximum so that
/// no exponential overflows: logits of ±1000 give exact 0s, 1s and finite logarithms.
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

    /// <summary>
    /// r = m + ln Σₖ e^(xₖ − m) with m the lane's maximum, replaced by 0 when it is ±∞ (as PyTorch does), so a lane of
    /// −∞ gives −∞ and a lane holding +∞ gives +∞ rather than NaN.
    /// </summary>
    public static T LogSumExp<T>(ReadOnlySpan<T> x, Lanes lanes, int lane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = x[lanes.Index(lane, ArgExtreme(x, lanes, lane, smallest: false))];
        if (T.IsInfinity(m))
        {
            m = T.Zero;
        }
        T sum = T.Zero;
        for (int k = 0; k < lanes.Length; k++)
        {
            sum += T.Exp(x[lanes.Index(lane, k)] - m);
        }
        return T.Log(sum) + m;
    }

    /// <summary>yₖ = e^(xₖ − m) / Σⱼ e^(xⱼ − m), m the lane's maximum.</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            T m = x[lanes.Index(lane, ArgExtreme(x, lanes, lane, smallest: false))];
            T sum = T.Zero;
            for (int k = 0; k < lanes.Length; k++)
            {
                int i = lanes.Index(lane, k);
                T e = T.Exp(x[i] - m);
                y[i] = e;
                sum += e;
            }
            T scale = T.One / sum;
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
            T m = x[lanes.Index(lane, ArgExtreme(x, lanes, lane, smallest: false))];
            T sum = T.Zero;
            for (int k = 0; k < lanes.Length; k++)
            {
                sum += T.Exp(x[lanes.Index(lane, k)] - m);
            }
            T logSum = T.Log(sum);
            for (int k = 0; k < lanes.Length; k++)
            {
                int i = lanes.Index(lane, k);
                y[i] = (x[i] - m) - logSum;
            }
        }
    }

    /// <summary>Log-sum-exp backward: dₖ = g · e^(xₖ − r), r the lane's result (the softmax, times g).</summary>
    public static void LogSumExpBackward<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, ReadOnlySpan<T> r, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            for (int k = 0; k < lanes.Length; k++)
            {
                int i = lanes.Index(lane, k);
                d[i] = grad[lane] * T.Exp(x[i] - r[lane]);
            }
        }
    }

    /// <summary>Softmax backward: dₖ = yₖ · (gₖ − Σⱼ gⱼ yⱼ).</summary>
    public static void SoftmaxBackward<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> y, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Lanes.Of(shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            T dot = T.Zero;
            for (int k = 0; k < lanes.Length; k++)
            {
                int i = lanes.Index(lane, k);
                dot += grad[i] * y[i];
            }
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
            T sum = T.Zero;
            for (int k = 0; k < lanes.Length; k++)
            {
                sum += grad[lanes.Index(lane, k)];
            }
            for (int k = 0; k < lanes.Length; k++)
            {
                int i = lanes.Index(lane, k);
                d[i] = grad[i] - T.Exp(y[i]) * sum;
            }
        }
    }
}
