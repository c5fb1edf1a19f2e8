using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise maximum with broadcasting: <c>z = max(a, b)</c>; NaN if either is NaN, as <c>torch.maximum</c>.
    /// Backward, as PyTorch: the gradient goes to the larger input, and is split evenly on ties
    /// (∂L/∂a = ∂L/∂z ⊙ ([a &gt; b] + ½[a = b]), and symmetrically for b); where a &lt; b, ∂L/∂a is +0 whatever ∂L/∂z is
    /// (±∞ and NaN included), as PyTorch's <c>masked_fill_(a &lt; b, 0)</c> selects.
    /// </summary>
    public Tensor<T> Maximum(Tensor<T> other) => Binary<MaximumOperator>(this, other);
}

/// <summary>z = max(a, b); ∂z/∂a = 1 where a &gt; b, ½ where a = b, 0 where a &lt; b (and 1 where either is NaN, as PyTorch).</summary>
internal readonly struct MaximumOperator : IBinaryOperator<MaximumOperator>
{
    public static string Name => "Maximum";
    public static string Symbol => "max";
    public static string LatexSymbol => "\\max";
    public static bool IsInfix => false;
    public static bool TiesAreKinks => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(a, b);
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(b, a, d);
    public static T DerivativeA<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => a == b ? T.One / (T.One + T.One) : a < b ? T.Zero : T.One;
    public static T DerivativeB<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => a == b ? T.One / (T.One + T.One) : a > b ? T.Zero : T.One;
    public static Tensor<T> GradientA<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> =>
        g.MaskedProduct(Tensor<T>.PartialDerivativeValues<MaximumOperator>(a, b, z, 0));
    public static Tensor<T> GradientB<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> =>
        g.MaskedProduct(Tensor<T>.PartialDerivativeValues<MaximumOperator>(a, b, z, 1));
}
