using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// The handful of vector operations the GEMM micro-kernel needs, over one register width. Implemented by
/// tiny structs for Vector512 and Vector256 so one generic micro-kernel serves both, with no virtual calls.
/// </summary>
internal interface ISimdVector<TSelf, T>
    where TSelf : struct, ISimdVector<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract int Count { get; }
    static abstract bool IsSupported { get; }
    static abstract TSelf Zero { get; }
    static abstract TSelf Load(ref T source, nuint offset);
    static abstract TSelf Broadcast(T value);
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf addend);
    static abstract TSelf Add(TSelf a, TSelf b);
    static abstract void Store(TSelf value, ref T destination, nuint offset);
}

/// <summary>512-bit vectors (AVX-512): 8 doubles or 16 floats, fused multiply-add.</summary>
internal readonly struct Simd512<T>(Vector512<T> value) : ISimdVector<Simd512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> value = value;

    public static int Count => Vector512<T>.Count;
    public static bool IsSupported => Vector512.IsHardwareAccelerated;
    public static Simd512<T> Zero => new(Vector512<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Load(ref T source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Broadcast(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> MultiplyAdd(Simd512<T> a, Simd512<T> b, Simd512<T> addend) =>
        typeof(T) == typeof(double)
            ? new(Vector512.FusedMultiplyAdd(a.value.AsDouble(), b.value.AsDouble(), addend.value.AsDouble()).As<double, T>())
            : new(Vector512.FusedMultiplyAdd(a.value.AsSingle(), b.value.AsSingle(), addend.value.AsSingle()).As<float, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Add(Simd512<T> a, Simd512<T> b) => new(a.value + b.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd512<T> v, ref T destination, nuint offset) => v.value.StoreUnsafe(ref destination, offset);
}

/// <summary>256-bit vectors (AVX2 + FMA): 4 doubles or 8 floats.</summary>
internal readonly struct Simd256<T>(Vector256<T> value) : ISimdVector<Simd256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector256<T> value = value;

    public static int Count => Vector256<T>.Count;
    public static bool IsSupported => Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported;
    public static Simd256<T> Zero => new(Vector256<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Load(ref T source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Broadcast(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> MultiplyAdd(Simd256<T> a, Simd256<T> b, Simd256<T> addend) =>
        typeof(T) == typeof(double)
            ? new(Vector256.FusedMultiplyAdd(a.value.AsDouble(), b.value.AsDouble(), addend.value.AsDouble()).As<double, T>())
            : new(Vector256.FusedMultiplyAdd(a.value.AsSingle(), b.value.AsSingle(), addend.value.AsSingle()).As<float, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Add(Simd256<T> a, Simd256<T> b) => new(a.value + b.value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd256<T> v, ref T destination, nuint offset) => v.value.StoreUnsafe(ref destination, offset);
}
