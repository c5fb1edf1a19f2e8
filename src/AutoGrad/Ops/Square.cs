using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Element-wise square: <c>y = x²</c>. Backward: ∂L/∂x = ∂L/∂y ⊙ 2x.</summary>
    public Tensor<T> Square() => Unary<SquareOperator>(this);
}

/// <summary>
/// y = x²; y′ = 2x (written x · 2). The gradient is (g ⊙ x) · 2, not g ⊙ (2x): 2x overflows for |x| above half the
/// largest value while a small g brings the product back (x = 1.8e308, g = 5e-324 gives 1.8e-15, not ∞).
/// </summary>
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

    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(g, x, d);
        TensorPrimitives.Multiply(d, T.One + T.One, d);
    }

    public static Tensor<T> Gradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => g.Hadamard(x) * (T.One + T.One);
}
