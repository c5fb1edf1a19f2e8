using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad.Kernels;

/// <summary>
/// Relu and Clamp as PyTorch 1.13 computes them: x unless x lies strictly outside the bound(s), then the bound. So a
/// zero keeps its sign (relu(−0) = −0, clamp(−0, min 0) = −0, clamp(+0, max −0) = +0) and NaN stays NaN; an IEEE maximum
/// (<c>TensorPrimitives.Max</c>, +0 &gt; −0) gave +0 for relu(−0).
/// </summary>
internal static class ClampKernels
{
    /// <summary>y = x &lt; 0 ? 0 : x element-wise.</summary>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        nuint i = 0, length = (nuint)x.Length, count = (nuint)Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            // x with the lanes where x < 0 cleared to +0 (an and-not with the compare's mask: −0 and NaN compare false)
            for (; i + 2 * count <= length; i += 2 * count)
            {
                Vector<T> v = Vector.LoadUnsafe(ref xr, i), w = Vector.LoadUnsafe(ref xr, i + count);
                Vector.AndNot(v, Vector.LessThan(v, Vector<T>.Zero)).StoreUnsafe(ref yr, i);
                Vector.AndNot(w, Vector.LessThan(w, Vector<T>.Zero)).StoreUnsafe(ref yr, i + count);
            }
            if (i + count <= length)
            {
                Vector<T> v = Vector.LoadUnsafe(ref xr, i);
                Vector.AndNot(v, Vector.LessThan(v, Vector<T>.Zero)).StoreUnsafe(ref yr, i);
                i += count;
            }
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref yr, i) = Relu(Unsafe.Add(ref xr, i));
        }
    }

    /// <summary>relu(x) for one element, as the span form computes it.</summary>
    public static T Relu<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x < T.Zero ? T.Zero : x;

    /// <summary>y = x &lt; min ? min : x &gt; max ? max : x element-wise (min ≤ max, neither NaN).</summary>
    public static void Clamp<T>(ReadOnlySpan<T> x, T min, T max, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        nuint i = 0, length = (nuint)x.Length, count = (nuint)Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> low = new(min), high = new(max);
            for (; i + count <= length; i += count)
            {
                Vector<T> v = Vector.LoadUnsafe(ref xr, i);
                v = Vector.ConditionalSelect(Vector.LessThan(v, low), low, v);
                Vector.ConditionalSelect(Vector.GreaterThan(v, high), high, v).StoreUnsafe(ref yr, i);
            }
        }
        for (; i < length; i++)
        {
            T v = Unsafe.Add(ref xr, i);
            Unsafe.Add(ref yr, i) = v < min ? min : v > max ? max : v;
        }
    }
}
