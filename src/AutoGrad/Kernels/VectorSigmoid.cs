using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>
/// σ(x) = 1 / (1 + e⁻ˣ) over a span, with its own exponential, at every vector width.
/// </summary>
/// <remarks>
/// Why not TensorPrimitives: on the benchmark machine its double σ over 1024 values took 1.5 µs in one process and
/// 4.7 µs in the next, with the same binary, data and alignment (measured, not explained); and its short spans and
/// tails take another path than its vector loop, so an element's σ could differ by an ulp with the span's length
/// (the flaky <c>An_element_gets_the_same_value_whatever_its_position_and_the_span_s_length</c>: this kernel used
/// TensorPrimitives wherever AVX-512 was missing). Every element now goes through the same vector arithmetic
/// (<see cref="VectorFunction"/>).
/// With E = e^−|x| (in (0, 1], so it never overflows): σ(x) = 1 / (1 + E) for x ≥ 0 and E / (1 + E) for x &lt; 0, which
/// keeps σ's subnormal values (x &lt; −708 in double, −87 in float), where an earlier kernel flushed them to 0.
/// Speed: a vector whose lanes all lie within ±708 (±87) — every vector of a training step, in practice — takes
/// <see cref="VectorExp{T}.ExpWithinNormalRange{TVector}"/>: one power of two, no clamping, and a polynomial by
/// Estrin's scheme, whose short dependency chains let the core overlap vectors (the former Horner-form exponential with
/// subnormal handling made σ about 1.5× slower in double, 1.3× in float: measured A/B, 1024 and 128 elements).
/// One test per vector sends the rare vector with a lane beyond that range, or NaN, to <c>Wide</c>, which gives its
/// other lanes the same bits. The accuracy contract (README, "Accuracy") is asserted by the kernel's property tests.
/// </remarks>
internal readonly struct VectorSigmoid<T> : IVectorFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Invoke<TVector>(TVector x) where TVector : struct, ISimdMath<TVector, T>
    {
        TVector a = TVector.Abs(x);
        return TVector.LessThanOrEqualAll(a, TVector.Create(VectorExp<T>.NormalLimit)) ? Normal(x, a) : Wide(x);
    }

    /// <summary>σ where |x| ≤ <see cref="VectorExp{T}.NormalLimit"/> (a = |x|): E = e^−a is a normal number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Normal<TVector>(TVector x, TVector a) where TVector : struct, ISimdMath<TVector, T>
    {
        TVector one = TVector.Create(T.One);
        TVector e = VectorExp<T>.ExpWithinNormalRange(-a);
        return TVector.SelectGreater(TVector.Create(T.Zero), x, e, one) / (one + e);
    }

    /// <summary>
    /// σ of a vector with a lane beyond the normal range or NaN (rare): the lanes within it get exactly
    /// <see cref="Normal{TVector}"/>'s bits, so an element's value does not depend on its neighbours; beyond it σ is 1
    /// (x &gt; 708: 1 + e⁻ˣ rounds to 1) or e^x itself, rounded once into the subnormals (x &lt; −708: 1 + eˣ rounds to 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVector Wide<TVector>(TVector x) where TVector : struct, ISimdMath<TVector, T>
    {
        TVector a = TVector.Abs(x), limit = TVector.Create(VectorExp<T>.NormalLimit);
        TVector within = Normal(TVector.Clamp(x, -limit, limit), TVector.Clamp(a, TVector.Zero, limit));
        TVector beyond = TVector.SelectGreater(x, TVector.Zero, TVector.Create(T.One), VectorExp<T>.Exp(-a));
        return TVector.KeepNaN(TVector.SelectGreater(a, limit, beyond, within), x);
    }
}

/// <summary>The entry point of <see cref="VectorSigmoid{T}"/> over spans.</summary>
internal static class VectorSigmoid
{
    /// <summary>d = σ(x), element-wise; the spans have equal lengths.</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
        VectorFunction.Apply<T, VectorSigmoid<T>>(x, d);
}
