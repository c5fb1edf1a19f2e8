using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// The numerical part of an element-wise function z = f(a, b): f per element and over spans in the three forms
/// broadcasting needs, and its partial derivatives per element. Knows spans and numbers only. The operation around it
/// (name, notation, recorded gradients) is <see cref="IBinaryOperator{TSelf}"/>.
/// </summary>
internal interface IBinaryFunction<TSelf> where TSelf : struct, IBinaryFunction<TSelf>
{
    /// <summary>f(a, b) for one pair of elements.</summary>
    static abstract T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>d = f(a, b) over spans of equal length (by default one element at a time).</summary>
    static virtual void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = TSelf.Invoke(a[i], b[i]);
        }
    }

    /// <summary>d = f(a, b) with b repeated.</summary>
    static virtual void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = TSelf.Invoke(a[i], b);
        }
    }

    /// <summary>d = f(a, b) with a repeated.</summary>
    static virtual void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = TSelf.Invoke(a, b[i]);
        }
    }

    /// <summary>
    /// True when f is one IEEE 754 operation (+, −, ×, ÷), correctly rounded wherever and however it runs: the span
    /// forms, the scalar form and the vector form give every element the same value, so a loop may mix them freely
    /// (the compiled plan's own loops do: one pass over a band instead of one span call per broadcast row).
    /// </summary>
    static virtual bool IsSingleOperation => false;

    /// <summary>f(a, b) lane by lane; only for a function that <see cref="IsSingleOperation"/>.</summary>
    static virtual TVec Invoke<T, TVec>(TVec a, TVec b)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T> =>
        throw new NotSupportedException("A vector form exists only for a single IEEE 754 operation (internal error).");

    /// <summary>∂z/∂a for one element, given also z = f(a, b).</summary>
    static abstract T DerivativeA<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>∂z/∂b for one element, given also z = f(a, b).</summary>
    static abstract T DerivativeB<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T>;
}
