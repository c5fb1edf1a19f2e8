using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// The numerical part of an element-wise function y = f(x), as a static-abstract operator struct in the manner of
/// <c>TensorPrimitives</c>: f per element and over spans, f′ per element and per vector, and the one-pass gradient
/// g ⊙ f′(x) over spans. Knows spans and numbers only; a fused loop can call it directly. The operation around it
/// (name, notation, recorded derivative) is <see cref="IUnaryOperator{TSelf}"/>.
/// </summary>
internal interface IUnaryFunction<TSelf> where TSelf : struct, IUnaryFunction<TSelf>
{
    /// <summary>f(x) for one element.</summary>
    static abstract T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>y = f(x) over spans of equal length (by default one element at a time).</summary>
    static virtual void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = TSelf.Invoke(x[i]);
        }
    }

    /// <summary>f′(x) for one element, given also y = f(x).</summary>
    static abstract T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>True when <see cref="Derivative{T}(Vector{T}, Vector{T})"/> is implemented.</summary>
    static virtual bool HasVectorDerivative => false;

    /// <summary>f′(x) on one vector of elements, bit for bit what the scalar form computes.</summary>
    static virtual Vector<T> Derivative<T>(Vector<T> x, Vector<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        throw new NotSupportedException($"{typeof(TSelf).Name} has no vector derivative.");

    /// <summary>True when <see cref="GradientVector{T, TVec}"/> is implemented.</summary>
    static virtual bool HasGradientVector => false;

    /// <summary>
    /// g ⊙ f′ on one vector from g and the saved y = f(x) alone, bit for bit what <see cref="Gradient{T}"/> computes for
    /// each lane it does not correct (<see cref="GradientFlags{T, TVec}"/>). A product's epilogue computes the gradient
    /// with it (<c>GradientEpilogue</c>).
    /// </summary>
    static virtual TVec GradientVector<T, TVec>(TVec g, TVec y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T> =>
        throw new NotSupportedException($"{typeof(TSelf).Name} has no vector gradient.");

    /// <summary>
    /// A mask with every bit set in the lanes whose gradient <see cref="Gradient{T}"/> corrects beyond
    /// <see cref="GradientVector{T, TVec}"/> (it may flag more: NaN), so a caller that cannot correct them runs
    /// <see cref="Gradient{T}"/> instead.
    /// </summary>
    static virtual TVec GradientFlags<T, TVec>(TVec y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T> => TVec.Zero;

    /// <summary>
    /// True when f′ is a mask (piecewise constant, 0 on whole intervals: ReLU's step) that selects rather than
    /// multiplies: where f′(x) = 0, ∂L/∂x is +0 whatever g is (±∞, NaN, a negative number), as PyTorch's
    /// <c>threshold_backward</c> gives; elsewhere g · f′(x). False for a derivative multiplied in (abs′ = sgn, as PyTorch's
    /// <c>grad * self.sgn()</c>, so ∞ · 0 is NaN there).
    /// </summary>
    static virtual bool DerivativeSelects => false;

    /// <summary>
    /// ∂L/∂x = g ⊙ f′(x) over spans, for a plain backward pass (by default the vector form of
    /// <see cref="Derivative{T}(T, T)"/> times g, then a scalar tail; +0 where a selecting derivative is 0).
    /// </summary>
    static virtual void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => ElementwiseLoops.Gradient<T, TSelf>(g, x, y, d);
}
