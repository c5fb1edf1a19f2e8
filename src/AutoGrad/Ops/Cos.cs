using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Element-wise cosine (radians): <c>y = cos x</c>. Backward: ∂L/∂x = −(∂L/∂y ⊙ sin x).</summary>
    public Tensor<T> Cos() => Unary<CosOperator>(this);
}

/// <summary>y = cos x; y′ = −sin x, applied as −(g ⊙ sin x).</summary>
internal readonly struct CosOperator : IUnaryOperator<CosOperator>
{
    public static string Name => "Cos";
    public static string Symbol => "cos";
    public static string LatexSymbol => "\\cos";
    // TensorPrimitives' sin and cos of one element can differ by an ulp with the destination's alignment (its vector
    // loop starts at an aligned element), and the two backward forms write into different arrays; times g, 2 ulps.
    public static int GradientUlps => 2;
    // One period: sin and cos never saturate, so in a fuzzed graph an argument of 1e4 that moves by 30 per finite-difference
    // step makes the numeric derivative noise; mapped into (−π, π) like a domain-restricted op, it cannot.
    public static TestDomain Domain => new(-Math.PI, Math.PI);
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cos(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => -T.Sin(x);
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Sin(x, d);
        TensorPrimitives.Multiply(g, d, d);
        TensorPrimitives.Negate(d, d);
    }
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => -x.Sin();
    public static Tensor<T> Gradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => g.Hadamard(x.Sin()).Neg();
}
