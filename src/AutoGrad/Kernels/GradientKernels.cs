using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// One-pass kernels for the activations' backward rules, used when the backward pass is not itself recorded:
/// <c>g ⊙ y ⊙ (1 − y)</c> as one loop and one result instead of three operations and three temporaries.
/// Each rule is written once for vectors and once for scalars (the tail), computing exactly what the recorded form
/// computes, in the same order of operations, so the two agree bit for bit (tests check it).
/// </summary>
internal interface IGradientKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The rule on one vector of elements; <paramref name="saved"/> is the op's result or input.</summary>
    static abstract Vector<T> Apply(Vector<T> grad, Vector<T> saved);

    /// <summary>The rule on one element.</summary>
    static abstract T Apply(T grad, T saved);
}

/// <summary>Runs a gradient rule over whole spans: a vector loop, then a scalar tail.</summary>
internal static class GradientKernel
{
    public static void Invoke<T, TKernel>(ReadOnlySpan<T> grad, ReadOnlySpan<T> saved, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGradientKernel<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                TKernel.Apply(new Vector<T>(grad[i..]), new Vector<T>(saved[i..])).CopyTo(d[i..]);
            }
        }
        for (; i < d.Length; i++)
        {
            d[i] = TKernel.Apply(grad[i], saved[i]);
        }
    }
}

/// <summary>σ′: d = g ⊙ (y ⊙ (1 − y)) with y = σ(x).</summary>
internal readonly struct SigmoidGradient<T> : IGradientKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> grad, Vector<T> y) => grad * (y * (Vector<T>.One - y));

    public static T Apply(T grad, T y) => grad * (y * (T.One - y));
}

/// <summary>
/// tanh′: d = g ⊙ ((1 − y) ⊙ (1 + y)) with y = tanh(x). Not 1 − y ⊙ y: near |y| = 1 the rounding of y ⊙ y is the whole
/// difference (y = 1 − 2⁻⁵², say, gives 1 − y² with half its bits wrong); 1 − y and 1 + y are exact there (Sterbenz).
/// </summary>
internal readonly struct TanhGradient<T> : IGradientKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> grad, Vector<T> y) => grad * ((Vector<T>.One - y) * (Vector<T>.One + y));

    public static T Apply(T grad, T y) => grad * ((T.One - y) * (T.One + y));
}

/// <summary>(x²)′: d = (g ⊙ x) · 2.</summary>
internal readonly struct SquareGradient<T> : IGradientKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> grad, Vector<T> x) => grad * x * new Vector<T>(T.One + T.One);

    public static T Apply(T grad, T x) => grad * x * (T.One + T.One);
}

/// <summary>relu′: d = g ⊙ [x &gt; 0] (a multiplication by the 0/1 mask, so ∞ · 0 is NaN as in the recorded form).</summary>
internal readonly struct ReluGradient<T> : IGradientKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> grad, Vector<T> x) =>
        grad * Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);

    public static T Apply(T grad, T x) => grad * (x > T.Zero ? T.One : T.Zero);
}
