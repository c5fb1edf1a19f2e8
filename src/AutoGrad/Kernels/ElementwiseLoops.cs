using System.Numerics;
using System.Runtime.InteropServices;

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
        if (TOp.HasVectorDerivative && Vector.IsHardwareAccelerated && d.Length >= Vector<T>.Count)
        {
            // loads by reference, after one length check: slicing four spans per vector cost more than the arithmetic
            if (g.Length < d.Length || x.Length < d.Length || y.Length < d.Length)
            {
                throw new ArgumentException($"Element-wise gradient: spans of {g.Length}, {x.Length}, {y.Length} elements for {d.Length} results (internal error).");
            }
            ref T gr = ref MemoryMarshal.GetReference(g);
            ref T xr = ref MemoryMarshal.GetReference(x);
            ref T yr = ref MemoryMarshal.GetReference(y);
            ref T dr = ref MemoryMarshal.GetReference(d);
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                (Vector.LoadUnsafe(ref gr, (nuint)i) * TOp.Derivative(Vector.LoadUnsafe(ref xr, (nuint)i), Vector.LoadUnsafe(ref yr, (nuint)i)))
                    .StoreUnsafe(ref dr, (nuint)i);
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

    /// <summary>
    /// d = ∂z/∂a (<paramref name="input"/> 0) or ∂z/∂b (1) of a binary operator, element by element of the broadcast
    /// result z, reading a and b with their broadcasting.
    /// </summary>
    public static void PartialDerivative<T, TOp>(ReadOnlySpan<T> a, Shape sa, ReadOnlySpan<T> b, Shape sb, ReadOnlySpan<T> z, Shape sz, int input, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<TOp>
    {
        for (int r = 0; r < sz.Rows; r++)
        {
            for (int c = 0; c < sz.Cols; c++)
            {
                T x = a[(sa.Rows == 1 ? 0 : r) * sa.Cols + (sa.Cols == 1 ? 0 : c)];
                T y = b[(sb.Rows == 1 ? 0 : r) * sb.Cols + (sb.Cols == 1 ? 0 : c)];
                int k = r * sz.Cols + c;
                d[k] = input == 0 ? TOp.DerivativeA(x, y, z[k]) : TOp.DerivativeB(x, y, z[k]);
            }
        }
    }
}
