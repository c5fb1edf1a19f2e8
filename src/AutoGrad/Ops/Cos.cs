using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Element-wise cosine (radians): <c>y = cos x</c>. Backward: ∂L/∂x = −(∂L/∂y ⊙ sin x).</summary>
    public Tensor<T> Cos() => Unary<CosOperator>(this);
}

/// <summary>y = cos x; y′ = −sin x.</summary>
internal readonly struct CosOperator : IUnaryOperator<CosOperator>
{
    public static string Name => "Cos";
    public static string Symbol => "cos";
    public static string LatexSymbol => "\\cos";
    // One element at a time with Math's cos, for the reason SinOperator gives.
    public static TestDomain Domain => TestDomain.OnePeriod;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cos(x);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => -T.Sin(x);
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => -x.Sin();
}
