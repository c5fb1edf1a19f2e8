using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise rectifier: <c>y = max(x, 0)</c>, computed as PyTorch does (x unless x &lt; 0): relu(−0) = −0, NaN stays NaN.
    /// Backward: ∂L/∂x = ∂L/∂y where x &gt; 0 or x is NaN, and +0 where x ≤ 0 whatever ∂L/∂y is (±∞ and NaN
    /// included): a selection, not a product with the 0/1 step. At the kink x = 0 the derivative is taken as 0, and at
    /// x = NaN the gradient passes unchanged (NaN is not ≤ 0), all as PyTorch 1.13's <c>threshold_backward</c>.
    /// </summary>
    public Tensor<T> Relu() => Unary<ReluOperator>(this);
}

/// <summary>
/// y = x &lt; 0 ? 0 : x (PyTorch's bits: −0 stays −0); y′ = [not x ≤ 0]: 1 for x &gt; 0 and for NaN, 0 for x ≤ 0 — PyTorch's rule, which passes g where
/// x is not ≤ 0 and gives +0 elsewhere: the step selects (<see cref="DerivativeSelects"/>), in both backward forms.
/// </summary>
internal readonly struct ReluOperator : IUnaryOperator<ReluOperator>
{
    public static string Name => "Relu";
    public static string Symbol => "relu";
    public static string LatexSymbol => "\\mathrm{relu}";
    public static bool DerivativeHasNotation => true;
    public static TestDomain Domain => new(-3, 3, 0);
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => ClampKernels.Relu(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => ClampKernels.Relu(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x <= T.Zero ? T.Zero : T.One;
    public static bool HasVectorDerivative => true;
    public static bool DerivativeSelects => true;
    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.LessThanOrEqual(x, Vector<T>.Zero), Vector<T>.Zero, Vector<T>.One);
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.DerivativeValues<ReluOperator>(x, y);
}
