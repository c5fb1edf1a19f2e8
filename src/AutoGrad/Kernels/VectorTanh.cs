using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>
/// tanh x = sign(x) · E / (E + 2) with E = e^{2|x|} − 1, over a span, with its own e^u − 1.
/// </summary>
/// <remarks>
/// Why not <c>TensorPrimitives.Tanh</c>: its vector path is wrong near zero (tanh of 0 as −5.96e-8 in float, of 1e-20
/// as −0, subnormals as ±0), where tanh x = x to the last bit; and its short spans take another path than its long
/// ones. Here E = e^u − 1 for u = 2|x| is computed without cancellation: u = k·ln 2 + r with k = ⌊u / ln 2⌋ (ln 2 in two
/// parts, so r is exact to the last bits, 0 ≤ r &lt; ln 2), e^r − 1 = r·(1 + r/2 + r²/6 + …) by its Taylor series (degree 17
/// in r for double: truncation below 2⁻⁵⁶ relative; degree 11 for float: below 2⁻³⁰), and E = 2ᵏ·(e^r − 1) + (2ᵏ − 1)
/// in one fused multiply–add, a sum of two non-negative terms. (With k rounded to the nearest instead, r &lt; 0 and the sum
/// cancels: 4 ulp at x = −0.197, found by the accuracy contract's property test.) For tiny x, k = 0 and E = u exactly, so tanh x = u / (u + 2) = x — subnormals included.
/// u is capped at 40 (24 for float), where tanh is 1 after rounding, so ±∞ gives ±1 and E never overflows.
/// E, E + 2 and the quotient are carried with their rounding errors (double-words), which brings the result within 1
/// ulp (99.9 % correctly rounded) where E rounded once, E + 2 rounded and one division gave 3 ulp; it costs about 1.6×
/// (double) and 2.1× (float) of that form's time.
/// The accuracy contract (README, "Accuracy") is asserted by the kernel's property tests.
/// </remarks>
internal readonly struct VectorTanh<T> : IVectorFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector C<TVector>(double value) where TVector : struct, ISimdMath<TVector, T> => TVector.Create(T.CreateTruncating(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Invoke<TVector>(TVector x) where TVector : struct, ISimdMath<TVector, T>
    {
        bool isDouble = typeof(T) == typeof(double);
        TVector a = TVector.Abs(x);
        TVector u = TVector.Clamp(a + a, C<TVector>(0), C<TVector>(isDouble ? 40 : 24));
        // k = ⌊u / ln 2⌋ (rounding u / ln 2 − ½ by adding 1.5·2⁵², or 1.5·2²³: the sum's last bits are k itself), so
        // r = u − k·ln 2 lies in [0, ln 2) (to the last bits) and eʳ − 1 ≥ 0: no cancellation in E below
        TVector shift = C<TVector>(isDouble ? 6755399441055744.0 : 12582912.0);
        TVector kShifted = TVector.MultiplyAdd(u, C<TVector>(1.4426950408889634), C<TVector>(-0.5)) + shift;
        TVector k = kShifted - shift;
        TVector r = TVector.SubtractKLn2(k, u);
        // (eʳ − 1) / r = 1 + r/2! + r²/3! + …, to r¹⁶/17! for double (truncation below 2⁻⁵⁶ for r < ln 2) and r¹⁰/11! for float
        TVector p;
        if (isDouble)
        {
            p = C<TVector>(1.0 / 355687428096000); // 1/17!
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 20922789888000));
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 1307674368000));
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 87178291200));
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 6227020800));
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 479001600));
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 39916800));
        }
        else
        {
            p = C<TVector>(1.0 / 39916800); // 1/11!
        }
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 3628800));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 362880));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 40320));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 5040));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 720));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 120));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 24));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 6));
        p = TVector.MultiplyAdd(p, r, C<TVector>(0.5));
        // eʳ − 1 = r + r·(r·p) as a double-word hi + lo: the leading r is exact and the correction t ≤ 0.43·r carries
        // the rounding, and r ≥ t makes hi + lo exact (Fast2Sum)
        TVector t = r * (r * p);
        TVector hi = r + t;
        TVector lo = (r - hi) + t;
        // E = 2ᵏ·(eʳ − 1) + (2ᵏ − 1): both terms exact (a power-of-two scaling; an integer below 2⁵³, 2²⁴ where it matters),
        // their sum as a double-word by TwoSum (either may be the larger)
        TVector twoToK = TVector.PowerOfTwo(kShifted);
        TVector scaled = twoToK * hi, b = twoToK - C<TVector>(1);
        TVector e = scaled + b;
        TVector bPart = e - scaled;
        TVector eLow = (scaled - (e - bPart)) + (b - bPart) + twoToK * lo;
        // tanh = E / (E + 2), with E + 2 as a double-word too and the quotient corrected by its exact remainder:
        // q + (E − q·(E + 2)) / (E + 2), the remainder from one fused multiply–add
        TVector d = e + C<TVector>(2);
        TVector twoPart = d - e;
        TVector dLow = (e - (d - twoPart)) + (C<TVector>(2) - twoPart) + eLow;
        TVector inverse = C<TVector>(1) / d;
        TVector q = e * inverse;
        TVector remainder = TVector.MultiplyAdd(-q, d, e) + eLow;
        TVector tanh = TVector.MultiplyAdd(TVector.MultiplyAdd(-q, dLow, remainder), inverse, q);
        return TVector.KeepNaN(TVector.CopySign(tanh, x), x);
    }
}

/// <summary>The entry point of <see cref="VectorTanh{T}"/> over spans.</summary>
internal static class VectorTanh
{
    /// <summary>d = tanh(x), element-wise; the spans have equal lengths.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
        VectorFunction.Apply<T, VectorTanh<T>>(x, d);
}
