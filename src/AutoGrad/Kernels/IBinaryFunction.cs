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

    /// <summary>∂z/∂a for one element, given also z = f(a, b).</summary>
    static abstract T DerivativeA<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>∂z/∂b for one element, given also z = f(a, b).</summary>
    static abstract T DerivativeB<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T>;
}
