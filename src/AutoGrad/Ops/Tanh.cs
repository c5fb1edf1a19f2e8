using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Element-wise hyperbolic tangent: <c>y = tanh(x)</c>. Backward: ∂L/∂x = ∂L/∂y ⊙ (1 − y²), reusing the result y.</summary>
    public Tensor<T> Tanh() => Unary<TanhOperator>(this);
}

/// <summary>y = tanh(x); y′ = 1 − y².</summary>
internal readonly struct TanhOperator : IUnaryOperator<TanhOperator>
{
    public static string Name => "Tanh";
    public static string Symbol => "tanh";
    public static string LatexSymbol => "\\tanh";
    public static bool DerivativeHasNotation => true;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.One - y * y;
    public static bool HasVectorDerivative => true;
    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Vector<T>.One - y * y;
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => T.One - y.Square();
}
