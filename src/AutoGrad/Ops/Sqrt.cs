using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise square root: <c>y = √x</c>; √0 = 0, and √x of a negative x is NaN, as IEEE 754 says.
    /// Backward: ∂L/∂x = ∂L/∂y / (2y), reusing the result y (so +∞ at x = 0, as in PyTorch).
    /// </summary>
    public Tensor<T> Sqrt() => Unary<SqrtOperator>(this);
}

/// <summary>y = √x; y′ = 1 / (2y), applied as a division g / (y · 2).</summary>
internal readonly struct SqrtOperator : IUnaryOperator<SqrtOperator>
{
    public static string Name => "Sqrt";
    public static string Symbol => "√";
    public static string LatexSymbol => "\\operatorname{sqrt}";
    public static TestDomain Domain => TestDomain.Positive;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sqrt(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.One / (y * (T.One + T.One));
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(y, T.One + T.One, d);
        TensorPrimitives.Divide(g, d, d);
    }
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => T.One / (y * (T.One + T.One));
    public static Tensor<T> Gradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => g.Div(y * (T.One + T.One));
}
