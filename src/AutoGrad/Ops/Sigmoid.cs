using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise logistic sigmoid: <c>y = σ(x) = 1 / (1 + e^−x)</c>; σ(1000) = 1 and σ(−1000) = 0 without NaN.
    /// Backward: ∂L/∂x = ∂L/∂y ⊙ y ⊙ (1 − y), reusing the result y (σ′ = σ(1 − σ)); a recorded pass records it as one
    /// operation (<c>Sigmoid′</c>, <see cref="ActivationGradient{TOp}"/>) whose derivatives (σ″ = σ′ ⊙ (1 − 2y), …) multiply
    /// the seeds and the derivative in one product, so a second order with seeds near overflow is ±∞ or finite, never NaN.
    /// </summary>
    public Tensor<T> Sigmoid() => Unary<SigmoidOperator>(this);
}

/// <summary>y = σ(x) = 1 / (1 + e^−x); y′ = y ⊙ (1 − y).</summary>
internal readonly struct SigmoidOperator : IPolynomialDerivative<SigmoidOperator>
{
    public static string Name => "Sigmoid";
    public static string Symbol => "σ";
    public static string LatexSymbol => "\\sigma";
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => VectorSigmoid.Sigmoid(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => y * (T.One - y);

    /// <summary>
    /// g ⊙ y ⊙ (1 − y), and far left, where y = σ(x) is below the normal range (x &lt; −708, float −87) and kept few
    /// bits, g·eˣ in split form instead (<see cref="ExpGradientKernel.CorrectFarLeft"/>): σ′(x) = eˣ there to a relative 2eˣ.
    /// </summary>
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ElementwiseLoops.SigmoidGradient(g, y, d)) // the check for that far left rides along: one compare per two vectors
        {
            ExpGradientKernel.CorrectFarLeft(g, x, y, d);
        }
    }

    public static bool HasGradientVector => true;

    /// <summary>g ⊙ (y ⊙ (1 − y)), as <see cref="Gradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>'s loop computes it (<see cref="ElementwiseLoops.SigmoidGradient{T}"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static TVec GradientVector<T, TVec>(TVec g, TVec y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T> => g * (y * (TVec.Create(T.One) - y));

    /// <summary>The lanes where y lies below the normal range (or is NaN): <see cref="Gradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> corrects the first far left.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static TVec GradientFlags<T, TVec>(TVec y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T> => TVec.NotGreaterThanOrEqual(y, TVec.Create(ExpGradientKernel.SmallestNormal<T>()));

    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => y.Hadamard(T.One - y);

    /// <summary>g ⊙ σ′(x) as one recorded operation, <c>Sigmoid′</c>: the bits of <see cref="Gradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>.</summary>
    public static Tensor<T> Gradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor<T>.ActivationGradient<SigmoidOperator>([g], x, y);

    /// <summary>σ′ = y − y².</summary>
    public static ReadOnlySpan<double> FirstDerivativeCoefficients => [0, 1, -1];

    /// <summary>y(1 − y): 1 − y is exact near y = 1 (Sterbenz).</summary>
    public static double FirstDerivative(double y) => y * (1 - y);

    public static bool ExpFarLeft => true;
}

/// <summary>
/// (g₁ ⊙ … ⊙ gₖ) ⊙ σ⁽ᵏ⁾(x), σ's recorded gradient (one seed, σ′ = y(1 − y)) and its own derivatives (σ″ = σ′ ⊙ (1 − 2y),
/// σ‴ = σ′ ⊙ (1 − 6y + 6y²)); inputs g₁ … gₖ and x of one shape.
/// </summary>
internal sealed class SigmoidGradientDeclaration(int seeds) : ActivationGradientDeclaration<SigmoidOperator>(seeds)
{
    private SigmoidGradientDeclaration()
        : this(1)
    {
    }

    public override IEnumerable<OperationDeclaration> Variants =>
        [new SigmoidGradientDeclaration(1), new SigmoidGradientDeclaration(2), new SigmoidGradientDeclaration(3)];
}
