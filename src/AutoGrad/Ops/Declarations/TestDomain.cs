namespace AutoGrad;

/// <summary>Where the generic tests draw an operation's inputs from: an interval, and points (kinks, poles) to keep away from.</summary>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Avoid">Points where the function is not differentiable; inputs stay at least 0.1 from them.</param>
internal sealed record TestDomain(double Min, double Max, params double[] Avoid)
{
    /// <summary>[−3, 3], nothing to avoid.</summary>
    public static readonly TestDomain Standard = new(-3, 3);

    /// <summary>[0.2, 3]: for logarithms and divisors.</summary>
    public static readonly TestDomain Positive = new(0.2, 3);

    /// <summary>
    /// [−3, 3] at least 0.1 away from 0: for negative integer powers, whose pole at 0 makes finite differences with a
    /// fixed step meaningless (at x = 0.0004 a step of 1e-6 is 0.25 % of x, and the truncation error of x⁻⁴'s central
    /// difference is 3e-5 of the value).
    /// </summary>
    public static readonly TestDomain AwayFromZero = new(-3, 3, 0);

    /// <summary>
    /// (−π, π), one period, for sine and cosine: they never saturate, so in a fuzzed graph an argument of 1e4 that moves by
    /// 30 per finite-difference step makes the numeric derivative noise; mapped into one period, it cannot.
    /// </summary>
    public static readonly TestDomain OnePeriod = new(-Math.PI, Math.PI);

    /// <summary>True for <see cref="Standard"/>: any moderate real number is a fair input.</summary>
    public bool IsStandard => Min == Standard.Min && Max == Standard.Max && Avoid.Length == 0;
}
