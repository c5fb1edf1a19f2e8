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
/// last bits), |r| ≤ ln 2 / 2, and eʳ by its Taylor series to degree 13 for double (truncation below 2⁻⁵⁷) and degree 7
/// for float (below 2⁻²⁷). 2ᵏ is applied as two powers of two, 2^⌊k/2⌉ and 2^(k − ⌊k/2⌉), each a normal number for
/// every k in range: the first product is exact, the second rounds once — into the subnormals below e⁻⁷⁰⁸ (e⁻⁸⁷),
/// or to +∞ above e^709.78 (e^88.72). The accuracy contract (README, "Accuracy") is asserted by property tests.
/// </remarks>
internal readonly struct VectorExp<T> : IVectorFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector C<TVector>(double value) where TVector : struct, ISimdMath<TVector, T> => TVector.Create(T.CreateTruncating(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Invoke<TVector>(TVector x) where TVector : struct, ISimdMath<TVector, T> =>
        TVector.KeepNaN(Exp(x), x);

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
        TVector r = TVector.SubtractKLn2(k, clamped);
        TVector p;
        if (isDouble)
        {
            p = C<TVector>(1.0 / 6227020800); // 1/13!
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 479001600));
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 39916800));
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 3628800));
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 362880));
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 40320));
            p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 5040));
        }
        else
        {
            p = C<TVector>(1.0 / 5040); // 1/7!
        }
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 720));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 120));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 24));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1.0 / 6));
        p = TVector.MultiplyAdd(p, r, C<TVector>(0.5));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1));
        p = TVector.MultiplyAdd(p, r, C<TVector>(1));
        // k = k₁ + k₂ with k₁ = round(k / 2): both halves lie within the normal exponents
        TVector k1Shifted = TVector.MultiplyAdd(k, C<TVector>(0.5), shift);
        TVector k2Shifted = k - (k1Shifted - shift) + shift;
        return p * TVector.PowerOfTwo(k1Shifted) * TVector.PowerOfTwo(k2Shifted);
    }

    /// <summary>
    /// The lower limit of <see cref="ExpOfNormalNonPositive{TVector}"/>'s argument: e^t stays a normal number times a
    /// normal power of two down to −708 (double) and −87 (float).
    /// </summary>
    internal static T NormalLimit => T.CreateTruncating(typeof(T) == typeof(double) ? 708.0 : 87.0);

    /// <summary>
    /// eᵗ for −<see cref="NormalLimit"/> ≤ t ≤ 0 (outside it, an unspecified value): the same reduction as
    /// <see cref="Exp{TVector}"/>, but k ≥ −1022 (−126) makes 2ᵏ one normal power of two — one product, no clamping — and
    /// eʳ = 1 + (r + r²·Q(r)) with Q's Taylor coefficients 1/2! … 1/13! (1/7! for float) evaluated by Estrin's scheme
    /// (pairs, then pairs of pairs with r², r⁴, r⁸): a chain of about 4 fused multiply–adds instead of Horner's 13, so
    /// the out-of-order core overlaps more vectors. The leading 1 + r is added last, each sum rounding once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVector ExpOfNormalNonPositive<TVector>(TVector t) where TVector : struct, ISimdMath<TVector, T>
    {
        bool isDouble = typeof(T) == typeof(double);
        TVector shift = C<TVector>(isDouble ? 6755399441055744.0 : 12582912.0);
        TVector kShifted = TVector.MultiplyAdd(t, C<TVector>(1.4426950408889634), shift);
        TVector r = TVector.SubtractKLn2(kShifted - shift, t);
        TVector r2 = r * r;
        TVector q;
        if (isDouble)
        {
            // Q = 1/2! + r/3! + … + r¹¹/13!
            TVector q01 = TVector.MultiplyAdd(C<TVector>(1.0 / 6), r, C<TVector>(0.5));
            TVector q23 = TVector.MultiplyAdd(C<TVector>(1.0 / 120), r, C<TVector>(1.0 / 24));
            TVector q45 = TVector.MultiplyAdd(C<TVector>(1.0 / 5040), r, C<TVector>(1.0 / 720));
            TVector q67 = TVector.MultiplyAdd(C<TVector>(1.0 / 362880), r, C<TVector>(1.0 / 40320));
            TVector q89 = TVector.MultiplyAdd(C<TVector>(1.0 / 39916800), r, C<TVector>(1.0 / 3628800));
            TVector q1011 = TVector.MultiplyAdd(C<TVector>(1.0 / 6227020800), r, C<TVector>(1.0 / 479001600));
            TVector r4 = r2 * r2;
            TVector q03 = TVector.MultiplyAdd(q23, r2, q01);
            TVector q47 = TVector.MultiplyAdd(q67, r2, q45);
            TVector q811 = TVector.MultiplyAdd(q1011, r2, q89);
            q = TVector.MultiplyAdd(TVector.MultiplyAdd(q811, r4, q47), r4, q03);
        }
        else
        {
            // Q = 1/2! + r/3! + … + r⁵/7!
            TVector q01 = TVector.MultiplyAdd(C<TVector>(1.0 / 6), r, C<TVector>(0.5));
            TVector q23 = TVector.MultiplyAdd(C<TVector>(1.0 / 120), r, C<TVector>(1.0 / 24));
            TVector q45 = TVector.MultiplyAdd(C<TVector>(1.0 / 5040), r, C<TVector>(1.0 / 720));
            q = TVector.MultiplyAdd(TVector.MultiplyAdd(q45, r2, q23), r2, q01);
        }
        TVector expR = TVector.MultiplyAdd(r2, q, r) + C<TVector>(1);
        return expR * TVector.PowerOfTwo(kShifted);
    }
}

/// <summary>The entry point of <see cref="VectorExp{T}"/> over spans.</summary>
internal static class VectorExp
{
    /// <summary>d = eˣ, element-wise; the spans have equal lengths.</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
        VectorFunction.Apply<T, VectorExp<T>>(x, d);
}
