using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise hyperbolic tangent: <c>y = tanh(x)</c>, with AutoGrad's own kernel (<c>VectorTanh</c>: tanh x = x for tiny x).
    /// Backward: ∂L/∂x = ∂L/∂y ⊙ (1 − y)(1 + y) = ∂L/∂y ⊙ (1 − y²), reusing the result y; a recorded pass records it as
    /// one operation (<c>Tanh′</c>, <see cref="ActivationGradient{TOp}"/>) whose derivatives (tanh″ = −2y ⊙ tanh′, …)
    /// multiply the seeds and the derivative in one product (PyTorch's tanh_backward differentiates to −2y·g too).
    /// </summary>
    public Tensor<T> Tanh() => Unary<TanhOperator>(this);
}

/// <summary>
/// y = tanh(x); y′ = (1 − y)(1 + y) = 1 − y². Not 1 − y ⊙ y: near |y| = 1 the rounding of y ⊙ y is the whole difference
/// (y = 1 − 2⁻⁵² gives 1 − y² with half its bits wrong); 1 − y and 1 + y are exact there (Sterbenz).
/// </summary>
internal readonly struct TanhOperator : IPolynomialDerivative<TanhOperator>
{
    public static string Name => "Tanh";
    public static string Symbol => "tanh";
    public static string LatexSymbol => "\\tanh";
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => VectorTanh.Tanh(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => (T.One - y) * (T.One + y);
    public static bool HasVectorDerivative => true;
    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y) where T : unmanaged, IFloatingPointIeee754<T> => (Vector<T>.One - y) * (Vector<T>.One + y);

    /// <summary>
    /// (1 − y)(1 + y) as the recorded derivative, differentiated as 1 − y², i.e. to −2y: the value is the product's
    /// (the plain pass's bits) and y² − y² (0, with y²'s derivative) carries the slope. Recording the product itself
    /// differentiates to (1 − y) − (1 + y), which is 0 wherever both round to 1 (x = 1e-300 gave a second derivative
    /// of 0 for −2e-300, and x = 1e-4 in float kept 3 digits); PyTorch's tanh_backward differentiates to −2y·g too.
    /// </summary>
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> product;
        using (Tensor.NoGrad())
        {
            product = (T.One - y).Hadamard(T.One + y);
        }
        Tensor<T> square = y.Square();
        return product - (square - square.Detach());
    }

    /// <summary>g ⊙ tanh′(x) as one recorded operation, <c>Tanh′</c>: the bits of the one-pass g ⊙ (1 − y)(1 + y).</summary>
    public static Tensor<T> Gradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor<T>.ActivationGradient<TanhOperator>([g], x, y);

    /// <summary>tanh′ = 1 − y².</summary>
    public static ReadOnlySpan<double> FirstDerivativeCoefficients => [1, 0, -1];

    /// <summary>(1 − y)(1 + y), exact factors near |y| = 1.</summary>
    public static double FirstDerivative(double y) => (1 - y) * (1 + y);
}

/// <summary>
/// (g₁ ⊙ … ⊙ gₖ) ⊙ tanh⁽ᵏ⁾(x), tanh's recorded gradient (one seed, tanh′ = (1 − y)(1 + y)) and its own derivatives
/// (tanh″ = −2y ⊙ tanh′, tanh‴ = (6y² − 2) ⊙ tanh′); inputs g₁ … gₖ and x of one shape.
/// </summary>
internal sealed class TanhGradientDeclaration(int seeds) : ActivationGradientDeclaration<TanhOperator>(seeds)
{
    private TanhGradientDeclaration()
        : this(1)
    {
    }

    public override IEnumerable<OperationDeclaration> Variants =>
        [new TanhGradientDeclaration(1), new TanhGradientDeclaration(2), new TanhGradientDeclaration(3)];
}
