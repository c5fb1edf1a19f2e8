using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>An element-wise function written once over any vector width (<see cref="ISimdMath{TSelf, T}"/>).</summary>
internal interface IVectorFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract TVector Invoke<TVector>(TVector x) where TVector : struct, ISimdMath<TVector, T>;
}

/// <summary>
/// Runs an <see cref="IVectorFunction{T}"/> over spans at the widest accelerated width. Every element, the tail and
/// spans shorter than a vector included, goes through the same vector arithmetic (the rest of a short vector is
/// padded with zeros), so an element's result depends neither on its position nor on the span's length.
/// </summary>
internal static class VectorFunction
{
    /// <summary>d = f(x), element-wise; the spans have equal lengths and may be the same span.</summary>
    public static void Apply<T, TFunction>(ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : IVectorFunction<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Apply<T, TFunction, Math512<T>>(x, d);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Apply<T, TFunction, Math256<T>>(x, d);
        }
        else
        {
            Apply<T, TFunction, Math128<T>>(x, d);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Apply<T, TFunction, TVector>(ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : IVectorFunction<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        if (d.Length != x.Length)
        {
            throw new ArgumentException($"The destination has {d.Length} elements and the source {x.Length}.", nameof(d));
        }
        ref T source = ref MemoryMarshal.GetReference(x);
        ref T destination = ref MemoryMarshal.GetReference(d);
        nuint length = (nuint)x.Length, count = (nuint)TVector.Count, i = 0;
        // two independent vectors per step: the functions are long chains of dependent fused multiply–adds, and
        // interleaving two chains keeps the FMA units busy while each waits on its own latency
        for (; i + 2 * count <= length; i += 2 * count)
        {
            TVector first = TFunction.Invoke(TVector.Load(ref source, i));
            TVector second = TFunction.Invoke(TVector.Load(ref source, i + count));
            TVector.Store(first, ref destination, i);
            TVector.Store(second, ref destination, i + count);
        }
        for (; i + count <= length; i += count)
        {
            TVector.Store(TFunction.Invoke(TVector.Load(ref source, i)), ref destination, i);
        }
        if (i < length)
        {
            // the tail through one zero-padded vector (not an overlapping last vector, which would read back
            // results when the spans are the same)
            Span<T> buffer = stackalloc T[TVector.Count];
            buffer.Clear();
            x[(int)i..].CopyTo(buffer);
            ref T b = ref MemoryMarshal.GetReference(buffer);
            TVector.Store(TFunction.Invoke(TVector.Load(ref b, 0)), ref b, 0);
            buffer[..(int)(length - i)].CopyTo(d[(int)i..]);
        }
    }
}
