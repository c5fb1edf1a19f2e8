using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>
/// eˣ over a span, at every vector width, with subnormal results and overflow to +∞ handled.
/// </summary>
/// <remarks>
/// Why not <c>TensorPrimitives.Exp</c>: it is up to 2 ulp from the correctly rounded value in double and float (in
/// float only 39 % of results were correctly rounded, measured), and its short spans take another path than its
/// vector loop. Here eˣ = 2ᵏ · eʳ with k = round(x / ln 2) and r = x − k·ln 2 (ln 2 in two parts, so r is exact to the
/// last bits), |r| ≤ ln 2 / 2, and eʳ by a polynomial of degree 11 for double (a near-minimax fit, relative error
/// below 2⁻⁵⁵ before rounding) and its Taylor series to degree 7 for float (truncation below 2⁻²⁷), evaluated by
/// Estrin's scheme (<see cref="ExpOfReduced{TVector}"/>).
/// A vector whose lanes all lie within ±<see cref="NormalLimit"/> — nearly every vector in practice — applies 2ᵏ as one
/// normal power of two (<see cref="ExpWithinNormalRange{TVector}"/>). Any other vector (a lane beyond, or NaN) goes
/// through <see cref="Exp{TVector}"/>, which clamps x and applies 2ᵏ as two powers of two, 2^⌊k/2⌉ and 2^(k − ⌊k/2⌉),
/// each a normal number for every k in range: the first product is exact, the second rounds once — into the
/// subnormals below e⁻⁷⁰⁸ (e⁻⁸⁷), or to +∞ above e^709.78 (e^88.72). Within the range both products are exact and
/// give the one-power bits, so an element's value does not depend on its neighbours. The accuracy contract (README,
/// "Accuracy") is asserted by property tests.
/// </remarks>
internal readonly struct VectorExp<T> : IVectorFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector C<TVector>(double value) where TVector : struct, ISimdMath<TVector, T> => TVector.Create(T.CreateTruncating(value));

    /// <summary>
    /// The limit of <see cref="ExpWithinNormalRange{TVector}"/>'s argument: eᵗ is a normal number times a normal power of
    /// two for |t| ≤ 708 (double) and 87 (float).
    /// </summary>
    internal static T NormalLimit => T.CreateTruncating(typeof(T) == typeof(double) ? 708.0 : 87.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Invoke<TVector>(TVector x) where TVector : struct, ISimdMath<TVector, T> =>
        TVector.LessThanOrEqualAll(TVector.Abs(x), TVector.Create(NormalLimit)) ? ExpWithinNormalRange(x) : Wide(x);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVector Wide<TVector>(TVector x) where TVector : struct, ISimdMath<TVector, T> => TVector.KeepNaN(Exp(x), x);

    /// <summary>eˣ for x that is not NaN (NaN gives an unspecified value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVector Exp<TVector>(TVector x) where TVector : struct, ISimdMath<TVector, T>
    {
        bool isDouble = typeof(T) == typeof(double);
        // beyond these eˣ is 0 or +∞ after rounding; clamping keeps k within the two powers of two
        TVector clamped = TVector.Clamp(x, C<TVector>(isDouble ? -746.0 : -104.0), C<TVector>(isDouble ? 710.0 : 89.0));
        // k = round(x / ln 2), by adding 1.5·2⁵² (1.5·2²³): the sum's last bits are k itself
        TVector shift = C<TVector>(isDouble ? 6755399441055744.0 : 12582912.0);
        TVector kShifted = TVector.MultiplyAdd(clamped, C<TVector>(1.4426950408889634), shift);
        TVector k = kShifted - shift;
        TVector p = ExpOfReduced(TVector.SubtractKLn2(k, clamped));
        // k = k₁ + k₂ with k₁ = round(k / 2): both halves lie within the normal exponents
        TVector k1Shifted = TVector.MultiplyAdd(k, C<TVector>(0.5), shift);
        TVector k2Shifted = k - (k1Shifted - shift) + shift;
        return p * TVector.PowerOfTwo(k1Shifted) * TVector.PowerOfTwo(k2Shifted);
    }

    /// <summary>1.5·2⁵² (double) or 1.5·2²³ (float): added to x / ln 2, the sum's last bits are round(x / ln 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVector Shift<TVector>() where TVector : struct, ISimdMath<TVector, T> =>
        C<TVector>(typeof(T) == typeof(double) ? 6755399441055744.0 : 12582912.0);

    /// <summary>1 / ln 2, rounded: the multiplier of the reduction's k = round(x / ln 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVector InverseLn2<TVector>() where TVector : struct, ISimdMath<TVector, T> => C<TVector>(1.4426950408889634);

    /// <summary>
    /// eᵗ for |t| ≤ <see cref="NormalLimit"/> (outside it, an unspecified value): <see cref="Exp{TVector}"/>'s reduction,
    /// but k ≥ −1021 (−126) makes 2ᵏ one normal power of two — one product, no clamping.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVector ExpWithinNormalRange<TVector>(TVector t) where TVector : struct, ISimdMath<TVector, T>
    {
        TVector shift = Shift<TVector>();
        TVector kShifted = TVector.MultiplyAdd(t, InverseLn2<TVector>(), shift);
        return ExpOfReduced(TVector.SubtractKLn2(kShifted - shift, t)) * TVector.PowerOfTwo(kShifted);
    }

    /// <summary>
    /// eʳ for |r| ≤ ln 2 / 2 as 1 + r·(1 + r·Q(r)) by Estrin's scheme — pairs, then pairs of pairs with r², r⁴: a chain
    /// of four fused multiply–adds instead of Horner's nine or eleven, so the out-of-order core overlaps more vectors
    /// (measured A/B against Horner: eˣ 0.7–0.8× as long, σ 0.67× in double and 0.77× in float). The last two steps stay
    /// Horner's, each rounding once: 1 + (r + r²·Q) instead lost a little in the share of correctly rounded results
    /// (95.1 % against 96.9 %, sampled). Float: Q = 1/2! + r/3! + … + r⁵/7! (Taylor, truncation below 2⁻²⁷). Double: Q of
    /// degree 9, the Chebyshev fit of (eʳ − 1 − r)/r² on [−ln 2/2, ln 2/2] (mpmath <c>chebyfit</c> at 120 bits, coefficients
    /// rounded to double): with these coefficients eʳ is within 1.6·10⁻¹⁷ (0.14 units of 2⁻⁵³) relative before the
    /// last roundings, where the Taylor series needed degree 13 (two more multiply–adds per vector). Measured against it
    /// (2²⁰ values, one process): σ 0.90× the time, its worst case (3 ulp) unchanged and exact share 58.5 % against 58.6 %
    /// on [−40, 40]; eˣ still within 1 ulp of <c>Math.Exp</c>, equal to it for 93.7 % against 93.9 % on [−700, 700].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVector ExpOfReduced<TVector>(TVector r) where TVector : struct, ISimdMath<TVector, T>
    {
        TVector r2 = r * r;
        TVector q;
        if (typeof(T) == typeof(double))
        {
            TVector q01 = TVector.MultiplyAdd(C<TVector>(0.16666666666666669), r, C<TVector>(0.5000000000000001));
            TVector q23 = TVector.MultiplyAdd(C<TVector>(0.008333333333330065), r, C<TVector>(0.041666666666624164));
            TVector q45 = TVector.MultiplyAdd(C<TVector>(0.00019841269863040545), r, C<TVector>(0.0013888888917196719));
            TVector q67 = TVector.MultiplyAdd(C<TVector>(2.7557268480310024e-06), r, C<TVector>(2.4801521322368692e-05));
            TVector q89 = TVector.MultiplyAdd(C<TVector>(2.5100375832561234e-08), r, C<TVector>(2.7620075879983367e-07));
            TVector r4 = r2 * r2;
            TVector q03 = TVector.MultiplyAdd(q23, r2, q01);
            TVector q47 = TVector.MultiplyAdd(q67, r2, q45);
            q = TVector.MultiplyAdd(TVector.MultiplyAdd(q89, r4, q47), r4, q03);
        }
        else
        {
            TVector q01 = TVector.MultiplyAdd(C<TVector>(1.0 / 6), r, C<TVector>(0.5));
            TVector q23 = TVector.MultiplyAdd(C<TVector>(1.0 / 120), r, C<TVector>(1.0 / 24));
            TVector q45 = TVector.MultiplyAdd(C<TVector>(1.0 / 5040), r, C<TVector>(1.0 / 720));
            q = TVector.MultiplyAdd(TVector.MultiplyAdd(q45, r2, q23), r2, q01);
        }
        return TVector.MultiplyAdd(TVector.MultiplyAdd(q, r, C<TVector>(1)), r, C<TVector>(1));
    }
}

/// <summary>The entry point of <see cref="VectorExp{T}"/> over spans.</summary>
internal static class VectorExp
{
    /// <summary>d = eˣ, element-wise; the spans have equal lengths.</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
        VectorFunction.Apply<T, VectorExp<T>>(x, d);
}
