using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// d = xᵖ element-wise, by <see cref="Math.Pow(double, double)"/> in double for both element types, with the exponent a
/// double as the caller gave it (a float tensor's x^2.7 uses 2.7, not 2.7f, as PyTorch does for a Python float).
/// </summary>
/// <remarks>
/// Why not <c>TensorPrimitives.Pow</c>: its float path loses up to 26 units in the last place (x^2.7 near 1.5e-14,
/// measured), where a float power evaluated in double and rounded once is within one. Its double path is
/// <c>Math.Pow</c> per element already, so nothing is lost there.
/// </remarks>
internal static class PowKernel
{
    public static void Pow<T>(ReadOnlySpan<T> x, double p, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            d[i] = T.CreateTruncating(Math.Pow(double.CreateTruncating(x[i]), p));
        }
    }

    /// <summary>d = g ⊙ p · xᵖ⁻¹, element-wise: Pow's gradient, <see cref="Gradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, double, double, Span{T})"/> with c = p, q = p − 1.</summary>
    public static void Gradient<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, double p, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
        Gradient(grad, x, p, p - 1, d);

    /// <summary>
    /// d = g ⊙ c · x^q, element-wise, evaluated in double as (g · x^q) · c and rounded once to T. Where an intermediate
    /// or the result is not a normal number (x^q beyond the range while g brings the product back, e.g. g = 1e-300,
    /// x = 1e-300, q = −2: x⁻² = ∞ but the product is 1e300), it is evaluated again by <see cref="Scaled"/>, which keeps
    /// every intermediate within the range. Pow's gradient (c = p, q = p − 1) is this kernel, in a plain pass and a recorded one.
    /// </summary>
    public static void Gradient<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, double c, double q, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> factor = stackalloc double[1];
        for (int i = 0; i < x.Length; i++)
        {
            double g = double.CreateTruncating(grad[i]), xi = double.CreateTruncating(x[i]);
            double power = Math.Pow(xi, q), scaled = g * power, result = scaled * c;
            if (!double.IsNormal(result) || !double.IsNormal(power) || !double.IsNormal(scaled))
            {
                factor[0] = g;
                result = Scaled(factor, xi, c, q, result);
            }
            d[i] = T.CreateTruncating(result);
        }
    }

    /// <summary>
    /// g₁ · g₂ ⋯ gₖ in double for element <paramref name="index"/> of the seeds, left to right, each seed's value stored in
    /// <paramref name="factors"/> (for the split fallback); <paramref name="inRange"/> is false when a partial product
    /// (from the second factor on) is not a normal number.
    /// </summary>
    internal static double SeedProduct<T>(ReadOnlySpan<T[]> seeds, int index, Span<double> factors, out bool inRange)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double product = 1;
        inRange = true;
        for (int j = 0; j < seeds.Length; j++)
        {
            factors[j] = double.CreateTruncating(seeds[j][index]);
            product = j == 0 ? factors[j] : product * factors[j];
            inRange &= j == 0 || double.IsNormal(product);
        }
        return product;
    }

    /// <summary>
    /// d = (g₁ ⊙ g₂ ⊙ … ⊙ gₖ) ⊙ c · x^q element-wise, for k ≥ 1 seeds <paramref name="seeds"/> (element i of seed j is
    /// <c>seeds[j][offset + i]</c>): the higher derivatives of Pow, whose every order multiplies in one more seed
    /// (∂/∂x of g ⊙ c · x^q under a seed ḡ is (ḡ ⊙ g) ⊙ cq · x^(q−1)). Evaluated in double as ((g₁ · g₂ ⋯) · x^q) · c, and
    /// where that overflows or underflows by <see cref="Scaled"/>: the seeds' product alone may leave the range
    /// (ḡ = g = 1e-200 give 1e-400 = 0) while x^q brings it back (x^(q−1) = 1e300: the true value is 1e-100); a partial
    /// product, x^q or the result that is not a normal number sends the element there.
    /// </summary>
    public static void GradientOfProduct<T>(ReadOnlySpan<T[]> seeds, int offset, ReadOnlySpan<T> x, double c, double q, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> factors = seeds.Length <= 16 ? stackalloc double[seeds.Length] : new double[seeds.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double product = SeedProduct(seeds, offset + i, factors, out bool inRange);
            double xi = double.CreateTruncating(x[i]);
            double power = Math.Pow(xi, q), scaled = product * power, result = scaled * c;
            if (!inRange || !double.IsNormal(result) || !double.IsNormal(power) || !double.IsNormal(scaled))
            {
                result = Scaled(factors, xi, c, q, result);
            }
            d[i] = T.CreateTruncating(result);
        }
    }

    /// <summary>
    /// Multiplies the finite nonzero <paramref name="factors"/> into significand · 2^exponent, flips
    /// <paramref name="negative"/> for each negative one and notes a 0 or ±∞ among them; false (and stops) at a NaN.
    /// </summary>
    internal static bool MultiplyFactors(ReadOnlySpan<double> factors, ref double significand, ref long exponent, ref bool negative, ref bool zero, ref bool infinite)
    {
        foreach (double f in factors)
        {
            if (double.IsNaN(f))
            {
                return false;
            }
            negative ^= double.IsNegative(f);
            zero |= f == 0;
            infinite |= double.IsInfinity(f);
            if (double.IsFinite(f) && f != 0)
            {
                MultiplyInto(ref significand, ref exponent, f);
            }
        }
        return true;
    }

    /// <summary>A product holding a 0 or an ∞ among its factors: the signed 0 or ∞, NaN when it holds both.</summary>
    internal static double ZeroOrInfinity(bool zero, bool infinite, bool negative) =>
        zero && infinite ? double.NaN : zero ? (negative ? -0.0 : 0.0) : (negative ? double.NegativeInfinity : double.PositiveInfinity);

    /// <summary>
    /// (Π factors) · c · x^q with every number split into significand and power of two (m · 2ᵉ, m in [1, 2)): the
    /// significands multiply within [1, 4), the exponents add as integers, and |x|^q is s^q · 2^(k·q) for |x| = s · 2ᵏ,
    /// k·q split exactly into an integer and a fraction (the rounding error of k·q by a fused multiply-add). Only the
    /// final scaling by the summed exponent rounds into the range, so the result overflows or underflows only where
    /// the true value does. <paramref name="direct"/> (the plain product) is kept where x or c is 0, ±∞ or NaN, where a
    /// factor is NaN, and for a negative base with a non-integer power (NaN). A factor of 0 (or ±∞) makes the result
    /// a signed 0 (or ±∞) — x^q of a finite nonzero x being finite and nonzero whatever the plain x^q rounded to, so
    /// g = 0 with an overflowing x^q gives 0, not 0·∞ = NaN — and NaN only when both occur.
    /// </summary>
    internal static double Scaled(ReadOnlySpan<double> factors, double x, double c, double q, double direct)
    {
        if (!double.IsFinite(x) || x == 0 || !double.IsFinite(c) || c == 0 || !double.IsFinite(q) || (x < 0 && !double.IsInteger(q)))
        {
            return direct;
        }
        bool negative = c < 0 ^ (x < 0 && double.IsOddInteger(q)), zero = false, infinite = false;
        double significand = 1;
        long exponent = 0;
        MultiplyInto(ref significand, ref exponent, c);
        if (!MultiplyFactors(factors, ref significand, ref exponent, ref negative, ref zero, ref infinite))
        {
            return direct;
        }
        if (zero || infinite)
        {
            return ZeroOrInfinity(zero, infinite, negative);
        }
        double magnitude = Math.Abs(x);
        int k = Math.ILogB(magnitude);
        double significandPower = Math.Pow(Math.ScaleB(magnitude, -k), q); // in range unless |q| is beyond about 1000
        if (!double.IsFinite(significandPower) || significandPower == 0)
        {
            return direct;
        }
        MultiplyInto(ref significand, ref exponent, significandPower);
        double kq = k * q, error = Math.FusedMultiplyAdd(k, q, -kq), whole = Math.Floor(kq);
        MultiplyInto(ref significand, ref exponent, double.Exp2(kq - whole + error));
        double total = exponent + whole;
        double result = Math.ScaleB(significand, (int)Math.Clamp(total, -4000, 4000));
        return x < 0 && double.IsOddInteger(q) ? -result : result;
    }

    /// <summary>significand · 2^exponent ← significand · 2^exponent · f, with the significand kept in [1, 2).</summary>
    internal static void MultiplyInto(ref double significand, ref long exponent, double f)
    {
        int e = Math.ILogB(f);
        significand *= Math.ScaleB(f, -e);
        int renormal = Math.ILogB(significand);
        significand = Math.ScaleB(significand, -renormal);
        exponent += e + renormal;
    }
}
