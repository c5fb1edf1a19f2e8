using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Element-wise negation: <c>y = −x</c>; the unary operator <c>-</c>. Backward: ∂L/∂x = −∂L/∂y.</summary>
    public Tensor<T> Neg() => Unary<NegOperator>(this);
}

/// <summary>y = −x; y′ = −1, applied as a negation (exact).</summary>
internal readonly struct NegOperator : IUnaryOperator<NegOperator>
{
    public static string Name => "Neg";
    public static string Symbol => "−";
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => -x;
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => -T.One;
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Negate(g, d);
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.Constant(-T.One);
    public static Tensor<T> Gradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => g.Neg();
}
