namespace AutoGrad.Tests.Support;

/// <summary>
/// A value as an unevaluated sum hi + lo of two doubles (about 106 bits): a higher-precision reference for the
/// gradient kernels, whose formulas are a few products and sums of their inputs. Rounding it to double gives the
/// correctly rounded value of the formula wherever no intermediate overflows or falls among the subnormals.
/// </summary>
public readonly record struct DoubleDouble(double Hi, double Lo)
{
    public static implicit operator DoubleDouble(double value) => new(value, 0);

    public double Value => double.IsFinite(Hi) && Lo != 0 ? Hi + Lo : Hi;

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        double s = a.Hi + b.Hi;
        if (!double.IsFinite(s))
        {
            return new(s, 0);
        }
        double bb = s - a.Hi;
        double error = (a.Hi - (s - bb)) + (b.Hi - bb);
        return Normalize(s, error + a.Lo + b.Lo);
    }

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + -b;

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        double p = a.Hi * b.Hi;
        if (!double.IsFinite(p) || p == 0)
        {
            return new(p, 0);
        }
        double error = Math.FusedMultiplyAdd(a.Hi, b.Hi, -p);
        return Normalize(p, error + (a.Hi * b.Lo + a.Lo * b.Hi));
    }

    /// <summary>a / b rounded to double: one correction step after the double quotient.</summary>
    public static double Divide(DoubleDouble a, DoubleDouble b)
    {
        double q = a.Hi / b.Hi;
        if (!double.IsFinite(q) || q == 0)
        {
            return q;
        }
        DoubleDouble remainder = a - b * q;
        return q + (remainder.Hi + remainder.Lo) / b.Hi;
    }

    private static DoubleDouble Normalize(double hi, double lo)
    {
        double s = hi + lo;
        return double.IsFinite(s) ? new(s, lo - (s - hi)) : new(s, 0);
    }
}
