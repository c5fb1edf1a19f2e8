using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise (Hadamard) product with broadcasting: <c>z = a ⊙ b</c>; the operator <c>*</c>.
    /// Backward: ∂L/∂a = ∂L/∂z ⊙ b, ∂L/∂b = ∂L/∂z ⊙ a.
    /// </summary>
    public Tensor<T> Hadamard(Tensor<T> other) => Binary<HadamardOperator>(this, other);
}

/// <summary>z = a ⊙ b; ∂z/∂a = b, ∂z/∂b = a.</summary>
internal readonly struct HadamardOperator : IBinaryOperator<HadamardOperator>
{
    public static string Name => "Hadamard";
    public static string Symbol => "⊙";
    public static string LatexSymbol => "\\odot";
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a * b;
    public static bool IsSingleOperation => true;
    public static TVec Invoke<T, TVec>(TVec a, TVec b) where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct, ISimdMath<TVec, T> => a * b;
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(b, a, d);
    public static T DerivativeA<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => b;
    public static T DerivativeB<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => a;
    public static Tensor<T> GradientA<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> => g.Hadamard(b);
    public static Tensor<T> GradientB<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> => g.Hadamard(a);
}
