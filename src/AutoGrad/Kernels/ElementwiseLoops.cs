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

    /// <summary>
    /// d = g ⊙ (y ⊙ (1 − y)), σ′'s one-pass gradient from the saved y = σ(x) (the bits of
    /// <see cref="Gradient{T, TOp}"/> with <c>SigmoidOperator</c>), in one pass that also tells whether some y lies
    /// below the normal range (NaN does not), where the caller corrects the far left.
    /// </summary>
    public static bool SigmoidGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length;
        if (g.Length != n || y.Length != n)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The gradient has {d.Length} elements, the upstream gradient {g.Length} and y {y.Length}."), nameof(d));
        }
        ref T gr = ref MemoryMarshal.GetReference(g), yr = ref MemoryMarshal.GetReference(y), dr = ref MemoryMarshal.GetReference(d);
        T smallestNormal = ExpGradientKernel.SmallestNormal<T>();
        nuint i = 0, length = (nuint)n, count = (nuint)Vector<T>.Count;
        bool below = false;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> one = Vector<T>.One, limit = new(smallestNormal), mask = Vector<T>.Zero;
            for (; i + 2 * count <= length; i += 2 * count)
            {
                Vector<T> y0 = Vector.LoadUnsafe(ref yr, i), y1 = Vector.LoadUnsafe(ref yr, i + count);
                (Vector.LoadUnsafe(ref gr, i) * (y0 * (one - y0))).StoreUnsafe(ref dr, i);
                (Vector.LoadUnsafe(ref gr, i + count) * (y1 * (one - y1))).StoreUnsafe(ref dr, i + count);
                mask |= Vector.LessThan(y0, limit) | Vector.LessThan(y1, limit); // not Min(y0, y1): a NaN lane would hide its neighbour
            }
            if (i + count <= length)
            {
                Vector<T> y0 = Vector.LoadUnsafe(ref yr, i);
                (Vector.LoadUnsafe(ref gr, i) * (y0 * (one - y0))).StoreUnsafe(ref dr, i);
                mask |= Vector.LessThan(y0, limit);
                i += count;
            }
            below = !Vector.EqualsAll(Vector.AsVectorByte(mask), Vector<byte>.Zero);
        }
        for (; i < length; i++)
        {
            T yi = Unsafe.Add(ref yr, i);
            Unsafe.Add(ref dr, i) = Unsafe.Add(ref gr, i) * (yi * (T.One - yi));
            below |= yi < smallestNormal;
        }
        return below;
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
