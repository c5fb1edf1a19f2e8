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

    /// <summary>
    /// <see cref="Apply{T, TFunction}"/> at one given vector width. Every width must give the same bits (a test runs the
    /// 128-, 256- and 512-bit forms side by side, whatever this machine accelerates).
    /// </summary>
    internal static void Apply<T, TFunction, TVector>(ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : IVectorFunction<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        if (d.Length != x.Length)
        {
            throw new ArgumentException($"The destination has {d.Length} elements and the source {x.Length}.", nameof(d));
        }
        int count = TVector.Count, step = 2 * count, whole = x.Length - x.Length % step;
        ref T source = ref MemoryMarshal.GetReference(x), destination = ref MemoryMarshal.GetReference(d);
        if (whole > 0)
        {
            Loop<T, TFunction, TVector>(ref source, ref destination, (nuint)whole);
        }
        int rest = x.Length - whole;
        if (rest == 1)
        {
            // one element (a 1×1 result, a span's last one): its zero-padded vector built in registers, not through a
            // buffer in memory (a scalar store read back as a vector stalls store forwarding); the same lanes, same bits
            Unsafe.Add(ref destination, whole) = TVector.ToScalar(TFunction.Invoke(TVector.CreateScalar(Unsafe.Add(ref source, whole))));
        }
        else if (rest == count)
        {
            One<T, TFunction, TVector>(ref Unsafe.Add(ref source, whole), ref Unsafe.Add(ref destination, whole));
        }
        else if (rest > 0)
        {
            // the rest through one zero-padded vector, or two (interleaved, as in the loop); not an overlapping last
            // vector, which would read back results when the spans are the same
            // zeroed: stackalloc clears it (this file has no SkipLocalsInit); the padding lanes' results are never copied out
            Span<T> buffer = stackalloc T[rest < count ? count : step];
            x[whole..].CopyTo(buffer);
            ref T b = ref MemoryMarshal.GetReference(buffer);
            if (rest < count)
            {
                One<T, TFunction, TVector>(ref b, ref b);
            }
            else
            {
                Loop<T, TFunction, TVector>(ref b, ref b, (nuint)step);
            }
            buffer[..rest].CopyTo(d[whole..]);
        }
    }

    /// <summary>The function on one vector: a span's last vector, or its zero-padded rest (a one-element tensor's σ).</summary>
    private static void One<T, TFunction, TVector>(ref T source, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : IVectorFunction<T>
        where TVector : struct, ISimdMath<TVector, T> =>
        TVector.Store(TFunction.Invoke(TVector.Load(ref source, 0)), ref destination, 0);

    /// <summary>
    /// The function over a whole number of steps of two vectors. Two independent vectors per step: the functions are
    /// long chains of dependent fused multiply–adds, and interleaving two chains keeps the FMA units busy while each
    /// waits on its own latency. The function is inlined here (twice) and in One (once), each within the JIT's inlining budget.
    /// </summary>
    private static void Loop<T, TFunction, TVector>(ref T source, ref T destination, nuint length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : IVectorFunction<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        nuint count = (nuint)TVector.Count;
        for (nuint i = 0; i < length; i += 2 * count)
        {
            TVector first = TFunction.Invoke(TVector.Load(ref source, i));
            TVector second = TFunction.Invoke(TVector.Load(ref source, i + count));
            TVector.Store(first, ref destination, i);
            TVector.Store(second, ref destination, i + count);
        }
    }
}
