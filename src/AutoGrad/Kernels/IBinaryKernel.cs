using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// An element-wise binary kernel in three forms: vector–vector, vector–scalar and scalar–vector.
/// Implemented by small structs over <c>TensorPrimitives</c>, so the drivers get SIMD code with no virtual calls.
/// </summary>
internal interface IBinaryKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);
    static abstract void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination);
    static abstract void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination);
}

/// <summary>An element-wise unary kernel over spans.</summary>
internal interface IUnaryKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract void Invoke(ReadOnlySpan<T> x, Span<T> destination);
}
