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
/// in r for double: truncation below 2⁻⁵⁶ relative; degree 11 for float: below 2⁻³⁰; evaluated by Estrin's scheme,
/// which made tanh 0.8× as long in double and 0.96× in float as Horner's form did, with the same bounds), and E = 2ᵏ·(e^r − 1) + (2ᵏ − 1)
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
        // ((eʳ − 1) / r − 1) / r = 1/2! + r/3! + r²/4! + …, to r¹⁵/17! for double (truncation below 2⁻⁵⁶ for r < ln 2) and
        // r⁹/11! for float, by Estrin's scheme (pairs, then pairs of pairs with r², r⁴, r⁸): a chain of five fused
        // multiply–adds instead of Horner's fifteen, so the out-of-order core overlaps more vectors
        TVector r2 = r * r, r4 = r2 * r2;
        TVector p01 = TVector.MultiplyAdd(C<TVector>(1.0 / 6), r, C<TVector>(0.5));
        TVector p23 = TVector.MultiplyAdd(C<TVector>(1.0 / 120), r, C<TVector>(1.0 / 24));
        TVector p45 = TVector.MultiplyAdd(C<TVector>(1.0 / 5040), r, C<TVector>(1.0 / 720));
        TVector p67 = TVector.MultiplyAdd(C<TVector>(1.0 / 362880), r, C<TVector>(1.0 / 40320));
        TVector p89 = TVector.MultiplyAdd(C<TVector>(1.0 / 39916800), r, C<TVector>(1.0 / 3628800));
        TVector p03 = TVector.MultiplyAdd(p23, r2, p01);
        TVector p47 = TVector.MultiplyAdd(p67, r2, p45);
        TVector p;
        if (isDouble)
        {
            TVector p1011 = TVector.MultiplyAdd(C<TVector>(1.0 / 6227020800), r, C<TVector>(1.0 / 479001600));
            TVector p1213 = TVector.MultiplyAdd(C<TVector>(1.0 / 1307674368000), r, C<TVector>(1.0 / 87178291200));
            TVector p1415 = TVector.MultiplyAdd(C<TVector>(1.0 / 355687428096000), r, C<TVector>(1.0 / 20922789888000));
            TVector p811 = TVector.MultiplyAdd(p1011, r2, p89);
            TVector p1215 = TVector.MultiplyAdd(p1415, r2, p1213);
            TVector p07 = TVector.MultiplyAdd(p47, r4, p03);
            TVector p815 = TVector.MultiplyAdd(p1215, r4, p811);
            p = TVector.MultiplyAdd(p815, r4 * r4, p07);
        }
        else
        {
            p = TVector.MultiplyAdd(TVector.MultiplyAdd(p89, r4, p47), r4, p03);
        }
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
