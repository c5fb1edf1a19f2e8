using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad.Kernels;

/// <summary>The shared loop skeletons of the element-wise operators: a <see cref="Vector{T}"/> body and a scalar tail.</summary>
internal static class ElementwiseLoops
{
    /// <summary>
    /// d = g ⊙ f′(x) with <typeparamref name="TOp"/>'s derivative: vectors where it has a vector form (two per step,
    /// through references: span slices per vector cost a range check each and made σ′ over 1024 doubles 2.3× slower),
    /// then one element at a time. The vector and scalar forms compute the same bits, so an element's value does not
    /// depend on where it falls. For a derivative that <see cref="IUnaryFunction{TSelf}.DerivativeSelects"/>, each
    /// product is <see cref="Masked{T}(T, T)"/>: +0 where f′(x) = 0, whatever g is.
    /// </summary>
    public static void Gradient<T, TOp>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryFunction<TOp>
    {
        int n = d.Length;
        if (g.Length != n || x.Length != n || y.Length != n)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The gradient has {d.Length} elements, the upstream gradient {g.Length}, x {x.Length} and y {y.Length}."), nameof(d));
        }
        ref T gr = ref MemoryMarshal.GetReference(g), xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(d);
        nuint i = 0, length = (nuint)n, count = (nuint)Vector<T>.Count;
        if (TOp.HasVectorDerivative && Vector.IsHardwareAccelerated)
        {
            for (; i + 2 * count <= length; i += 2 * count)
            {
                Vector<T> first = Product<T, TOp>(Vector.LoadUnsafe(ref gr, i), TOp.Derivative(Vector.LoadUnsafe(ref xr, i), Vector.LoadUnsafe(ref yr, i)));
                Vector<T> second = Product<T, TOp>(Vector.LoadUnsafe(ref gr, i + count), TOp.Derivative(Vector.LoadUnsafe(ref xr, i + count), Vector.LoadUnsafe(ref yr, i + count)));
                first.StoreUnsafe(ref dr, i);
                second.StoreUnsafe(ref dr, i + count);
            }
            if (i + count <= length)
            {
                Product<T, TOp>(Vector.LoadUnsafe(ref gr, i), TOp.Derivative(Vector.LoadUnsafe(ref xr, i), Vector.LoadUnsafe(ref yr, i))).StoreUnsafe(ref dr, i);
                i += count;
            }
        }
        for (; i < length; i++)
        {
            T derivative = TOp.Derivative(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
            Unsafe.Add(ref dr, i) = TOp.DerivativeSelects ? Masked(Unsafe.Add(ref gr, i), derivative) : Unsafe.Add(ref gr, i) * derivative;
        }
    }

    /// <summary>g · m, or +0 where m = 0 whatever g is (±∞, NaN, negative): a product with a mask that selects.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Masked<T>(T g, T m) where T : unmanaged, IFloatingPointIeee754<T> => m == T.Zero ? T.Zero : g * m;

    /// <summary><see cref="Masked{T}(T, T)"/> lane by lane: the same bits as the scalar form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Masked<T>(Vector<T> g, Vector<T> m) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.Equals(m, Vector<T>.Zero), Vector<T>.Zero, g * m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Product<T, TOp>(Vector<T> g, Vector<T> derivative)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryFunction<TOp> =>
        TOp.DerivativeSelects ? Masked(g, derivative) : g * derivative;

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
