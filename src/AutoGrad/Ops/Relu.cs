using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise rectifier: <c>y = max(x, 0)</c>.
    /// Backward: ∂L/∂x = ∂L/∂y ⊙ [x &gt; 0 or x is NaN]; at the kink x = 0 the derivative is taken as 0, and at x = NaN
    /// the gradient passes unchanged (y = NaN is not ≤ 0), both as in PyTorch 1.13 (<c>threshold_backward</c>).
    /// </summary>
    public Tensor<T> Relu() => Unary<ReluOperator>(this);
}

/// <summary>
/// y = max(x, 0); y′ = [not x ≤ 0]: 1 for x &gt; 0 and for NaN, 0 for x ≤ 0 — PyTorch's rule, which passes g where the
/// result is not ≤ 0. A multiplication by the 0/1 step, so a seed of ±∞ or NaN where x ≤ 0 gives NaN in both backward
/// forms (PyTorch selects, and gives 0 there).
/// </summary>
internal readonly struct ReluOperator : IUnaryOperator<ReluOperator>
{
    public static string Name => "Relu";
    public static string Symbol => "relu";
    public static string LatexSymbol => "\\mathrm{relu}";
    public static bool DerivativeHasNotation => true;
    public static TestDomain Domain => new(-3, 3, 0);
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(x, T.Zero);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x <= T.Zero ? T.Zero : T.One;
    public static bool HasVectorDerivative => true;
    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.LessThanOrEqual(x, Vector<T>.Zero), Vector<T>.Zero, Vector<T>.One);
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.DerivativeValues<ReluOperator>(x, y);
}
