using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise absolute value: <c>y = |x|</c>.
    /// Backward: ∂L/∂x = ∂L/∂y ⊙ sign(x), with sign(0) = 0 as in PyTorch (the subgradient 0 at the kink).
    /// </summary>
    public Tensor<T> Abs() => Unary<AbsOperator>(this);
}

/// <summary>y = |x|; y′ = sign(x), sign(0) = 0 (a multiplication by the −1/0/1 step, so ∞ · 0 is NaN in both backward forms).</summary>
internal readonly struct AbsOperator : IUnaryOperator<AbsOperator>
{
    public static string Name => "Abs";
    public static string Symbol => "abs";
    public static string LatexSymbol => "\\operatorname{abs}";
    public static bool DerivativeHasNotation => true;
    public static TestDomain Domain => new(-3, 3, 0);
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Abs(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
    public static bool HasVectorDerivative => true;
    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One,
            Vector.ConditionalSelect(Vector.LessThan(x, Vector<T>.Zero), -Vector<T>.One, Vector<T>.Zero));
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.DerivativeValues<AbsOperator>(x, y);
}
