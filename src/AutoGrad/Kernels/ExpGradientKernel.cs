using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// d = (g₁ ⊙ … ⊙ gₖ) ⊙ y with y = eˣ: Exp's recorded gradient (one seed) and its own derivatives (each order one seed
/// more), with the split fallback of <see cref="PowKernel"/> where the seeds' product or eˣ leaves the range.
/// </summary>
internal static class ExpGradientKernel
{
    // ln 2 in two parts (Cody and Waite): the high part has 32 significant bits, so k · Ln2High is exact for |k| < 2²¹.
    private const double Ln2High = 6.93147180369123816490e-01;
    private const double Ln2Low = 1.90821492927058770002e-10;

    /// <summary>
    /// d = (g₁ ⊙ … ⊙ gₖ) ⊙ y element-wise, y = eˣ the forward result (element i of seed j is <c>seeds[j][offset + i]</c>).
    /// One seed: g ⊙ y in <typeparamref name="T"/>, the bits of the one-pass gradient. Several: ((g₁ · g₂ ⋯) · y) in
    /// double, and where a partial product, y or the result is not a normal number (ḡ = g = 1e-200 give ḡ · g = 0, though
    /// ḡ · g · e⁶⁹⁰ is 4.6e-101) by <see cref="Scaled"/>, whose intermediates never leave the range.
    /// </summary>
    public static void GradientOfProduct<T>(ReadOnlySpan<T[]> seeds, int offset, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (seeds.Length == 1)
        {
            T[] g = seeds[0];
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = g[offset + i] * y[i];
            }
            return;
        }
        Span<double> factors = seeds.Length <= 16 ? stackalloc double[seeds.Length] : new double[seeds.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double product = PowKernel.SeedProduct(seeds, offset + i, factors, out bool inRange);
            double exp = double.CreateTruncating(y[i]), result = product * exp;
            if (!inRange || !double.IsNormal(exp) || !double.IsNormal(result))
            {
                result = Scaled(factors, double.CreateTruncating(x[i]), result);
            }
            d[i] = T.CreateTruncating(result);
        }
    }

    /// <summary>
    /// d = g ⊙ f′(x) corrected far left, for σ′ and softplus′: where the σ(x) the kernel used (<paramref name="sigma"/>,
    /// the saved y for σ′) lies below <typeparamref name="T"/>'s normal range (x &lt; −708, float −87), σ(x) and σ′(x)
    /// both equal eˣ to a relative 2eˣ (under 10⁻³⁷), but the rounded σ kept few bits or none, and g·σ lost them
    /// (float g = 8.86e23, x = −103.9 gave 1.24e-21, the true value 6.67e-22). There d is g·eˣ in split form
    /// (<see cref="Scaled"/>: g's significand times eʳ, scaled by 2ᵏ⁺ᵉ once), rounded once to T. Elsewhere d is left as
    /// it is, bit for bit.
    /// </summary>
    public static void CorrectFarLeft<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> sigma, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T smallestNormal = SmallestNormal<T>();
        for (int i = 0; i < d.Length; i++)
        {
            if (sigma[i] < smallestNormal)
            {
                d[i] = FarLeft(g[i], x[i], d[i]);
            }
        }
    }

    /// <summary>
    /// One far-left element of <see cref="CorrectFarLeft"/>: g·eˣ in split form, rounded once to T; <paramref name="direct"/>
    /// (the plain product) where g is 0, ±∞ or NaN or x is not finite.
    /// </summary>
    internal static T FarLeft<T>(T g, T x, T direct) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double factor = double.CreateTruncating(g);
        return T.CreateTruncating(Scaled(new ReadOnlySpan<double>(in factor), double.CreateTruncating(x), double.CreateTruncating(direct)));
    }

    /// <summary>The smallest positive normal number of <typeparamref name="T"/> (2⁻¹⁰²² or 2⁻¹²⁶).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)] // a constant: inside a vector loop a call would spill every register
    internal static T SmallestNormal<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(1.17549435e-38f) : T.CreateTruncating(2.2250738585072014e-308);

    /// <summary>
    /// (Π factors) · eˣ with every factor split into significand and power of two (<see cref="PowKernel.MultiplyInto"/>)
    /// and eˣ = 2ᵏ · eʳ, k = round(x / ln 2), r = x − k · ln 2 (|r| ≤ ½ ln 2, exact to the last bits with ln 2 in two
    /// parts): only the final scaling rounds into the range. <paramref name="direct"/> is kept where a factor is 0, ±∞
    /// or NaN, or x is not finite (the plain product is right there).
    /// </summary>
    internal static double Scaled(ReadOnlySpan<double> factors, double x, double direct)
    {
        if (!double.IsFinite(x))
        {
            return direct;
        }
        double significand = 1;
        long exponent = 0;
        foreach (double f in factors)
        {
            if (!double.IsFinite(f) || f == 0)
            {
                return direct;
            }
            PowKernel.MultiplyInto(ref significand, ref exponent, f);
        }
        // beyond |x| = 1e5 the result is 0 or ∞ for any seeds: 2^±1e6 saturates the final scaling
        double k = Math.Abs(x) > 1e5 ? Math.CopySign(1e6, x) : Math.Round(x * (1 / Math.Log(2)));
        double r = Math.Abs(x) > 1e5 ? 0 : (x - k * Ln2High) - k * Ln2Low;
        PowKernel.MultiplyInto(ref significand, ref exponent, Math.Exp(r));
        return Math.ScaleB(significand, (int)Math.Clamp(exponent + k, -4000, 4000));
    }
}
