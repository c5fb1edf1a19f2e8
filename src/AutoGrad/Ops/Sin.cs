using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

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
    // TensorPrimitives' sin and cos of one element can differ by an ulp with the destination's alignment (its vector
    // loop starts at an aligned element), and the two backward forms write into different arrays; times g, 2 ulps.
    public static int GradientUlps => 2;
    // One period: sin and cos never saturate, so in a fuzzed graph an argument of 1e4 that moves by 30 per finite-difference
    // step makes the numeric derivative noise; mapped into (−π, π) like a domain-restricted op, it cannot.
    public static TestDomain Domain => new(-Math.PI, Math.PI);
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sin(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.Cos(x);
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Cos(x, d);
        TensorPrimitives.Multiply(g, d, d);
    }
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => x.Cos();
}
