using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// d = (g₁ ⊙ … ⊙ gₖ) ⊙ f⁽ᵏ⁾(x) for an activation f whose every derivative is a polynomial in its result y = f(x)
/// (<see cref="IPolynomialDerivative{TSelf}"/>: σ, tanh): the recorded k-th derivative of f under k seeds, one pass per
/// element, so no product of seeds is formed apart from the polynomial (ḡ·g = ∞ times (1 − 2y) and times −y, added,
/// is NaN; the one product (ḡ·g)·σ″ is ±∞ or, where the true value is in range, that value).
/// </summary>
internal static class ActivationGradientKernel
{
    /// <summary>
    /// The coefficients (lowest power first) of Qₖ with f⁽ᵏ⁾(x) = Qₖ(y) · f′(x), f′ = B(y) the polynomial
    /// <see cref="IPolynomialDerivative{TSelf}.FirstDerivativeCoefficients"/>: Q₁ = 1 and, as d/dx = B(y) · d/dy,
    /// Qₖ₊₁ = Qₖ′ · B + Qₖ · B′ (σ: Q₂ = 1 − 2y, Q₃ = 1 − 6y + 6y²; tanh: Q₂ = −2y, Q₃ = 6y² − 2).
    /// </summary>
    public static double[] FactorCoefficients<TOp>(int order) where TOp : struct, IPolynomialDerivative<TOp>
    {
        ReadOnlySpan<double> b = TOp.FirstDerivativeCoefficients;
        double[] bPrime = Differentiate(b);
        double[] q = [1];
        for (int n = 1; n < order; n++)
        {
            double[] qPrime = Differentiate(q), next = new double[q.Length + b.Length - 1];
            for (int i = 0; i < qPrime.Length; i++)
            {
                for (int j = 0; j < b.Length; j++)
                {
                    next[i + j] += qPrime[i] * b[j];
                }
            }
            for (int i = 0; i < q.Length; i++)
            {
                for (int j = 0; j < bPrime.Length; j++)
                {
                    next[i + j] += q[i] * bPrime[j];
                }
            }
            q = next;
        }
        return q;
    }

    private static double[] Differentiate(ReadOnlySpan<double> p)
    {
        var derivative = new double[Math.Max(1, p.Length - 1)];
        for (int i = 1; i < p.Length; i++)
        {
            derivative[i - 1] = i * p[i];
        }
        return derivative;
    }

    /// <summary>
    /// d = (g₁ ⊙ … ⊙ gₖ) ⊙ f⁽ᵏ⁾(x) element-wise, y = f(x) the forward result (element i of seed j is
    /// <c>seeds[j][offset + i]</c>). One seed: the operator's own one-pass gradient, bit for bit. Several: in double,
    /// (g₁ · g₂ ⋯) · (Qₖ(y) · f′(y)), with f′(y) in the operator's accurate form; where a partial product, f⁽ᵏ⁾ or the
    /// result is not a normal number, by <see cref="Scaled"/> (significands and exponents apart, rounded once), so the
    /// result overflows or underflows only where the true product does, and a seed of ±∞ gives ±∞ (NaN only times a
    /// derivative of exactly 0, as ∞ · 0 is). Far left for σ (y below the normal range) f⁽ᵏ⁾(x) is eˣ to a relative
    /// 2ᵏeˣ and the product is taken with eˣ in split form, as σ′'s one-pass gradient does.
    /// </summary>
    public static void GradientOfProduct<T, TOp>(ReadOnlySpan<T[]> seeds, int offset, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IPolynomialDerivative<TOp>
    {
        if (seeds.Length == 1)
        {
            TOp.Gradient<T>(new ReadOnlySpan<T>(seeds[0], offset, d.Length), x, y, d);
            return;
        }
        double[] q = FactorCoefficients<TOp>(seeds.Length);
        T smallestNormal = ExpGradientKernel.SmallestNormal<T>();
        Span<double> factors = seeds.Length <= 16 ? stackalloc double[seeds.Length] : new double[seeds.Length];
        for (int i = 0; i < d.Length; i++)
        {
            double product = PowKernel.SeedProduct(seeds, offset + i, factors, out bool inRange);
            double yi = double.CreateTruncating(y[i]);
            double derivative = Polynomial(q, yi) * TOp.FirstDerivative(yi), result = product * derivative;
            if (TOp.ExpFarLeft && y[i] < smallestNormal)
            {
                result = ExpGradientKernel.Scaled(factors, double.CreateTruncating(x[i]), result);
            }
            else if (!inRange || !double.IsNormal(derivative) || !double.IsNormal(result))
            {
                result = Scaled(factors, derivative, result);
            }
            d[i] = T.CreateTruncating(result);
        }
    }

    /// <summary>Σ cᵢ yⁱ by Horner's rule.</summary>
    private static double Polynomial(double[] coefficients, double y)
    {
        double sum = coefficients[^1];
        for (int i = coefficients.Length - 2; i >= 0; i--)
        {
            sum = sum * y + coefficients[i];
        }
        return sum;
    }

    /// <summary>
    /// (Π factors) · derivative with every number split into significand and power of two
    /// (<see cref="PowKernel.MultiplyInto"/>): only the final scaling rounds into the range. A factor or derivative of
    /// 0 makes a signed 0 and a factor of ±∞ a signed ∞ (NaN when both occur); <paramref name="direct"/> (the plain
    /// product) is kept where a factor or the derivative is NaN.
    /// </summary>
    private static double Scaled(ReadOnlySpan<double> factors, double derivative, double direct)
    {
        if (double.IsNaN(derivative))
        {
            return direct;
        }
        bool negative = double.IsNegative(derivative), zero = derivative == 0, infinite = false;
        double significand = 1;
        long exponent = 0;
        if (!zero)
        {
            PowKernel.MultiplyInto(ref significand, ref exponent, derivative);
        }
        if (!PowKernel.MultiplyFactors(factors, ref significand, ref exponent, ref negative, ref zero, ref infinite))
        {
            return direct;
        }
        if (zero || infinite)
        {
            return PowKernel.ZeroOrInfinity(zero, infinite, negative);
        }
        return Math.ScaleB(significand, (int)Math.Clamp(exponent, -4000, 4000)); // the significand carries the sign
    }
}
