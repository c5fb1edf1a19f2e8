using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// One-pass kernels for the activations' backward rules, used when the backward pass is not itself recorded:
/// <c>g ⊙ y ⊙ (1 − y)</c> as one loop and one result instead of three operations and three temporaries.
/// Each computes exactly what the recorded form computes, in the same order of operations, so the two agree
/// bit for bit (tests check it).
/// </summary>
internal interface IGradientKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>d = rule(grad, saved) element by element; <paramref name="saved"/> is the op's result or input.</summary>
    static abstract void Invoke(ReadOnlySpan<T> grad, ReadOnlySpan<T> saved, Span<T> d);
}

/// <summary>σ′: d = g ⊙ (y ⊙ (1 − y)) with y = σ(x).</summary>
internal readonly struct SigmoidGradient<T> : IGradientKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> grad, ReadOnlySpan<T> y, Span<T> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One;
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var yv = new Vector<T>(y[i..]);
                (new Vector<T>(grad[i..]) * (yv * (one - yv))).CopyTo(d[i..]);
            }
        }
        for (; i < d.Length; i++)
        {
            d[i] = grad[i] * (y[i] * (T.One - y[i]));
        }
    }
}

/// <summary>tanh′: d = g ⊙ (1 − y ⊙ y) with y = tanh(x).</summary>
internal readonly struct TanhGradient<T> : IGradientKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> grad, ReadOnlySpan<T> y, Span<T> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One;
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var yv = new Vector<T>(y[i..]);
                (new Vector<T>(grad[i..]) * (one - yv * yv)).CopyTo(d[i..]);
            }
        }
        for (; i < d.Length; i++)
        {
            d[i] = grad[i] * (T.One - y[i] * y[i]);
        }
    }
}

/// <summary>(x²)′: d = (g ⊙ x) · 2.</summary>
internal readonly struct SquareGradient<T> : IGradientKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, Span<T> d)
    {
        int i = 0;
        T two = T.One + T.One;
        if (Vector.IsHardwareAccelerated)
        {
            var twos = new Vector<T>(two);
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                (new Vector<T>(grad[i..]) * new Vector<T>(x[i..]) * twos).CopyTo(d[i..]);
            }
        }
        for (; i < d.Length; i++)
        {
            d[i] = grad[i] * x[i] * two;
        }
    }
}

/// <summary>relu′: d = g ⊙ [x &gt; 0] (a multiplication by the 0/1 mask, so ∞ · 0 is NaN as in the recorded form).</summary>
internal readonly struct ReluGradient<T> : IGradientKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, Span<T> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One;
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var mask = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(x[i..]), Vector<T>.Zero), one, Vector<T>.Zero);
                (new Vector<T>(grad[i..]) * mask).CopyTo(d[i..]);
            }
        }
        for (; i < d.Length; i++)
        {
            d[i] = grad[i] * (x[i] > T.Zero ? T.One : T.Zero);
        }
    }
}
