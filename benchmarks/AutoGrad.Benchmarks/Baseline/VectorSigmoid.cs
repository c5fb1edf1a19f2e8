// A frozen copy of the library's kernel file at 7d3b911 (session twelve's start): the "old" side of the
// stopwatch A/B in SigmoidComparison.cs. Not used by anything else; do not edit.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using AutoGrad.Kernels;

namespace AutoGrad.Benchmarks.Baseline;

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

/// <summary>
/// The entry point of <see cref="VectorSigmoid{T}"/> over spans. The whole vectors of a span go through a staged loop
/// (<see cref="Staged{T, TVector}"/>) that computes exactly <see cref="VectorSigmoid{T}"/>'s operations on every lane in
/// three passes over blocks of <see cref="Block"/> elements; the last partial vector (and spans shorter than
/// <see cref="StagedMinimumVectors"/> vectors) through <see cref="VectorFunction"/>, vector by vector. So an element gets
/// the same bits whichever loop computes it, whatever its position and the span's length.
/// </summary>
/// <remarks>
/// Why three passes: σ of one vector is a chain of about 60 cycles of dependent operations (reduction 16, polynomial
/// 22, scaling and division 20) for about 16 multiply–adds. Written as one loop, the core can only overlap as many
/// vectors as its floating-point scheduler holds — two or three — and σ ran at about 18 cycles per vector of four
/// doubles on the benchmark machine (Zen 3), twice what its multiply–adds need. Split into a reduction pass
/// (k and r = x − k·ln 2, stored), a polynomial pass (eʳ, stored in place of r) and a scaling-and-division pass, each
/// pass's chain is short and the core overlaps many vectors: 0.63–0.70 of the time over 1024 doubles (measured A/B
/// in one process; benchmarks/README.md). The scratch costs two stores and three loads per vector, which the L1 absorbs.
/// </remarks>
[SkipLocalsInit] // the scratch is always written before it is read
internal static class VectorSigmoid
{
    /// <summary>Elements per block of the staged loop: two scratch arrays of 2 KiB each in double; a multiple of every vector width.</summary>
    internal const int Block = 256;

    /// <summary>
    /// Spans with fewer whole vectors than this take the one-pass loop alone: below it the three passes cost more than
    /// they save (measured: 8 vectors about even, 4 vectors 1.2× the one-pass time).
    /// </summary>
    internal const int StagedMinimumVectors = 8;

    /// <summary>d = σ(x), element-wise; the spans have equal lengths and may be the same span.</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < StagedMinimumVectors * Vector128<T>.Count)
        {
            VectorFunction.Apply<T, VectorSigmoid<T>>(x, d); // short at every width: straight to the one-pass loop
        }
        else if (Vector512.IsHardwareAccelerated)
        {
            Sigmoid<T, Math512<T>>(x, d);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Sigmoid<T, Math256<T>>(x, d);
        }
        else
        {
            Sigmoid<T, Math128<T>>(x, d);
        }
    }

    /// <summary><see cref="Sigmoid{T}"/> at one vector width (every width gives the same bits; a test runs each).</summary>
    internal static void Sigmoid<T, TVector>(ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        if (d.Length != x.Length)
        {
            throw new ArgumentException($"The destination has {d.Length} elements and the source {x.Length}.", nameof(d));
        }
        int whole = x.Length - x.Length % TVector.Count;
        if (whole >= StagedMinimumVectors * TVector.Count)
        {
            Staged<T, TVector>(x[..whole], d[..whole]);
            x = x[whole..];
            d = d[whole..];
        }
        if (x.Length > 0)
        {
            VectorFunction.Apply<T, VectorSigmoid<T>, TVector>(x, d);
        }
    }

    /// <summary>
    /// σ over a whole number of vectors, block by block: <see cref="Reduce{T, TVector}"/>, <see cref="Polynomial{T, TVector}"/>,
    /// <see cref="Finish{T, TVector}"/>. A block with a lane beyond ±<see cref="VectorExp{T}.NormalLimit"/> or NaN (rare) is
    /// computed again vector by vector, through <see cref="VectorSigmoid{T}"/>'s own wide path.
    /// </summary>
    internal static void Staged<T, TVector>(ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        if (d.Length != x.Length || x.Length % TVector.Count != 0)
        {
            throw new ArgumentException($"Staged σ takes whole vectors of {TVector.Count}: {x.Length} and {d.Length} elements (internal error).", nameof(d));
        }
        Span<T> scratch = stackalloc T[2 * Block];
        ref T reduced = ref MemoryMarshal.GetReference(scratch);
        ref T shifted = ref Unsafe.Add(ref reduced, Block);
        ref T source = ref MemoryMarshal.GetReference(x);
        ref T destination = ref MemoryMarshal.GetReference(d);
        for (int start = 0; start < x.Length; start += Block)
        {
            int length = Math.Min(Block, x.Length - start);
            ref T xs = ref Unsafe.Add(ref source, start);
            if (Reduce<T, TVector>(ref xs, ref reduced, ref shifted, (nuint)length))
            {
                Polynomial<T, TVector>(ref reduced, (nuint)length);
                Finish<T, TVector>(ref xs, ref reduced, ref shifted, ref Unsafe.Add(ref destination, start), (nuint)length);
            }
            else
            {
                VectorFunction.Apply<T, VectorSigmoid<T>, TVector>(x.Slice(start, length), d.Slice(start, length));
            }
        }
    }

    /// <summary>
    /// First pass: t = −|x|, k + 1.5·2⁵² (1.5·2²³) into <paramref name="shifted"/> and r = t − k·ln 2 into
    /// <paramref name="reduced"/>, as <see cref="VectorExp{T}.ExpWithinNormalRange{TVector}"/> computes them. Returns false if
    /// a lane lies beyond the normal range (t &lt; −<see cref="VectorExp{T}.NormalLimit"/>) or is NaN.
    /// </summary>
    private static bool Reduce<T, TVector>(ref T x, ref T reduced, ref T shifted, nuint length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        nuint count = (nuint)TVector.Count;
        TVector low = TVector.Create(-VectorExp<T>.NormalLimit), shift = VectorExp<T>.Shift<TVector>(), outside = TVector.Zero;
        for (nuint i = 0; i < length; i += count)
        {
            TVector t = TVector.NegativeAbs(TVector.Load(ref x, i));
            outside |= TVector.NotGreaterThanOrEqual(t, low);
            TVector kShifted = TVector.MultiplyAdd(t, VectorExp<T>.InverseLn2<TVector>(), shift);
            TVector.Store(TVector.SubtractKLn2(kShifted - shift, t), ref reduced, i);
            TVector.Store(kShifted, ref shifted, i);
        }
        return TVector.IsAllBitsZero(outside);
    }

    /// <summary>Second pass: eʳ in place of r (<see cref="VectorExp{T}.ExpOfReduced{TVector}"/>).</summary>
    private static void Polynomial<T, TVector>(ref T reduced, nuint length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        nuint count = (nuint)TVector.Count;
        for (nuint i = 0; i < length; i += count)
        {
            TVector.Store(VectorExp<T>.ExpOfReduced(TVector.Load(ref reduced, i)), ref reduced, i);
        }
    }

    /// <summary>
    /// Third pass: E = eʳ · 2ᵏ, then σ = (x &lt; 0 ? E : 1) / (1 + E), as <see cref="VectorSigmoid{T}"/> computes it — but
    /// choosing E by x's sign bit, one blend instead of a comparison and a blend. The two choices differ only at x = −0,
    /// where E = e⁻⁰ = 1 exactly (k = 0, r = −0, the polynomial 1), the value of the other branch; NaN never gets here.
    /// </summary>
    private static void Finish<T, TVector>(ref T x, ref T exponential, ref T shifted, ref T d, nuint length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        nuint count = (nuint)TVector.Count;
        TVector one = TVector.Create(T.One);
        for (nuint i = 0; i < length; i += count)
        {
            TVector e = TVector.Load(ref exponential, i) * TVector.PowerOfTwo(TVector.Load(ref shifted, i));
            TVector.Store(TVector.SelectSignBit(TVector.Load(ref x, i), e, one) / (one + e), ref d, i);
        }
    }
}
