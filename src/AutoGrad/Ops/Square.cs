using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Element-wise square: <c>y = x²</c>. Backward: ∂L/∂x = ∂L/∂y ⊙ 2x.</summary>
    public Tensor<T> Square() => Unary<SquareOperator>(this);
}

/// <summary>y = x²; y′ = 2x (written x · 2).</summary>
internal readonly struct SquareOperator : IUnaryOperator<SquareOperator>
{
    public static string Name => "Square";
    public static string Symbol => "²";
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x * x;
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x * (T.One + T.One);
    public static bool HasVectorDerivative => true;
    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y) where T : unmanaged, IFloatingPointIeee754<T> => x * new Vector<T>(T.One + T.One);
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => x * (T.One + T.One);
}
