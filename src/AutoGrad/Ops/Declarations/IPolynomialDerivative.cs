using System.Numerics;

namespace AutoGrad;

/// <summary>
/// An element-wise activation whose derivative is a polynomial B in its own result y = f(x) (σ′ = y − y², tanh′ =
/// 1 − y²), so that every higher derivative is one too: f⁽ᵏ⁾ = Qₖ(y) · B(y). Its recorded gradient, and that gradient's
/// own derivatives, are one operation (<see cref="Tensor{T}.ActivationGradient{TOp}"/>, named f′, f″, …): the product
/// rule over a composition y ⊙ (1 − y) would add two terms that are each ±∞ where the seeds' product overflows.
/// </summary>
internal interface IPolynomialDerivative<TSelf> : IUnaryOperator<TSelf> where TSelf : struct, IPolynomialDerivative<TSelf>
{
    /// <summary>B, f′ as a polynomial in y, lowest power first.</summary>
    static abstract ReadOnlySpan<double> FirstDerivativeCoefficients { get; }

    /// <summary>B(y) in the form that keeps its bits where it is small (y(1 − y), (1 − y)(1 + y)).</summary>
    static abstract double FirstDerivative(double y);

    /// <summary>
    /// True when far left the saved y lies below the normal range and keeps few bits while every f⁽ᵏ⁾(x) is eˣ to a
    /// relative 2ᵏeˣ (σ): there the kernel multiplies by eˣ in split form instead.
    /// </summary>
    static virtual bool ExpFarLeft => false;
}
