using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

/// <summary>
/// The vector operations the transcendental kernels (<see cref="VectorTanh"/>, <see cref="VectorSigmoid"/>) and the GEMM
/// micro-kernels (<see cref="SmallGemm{T, TVec}"/>, <see cref="PackedGemm{T, TVec}"/>) are written with, over one
/// register width: tiny structs for Vector512, Vector256 and Vector128, so one generic kernel serves every width with no
/// virtual calls. Each operation is a single IEEE 754 operation per element (the fused multiply–add rounds once), so an
/// element gets the same bits at every width: 512, 256 or 128 bits, accelerated or not.
/// </summary>
internal interface ISimdMath<TSelf, T>
    where TSelf : struct, ISimdMath<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract int Count { get; }

    /// <summary>
    /// Whether the GEMM kernels may use this width: it runs in hardware, and at 256 bits FMA is there too (AVX-512 always
    /// has it; the GEMM never uses 128 bits). The element-wise kernels choose their width by IsHardwareAccelerated alone.
    /// </summary>
    static abstract bool IsSupported { get; }

    static abstract TSelf Zero { get; }
    static abstract TSelf Load(ref T source, nuint offset);
    static abstract void Store(TSelf value, ref T destination, nuint offset);
    static abstract TSelf Create(T value);

    /// <summary>A vector of <paramref name="value"/> in lane 0 and zeros (a one-element span's padded vector, built in registers).</summary>
    static abstract TSelf CreateScalar(T value);

    /// <summary>Lane 0.</summary>
    static abstract T ToScalar(TSelf vector);
    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a);

    /// <summary>a · b + c, rounded once.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>|a|, by clearing the sign bit.</summary>
    static abstract TSelf Abs(TSelf a);

    /// <summary>min(max(a, low), high) for a that is not NaN.</summary>
    static abstract TSelf Clamp(TSelf a, TSelf low, TSelf high);

    /// <summary>|magnitude| with the sign bit of <paramref name="sign"/>.</summary>
    static abstract TSelf CopySign(TSelf magnitude, TSelf sign);

    /// <summary>Where <paramref name="x"/> is NaN, x; elsewhere <paramref name="value"/>.</summary>
    static abstract TSelf KeepNaN(TSelf value, TSelf x);

    /// <summary>Where a &gt; b, <paramref name="ifGreater"/>; elsewhere <paramref name="otherwise"/>.</summary>
    static abstract TSelf SelectGreater(TSelf a, TSelf b, TSelf ifGreater, TSelf otherwise);

    /// <summary>Whether a ≤ b in every lane (false if a lane of either is NaN): one test per vector, for a branch.</summary>
    static abstract bool LessThanOrEqualAll(TSelf a, TSelf b);

    /// <summary>A mask: every bit set in the lanes where a ≥ b does not hold (a &lt; b, or a lane of either is NaN), clear elsewhere.</summary>
    static abstract TSelf NotGreaterThanOrEqual(TSelf a, TSelf b);

    /// <summary>The bitwise or of two vectors (of masks).</summary>
    static abstract TSelf operator |(TSelf a, TSelf b);

    /// <summary>Whether every bit of the vector is clear (a mask that no lane set).</summary>
    static abstract bool IsAllBitsZero(TSelf a);

    /// <summary>−|a|, by setting the sign bit (one instruction; the same bits as −Abs(a)).</summary>
    static abstract TSelf NegativeAbs(TSelf a);

    /// <summary>Where the sign bit of <paramref name="sign"/> is set (negative numbers, −0, NaNs with the bit), <paramref name="ifNegative"/>; elsewhere <paramref name="otherwise"/>.</summary>
    static abstract TSelf SelectSignBit(TSelf sign, TSelf ifNegative, TSelf otherwise);

    /// <summary>
    /// 2ᵏ for the integer k held in the lowest bits of <paramref name="shiftedK"/> = k + 1.5·2⁵² (double) or
    /// k + 1.5·2²³ (float); k must lie in the normal exponent range.
    /// </summary>
    static abstract TSelf PowerOfTwo(TSelf shiftedK);

    /// <summary>
    /// u − k·ln 2 for an integer k (Cody–Waite): ln 2 is split into a high part whose product with any k in range is
    /// exact and a low part, so the reduced argument keeps its last bits. Shared by the exponential-based kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static virtual TSelf SubtractKLn2(TSelf k, TSelf u) => typeof(T) == typeof(double)
        ? TSelf.MultiplyAdd(k, TSelf.Create(T.CreateTruncating(-1.90821492927058770002e-10)),
            TSelf.MultiplyAdd(k, TSelf.Create(T.CreateTruncating(-6.93147180369123816490e-01)), u))
        : TSelf.MultiplyAdd(k, TSelf.Create(T.CreateTruncating(2.12194440e-4)),
            TSelf.MultiplyAdd(k, TSelf.Create(T.CreateTruncating(-0.693359375)), u));
}

/// <summary>512-bit vectors: 8 doubles or 16 floats.</summary>
internal readonly struct Math512<T>(Vector512<T> value) : ISimdMath<Math512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> v = value;

    public static int Count => Vector512<T>.Count;
    public static bool IsSupported => Vector512.IsHardwareAccelerated;
    public static Math512<T> Zero => new(Vector512<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> Load(ref T source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Math512<T> value, ref T destination, nuint offset) => value.v.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> Create(T value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> CreateScalar(T value) => new(Vector512.CreateScalar(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T ToScalar(Math512<T> vector) => vector.v.ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> operator +(Math512<T> a, Math512<T> b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> operator -(Math512<T> a, Math512<T> b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> operator *(Math512<T> a, Math512<T> b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> operator /(Math512<T> a, Math512<T> b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> operator -(Math512<T> a) => new(-a.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Math512<T> MultiplyAdd(Math512<T> a, Math512<T> b, Math512<T> c) => typeof(T) == typeof(double)
        ? new(Vector512.FusedMultiplyAdd(a.v.AsDouble(), b.v.AsDouble(), c.v.AsDouble()).As<double, T>())
        : new(Vector512.FusedMultiplyAdd(a.v.AsSingle(), b.v.AsSingle(), c.v.AsSingle()).As<float, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> Abs(Math512<T> a) => new(Vector512.AndNot(a.v, Vector512.Create(-T.Zero)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> Clamp(Math512<T> a, Math512<T> low, Math512<T> high) => new(Vector512.MinNative(Vector512.MaxNative(a.v, low.v), high.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> CopySign(Math512<T> magnitude, Math512<T> sign) => new(Vector512.ConditionalSelect(Vector512.Create(-T.Zero), sign.v, magnitude.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> KeepNaN(Math512<T> value, Math512<T> x) => new(Vector512.ConditionalSelect(Vector512.Equals(x.v, x.v), value.v, x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> SelectGreater(Math512<T> a, Math512<T> b, Math512<T> ifGreater, Math512<T> otherwise) => new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.v, b.v), ifGreater.v, otherwise.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool LessThanOrEqualAll(Math512<T> a, Math512<T> b) => Vector512.LessThanOrEqualAll(a.v, b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> NotGreaterThanOrEqual(Math512<T> a, Math512<T> b) => new(~Vector512.GreaterThanOrEqual(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> operator |(Math512<T> a, Math512<T> b) => new(a.v | b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsAllBitsZero(Math512<T> a) => Vector512.EqualsAll(a.v.AsUInt64(), Vector512<ulong>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> NegativeAbs(Math512<T> a) => new(a.v | Vector512.Create(-T.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math512<T> SelectSignBit(Math512<T> sign, Math512<T> ifNegative, Math512<T> otherwise) => new(Vector512.ConditionalSelect(Vector512.IsNegative(sign.v), ifNegative.v, otherwise.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Math512<T> PowerOfTwo(Math512<T> shiftedK) => typeof(T) == typeof(double)
        ? new(((shiftedK.v.AsInt64() + Vector512.Create(1023L)) << 52).As<long, T>())
        : new(((shiftedK.v.AsInt32() + Vector512.Create(127)) << 23).As<int, T>());
}

/// <summary>256-bit vectors: 4 doubles or 8 floats; supported (for the GEMM) only with AVX2 and FMA.</summary>
internal readonly struct Math256<T>(Vector256<T> value) : ISimdMath<Math256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector256<T> v = value;

    public static int Count => Vector256<T>.Count;
    public static bool IsSupported => Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported;
    public static Math256<T> Zero => new(Vector256<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> Load(ref T source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Math256<T> value, ref T destination, nuint offset) => value.v.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> Create(T value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> CreateScalar(T value) => new(Vector256.CreateScalar(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T ToScalar(Math256<T> vector) => vector.v.ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> operator +(Math256<T> a, Math256<T> b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> operator -(Math256<T> a, Math256<T> b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> operator *(Math256<T> a, Math256<T> b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> operator /(Math256<T> a, Math256<T> b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> operator -(Math256<T> a) => new(-a.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Math256<T> MultiplyAdd(Math256<T> a, Math256<T> b, Math256<T> c) => typeof(T) == typeof(double)
        ? new(Vector256.FusedMultiplyAdd(a.v.AsDouble(), b.v.AsDouble(), c.v.AsDouble()).As<double, T>())
        : new(Vector256.FusedMultiplyAdd(a.v.AsSingle(), b.v.AsSingle(), c.v.AsSingle()).As<float, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> Abs(Math256<T> a) => new(Vector256.AndNot(a.v, Vector256.Create(-T.Zero)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> Clamp(Math256<T> a, Math256<T> low, Math256<T> high) => new(Vector256.MinNative(Vector256.MaxNative(a.v, low.v), high.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> CopySign(Math256<T> magnitude, Math256<T> sign) => new(Vector256.ConditionalSelect(Vector256.Create(-T.Zero), sign.v, magnitude.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> KeepNaN(Math256<T> value, Math256<T> x) => new(Vector256.ConditionalSelect(Vector256.Equals(x.v, x.v), value.v, x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> SelectGreater(Math256<T> a, Math256<T> b, Math256<T> ifGreater, Math256<T> otherwise) => new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.v, b.v), ifGreater.v, otherwise.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool LessThanOrEqualAll(Math256<T> a, Math256<T> b) => Vector256.LessThanOrEqualAll(a.v, b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> NotGreaterThanOrEqual(Math256<T> a, Math256<T> b) => new(~Vector256.GreaterThanOrEqual(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> operator |(Math256<T> a, Math256<T> b) => new(a.v | b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsAllBitsZero(Math256<T> a) => Vector256.EqualsAll(a.v.AsUInt64(), Vector256<ulong>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math256<T> NegativeAbs(Math256<T> a) => new(a.v | Vector256.Create(-T.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Math256<T> SelectSignBit(Math256<T> sign, Math256<T> ifNegative, Math256<T> otherwise)
    {
        // one blend reading the mask's sign bits where the instruction exists
        if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            return new(Avx.BlendVariable(otherwise.v.AsDouble(), ifNegative.v.AsDouble(), sign.v.AsDouble()).As<double, T>());
        }
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            return new(Avx.BlendVariable(otherwise.v.AsSingle(), ifNegative.v.AsSingle(), sign.v.AsSingle()).As<float, T>());
        }
        return new(Vector256.ConditionalSelect(Vector256.IsNegative(sign.v), ifNegative.v, otherwise.v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Math256<T> PowerOfTwo(Math256<T> shiftedK) => typeof(T) == typeof(double)
        ? new(((shiftedK.v.AsInt64() + Vector256.Create(1023L)) << 52).As<long, T>())
        : new(((shiftedK.v.AsInt32() + Vector256.Create(127)) << 23).As<int, T>());
}

/// <summary>128-bit vectors: 2 doubles or 4 floats; the fallback where neither wider width is accelerated.</summary>
internal readonly struct Math128<T>(Vector128<T> value) : ISimdMath<Math128<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector128<T> v = value;

    public static int Count => Vector128<T>.Count;
    public static bool IsSupported => Vector128.IsHardwareAccelerated;
    public static Math128<T> Zero => new(Vector128<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> Load(ref T source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Math128<T> value, ref T destination, nuint offset) => value.v.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> Create(T value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> CreateScalar(T value) => new(Vector128.CreateScalar(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T ToScalar(Math128<T> vector) => vector.v.ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> operator +(Math128<T> a, Math128<T> b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> operator -(Math128<T> a, Math128<T> b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> operator *(Math128<T> a, Math128<T> b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> operator /(Math128<T> a, Math128<T> b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> operator -(Math128<T> a) => new(-a.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Math128<T> MultiplyAdd(Math128<T> a, Math128<T> b, Math128<T> c) => typeof(T) == typeof(double)
        ? new(Vector128.FusedMultiplyAdd(a.v.AsDouble(), b.v.AsDouble(), c.v.AsDouble()).As<double, T>())
        : new(Vector128.FusedMultiplyAdd(a.v.AsSingle(), b.v.AsSingle(), c.v.AsSingle()).As<float, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> Abs(Math128<T> a) => new(Vector128.AndNot(a.v, Vector128.Create(-T.Zero)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> Clamp(Math128<T> a, Math128<T> low, Math128<T> high) => new(Vector128.MinNative(Vector128.MaxNative(a.v, low.v), high.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> CopySign(Math128<T> magnitude, Math128<T> sign) => new(Vector128.ConditionalSelect(Vector128.Create(-T.Zero), sign.v, magnitude.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> KeepNaN(Math128<T> value, Math128<T> x) => new(Vector128.ConditionalSelect(Vector128.Equals(x.v, x.v), value.v, x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> SelectGreater(Math128<T> a, Math128<T> b, Math128<T> ifGreater, Math128<T> otherwise) => new(Vector128.ConditionalSelect(Vector128.GreaterThan(a.v, b.v), ifGreater.v, otherwise.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool LessThanOrEqualAll(Math128<T> a, Math128<T> b) => Vector128.LessThanOrEqualAll(a.v, b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> NotGreaterThanOrEqual(Math128<T> a, Math128<T> b) => new(~Vector128.GreaterThanOrEqual(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> operator |(Math128<T> a, Math128<T> b) => new(a.v | b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsAllBitsZero(Math128<T> a) => Vector128.EqualsAll(a.v.AsUInt64(), Vector128<ulong>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Math128<T> NegativeAbs(Math128<T> a) => new(a.v | Vector128.Create(-T.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Math128<T> SelectSignBit(Math128<T> sign, Math128<T> ifNegative, Math128<T> otherwise)
    {
        // one blend reading the mask's sign bits where the instruction exists
        if (typeof(T) == typeof(double) && Sse41.IsSupported)
        {
            return new(Sse41.BlendVariable(otherwise.v.AsDouble(), ifNegative.v.AsDouble(), sign.v.AsDouble()).As<double, T>());
        }
        if (typeof(T) == typeof(float) && Sse41.IsSupported)
        {
            return new(Sse41.BlendVariable(otherwise.v.AsSingle(), ifNegative.v.AsSingle(), sign.v.AsSingle()).As<float, T>());
        }
        return new(Vector128.ConditionalSelect(Vector128.IsNegative(sign.v), ifNegative.v, otherwise.v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Math128<T> PowerOfTwo(Math128<T> shiftedK) => typeof(T) == typeof(double)
        ? new(((shiftedK.v.AsInt64() + Vector128.Create(1023L)) << 52).As<long, T>())
        : new(((shiftedK.v.AsInt32() + Vector128.Create(127)) << 23).As<int, T>());
}
