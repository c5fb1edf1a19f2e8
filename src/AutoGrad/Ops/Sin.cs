using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Element-wise sine (radians): <c>y = sin x</c>. Backward: ∂L/∂x = ∂L/∂y ⊙ cos x.</summary>
    public Tensor<T> Sin() => Unary<SinOperator>(this);
}

/// <summary>y = sin x; y′ = cos x.</summary>
internal readonly struct SinOperator : IUnaryOperator<SinOperator>
{
    public static string Name => "Sin";
    public static string Symbol => "sin";
    public static string LatexSymbol => "\\sin";
    // One element at a time with Math's sin and cos: TensorPrimitives' results depend on the destination's alignment
    // (an element may take its vector or its scalar path), which would make a gradient depend on which array the
    // buffer pool hands out; this way both backward forms, and every run, give the same bits.
    public static TestDomain Domain => TestDomain.OnePeriod;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sin(x);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.Cos(x);
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => x.Cos();
}
