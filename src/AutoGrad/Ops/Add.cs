using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Element-wise sum with broadcasting: <c>z = a + b</c>. Backward: ∂L/∂a = ∂L/∂z, ∂L/∂b = ∂L/∂z.</summary>
    public Tensor<T> Add(Tensor<T> other) => Binary<AddOperator>(this, other);
}

/// <summary>z = a + b; ∂z/∂a = 1, ∂z/∂b = 1.</summary>
internal readonly struct AddOperator : IBinaryOperator<AddOperator>
{
    public static string Name => "Add";
    public static string Symbol => "+";
    public static string LatexSymbol => "+";
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a + b;
    public static bool IsSingleOperation => true;
    public static TVec Invoke<T, TVec>(TVec a, TVec b) where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct, ISimdMath<TVec, T> => a + b;
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(b, a, d);
    public static T DerivativeA<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => T.One;
    public static T DerivativeB<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => T.One;
    public static Tensor<T> GradientA<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> => g;
    public static Tensor<T> GradientB<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> => g;
}
