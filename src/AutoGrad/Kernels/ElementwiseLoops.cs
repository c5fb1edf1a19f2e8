using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>The shared loop skeletons of the element-wise operators: a <see cref="Vector{T}"/> body and a scalar tail.</summary>
internal static class ElementwiseLoops
{
    /// <summary>d = g ⊙ f′(x) with <typeparamref name="TOp"/>'s derivative: vectors where it has a vector form, then one element at a time.</summary>
    public static void Gradient<T, TOp>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryFunction<TOp>
    {
        int i = 0;
        if (TOp.HasVectorDerivative && Vector.IsHardwareAccelerated)
        {
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                (new Vector<T>(g[i..]) * TOp.Derivative(new Vector<T>(x[i..]), new Vector<T>(y[i..]))).CopyTo(d[i..]);
            }
        }
        for (; i < d.Length; i++)
        {
            d[i] = g[i] * TOp.Derivative(x[i], y[i]);
        }
    }

    /// <summary>d = f′(x) with <typeparamref name="TOp"/>'s scalar derivative: the values of a derivative that is piecewise constant.</summary>
    public static void Derivative<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryFunction<TOp>
    {
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = TOp.Derivative(x[i], y[i]);
        }
    }
}
