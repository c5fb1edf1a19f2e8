using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Element-wise exponential: <c>y = eˣ</c>, with AutoGrad's own kernel (<c>VectorExp</c>, within 1 ulp). Backward: ∂L/∂x = ∂L/∂y ⊙ y, reusing the result y.</summary>
    public Tensor<T> Exp() => Unary<ExpOperator>(this);
}

/// <summary>y = eˣ; y′ = y.</summary>
internal readonly struct ExpOperator : IUnaryOperator<ExpOperator>
{
    public static string Name => "Exp";
    public static string Symbol => "exp";
    public static string LatexSymbol => "\\exp";
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Exp(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => VectorExp.Exp(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => y;
    public static bool HasVectorDerivative => true;
    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y) where T : unmanaged, IFloatingPointIeee754<T> => y;
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => y;
}
