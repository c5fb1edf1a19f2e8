using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise quotient with broadcasting: <c>z = a / b</c>.
    /// Backward: ∂L/∂a = ∂L/∂z / b, ∂L/∂b = −∂L/∂z ⊙ ((a / b) / b), reusing z = a / b so no b² can overflow.
    /// </summary>
    public Tensor<T> Div(Tensor<T> other) => Binary<DivOperator>(this, other);
}

/// <summary>z = a / b; ∂z/∂a = 1 / b, ∂z/∂b = −z / b.</summary>
internal readonly struct DivOperator : IBinaryOperator<DivOperator>
{
    public static string Name => "Div";
    public static string Symbol => "/";
    public static string LatexSymbol => "\\oslash";
    public static TestDomain Domain(int input) => input == 1 ? TestDomain.Positive : TestDomain.Standard;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a / b;
    public static bool IsSingleOperation => true;
    public static TVec Invoke<T, TVec>(TVec a, TVec b) where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct, ISimdMath<TVec, T> => a / b;
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
    public static T DerivativeA<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => T.One / b;
    public static T DerivativeB<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => -(z / b);
    public static Tensor<T> GradientA<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> => g.Div(b);
    public static Tensor<T> GradientB<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> => g.Hadamard(z.Div(b)).Neg();
}
