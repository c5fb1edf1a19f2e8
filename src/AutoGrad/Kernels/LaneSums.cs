using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// Σ x, Σ x² and Σ xᵢyᵢ over spans in one fixed order, whatever the machine's vector width: element i goes to partial
/// sum i mod <see cref="Partials"/> (16), each partial adds its elements in index order from +0, and the partials are
/// added in index order (p₀ + p₁, then + p₂, …, + p₁₅). A vector of any width holds consecutive
/// partials, so 512-, 256- and 128-bit vectors (and the scalar tail, element by element into its partial) do exactly
/// these additions: the same bits on every machine.
/// </summary>
/// <remarks>
/// Why not <c>TensorPrimitives.Sum</c> and <c>Dot</c>: their order follows the widest accelerated vector, so an AVX-512
/// machine summed another way than an AVX2 one — Sum(), Sum(axis: 1), Mean() and the losses in double, and the row
/// kernel's products with a transposed right operand (a batch-1 layer's x·Wᵀ with k &gt; 32) in float and double gave other
/// last bits (found running the default dispatch at 512 bits against 256: <c>Kernels/LaneSumsTests.cs</c>). 16 partials
/// (a whole number of vectors at every width: 16 floats fill a 512-bit one) keep two 512-bit (four 256-bit) chains of
/// additions in flight in double; the error bound is of TensorPrimitives' kind, about (n/16 + 15)·u·Σ|xᵢ|. Up to 16
/// elements the order is plain left to right from +0. Measured against TensorPrimitives.Sum (one process, AVX-512, a
/// loaded 2-core machine, warm rounds): 16 doubles 17–23 ns against 6–7, 128 23–26 against 8–11, 1024 96–99 against
/// 79–82, 16384 1.5–1.6 µs against 1.7; Dot alike. Short spans pay for the serial additions. The partials are added in order,
/// not pairwise: with [−P, −P, P, P, 1] (P = 2¹⁰²³) pairwise addition gave a finite 0 (1 absorbed into −P before the
/// P's cancelled), where in order −P + −P overflows and <see cref="Summation.Sum{T}"/> sums again scaled down, exactly
/// (<c>Kernels/SumOverflowTests.cs</c>).
/// </remarks>
internal static class LaneSums
{
    /// <summary>The number of partial sums: a multiple of every vector's lane count (2 to 16).</summary>
    internal const int Partials = 16;

    /// <summary>Σ x in the fixed order.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Dispatch<T, SumTerm>(x, x);

    /// <summary>Σ x², each square rounded to T before it is added, in the fixed order.</summary>
    public static T SumOfSquares<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Dispatch<T, SquareTerm>(x, x);

    /// <summary>Σ xᵢyᵢ in the fixed order, each term added by a fused multiply–add; the spans have equal lengths.</summary>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Dispatch<T, ProductTerm>(x, y);

    private static T Dispatch<T, TTerm>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : ILaneTerm
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Reduce<T, Math512<T>, TTerm>(x, y);
        }
        return Vector256.IsHardwareAccelerated ? Reduce<T, Math256<T>, TTerm>(x, y) : Reduce<T, Math128<T>, TTerm>(x, y);
    }

    /// <summary>
    /// The reduction at one vector width (every width gives the same bits; a test runs each). Each pass keeps up to four
    /// vectors of partials in registers; where 16 partials take more vectors (128 bits in double) the span is read once
    /// per group of four, each pass adding its own partials' elements.
    /// </summary>
    [SkipLocalsInit]
    internal static T Reduce<T, TVec, TTerm>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T>
        where TTerm : ILaneTerm
    {
        if (y.Length != x.Length)
        {
            throw new ArgumentException($"A lane sum of {x.Length} and {y.Length} elements (internal error).", nameof(y));
        }
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T ry = ref MemoryMarshal.GetReference(y);
        if (x.Length <= Partials)
        {
            // each element alone in its partial (+0 + term), the partials added in order: left to right, no scratch
            T sum = T.Zero;
            for (int l = 0; l < x.Length; l++)
            {
                sum += TTerm.Add(T.Zero, Unsafe.Add(ref rx, l), Unsafe.Add(ref ry, l));
            }
            return sum;
        }
        int lanes = TVec.Count, perPass = Math.Min(4, Partials / lanes), passes = Partials / (lanes * perPass);
        int whole = x.Length - x.Length % Partials;
        Span<T> partials = stackalloc T[Partials];
        ref T rp = ref MemoryMarshal.GetReference(partials);
        for (int pass = 0; pass < passes; pass++)
        {
            int first = pass * perPass * lanes; // this pass's first partial
            TVec a0 = TVec.Zero, a1 = TVec.Zero, a2 = TVec.Zero, a3 = TVec.Zero;
            for (int i = first; i < whole; i += Partials)
            {
                nuint o = (nuint)i, w = (nuint)lanes;
                a0 = TTerm.Add<T, TVec>(a0, TVec.Load(ref rx, o), TVec.Load(ref ry, o));
                if (perPass > 1)
                {
                    a1 = TTerm.Add<T, TVec>(a1, TVec.Load(ref rx, o + w), TVec.Load(ref ry, o + w));
                }
                if (perPass > 2)
                {
                    a2 = TTerm.Add<T, TVec>(a2, TVec.Load(ref rx, o + 2 * w), TVec.Load(ref ry, o + 2 * w));
                    a3 = TTerm.Add<T, TVec>(a3, TVec.Load(ref rx, o + 3 * w), TVec.Load(ref ry, o + 3 * w));
                }
            }
            TVec.Store(a0, ref rp, (nuint)first);
            if (perPass > 1)
            {
                TVec.Store(a1, ref rp, (nuint)(first + lanes));
            }
            if (perPass > 2)
            {
                TVec.Store(a2, ref rp, (nuint)(first + 2 * lanes));
                TVec.Store(a3, ref rp, (nuint)(first + 3 * lanes));
            }
        }
        // the last, partial round: element whole + l into partial l, as a vector lane would add it
        for (int l = 0; l < x.Length - whole; l++)
        {
            Unsafe.Add(ref rp, l) = TTerm.Add(Unsafe.Add(ref rp, l), Unsafe.Add(ref rx, whole + l), Unsafe.Add(ref ry, whole + l));
        }
        T total = rp;
        for (int l = 1; l < Partials; l++)
        {
            total += Unsafe.Add(ref rp, l);
        }
        return total;
    }

    /// <summary>What a partial adds for one element: x, x² or x·y.</summary>
    internal interface ILaneTerm
    {
        static abstract TVec Add<T, TVec>(TVec partial, TVec x, TVec y)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TVec : struct, ISimdMath<TVec, T>;

        static abstract T Add<T>(T partial, T x, T y) where T : unmanaged, IFloatingPointIeee754<T>;
    }

    internal readonly struct SumTerm : ILaneTerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Add<T, TVec>(TVec partial, TVec x, TVec y)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TVec : struct, ISimdMath<TVec, T> => partial + x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Add<T>(T partial, T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => partial + x;
    }

    internal readonly struct SquareTerm : ILaneTerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Add<T, TVec>(TVec partial, TVec x, TVec y)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TVec : struct, ISimdMath<TVec, T> => partial + x * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Add<T>(T partial, T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => partial + x * x;
    }

    internal readonly struct ProductTerm : ILaneTerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Add<T, TVec>(TVec partial, TVec x, TVec y)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TVec : struct, ISimdMath<TVec, T> => TVec.MultiplyAdd(x, y, partial);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Add<T>(T partial, T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.FusedMultiplyAdd(x, y, partial);
    }
}
