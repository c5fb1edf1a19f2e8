namespace AutoGrad.Tests.Support;

/// <summary>
/// Distances in units in the last place: the number of representable values between two numbers, counted across
/// zero (−0 and +0 are one apart, so a wrong sign of zero is one ulp), with NaN equal only to NaN.
/// </summary>
public static class Ulps
{
    private static long Ordered(double v)
    {
        long bits = BitConverter.DoubleToInt64Bits(v);
        return bits < 0 ? -(bits & long.MaxValue) - 1 : bits;
    }

    private static long Ordered(float v)
    {
        int bits = BitConverter.SingleToInt32Bits(v);
        return bits < 0 ? -(bits & int.MaxValue) - 1L : bits;
    }

    public static long Between(double actual, double expected) =>
        double.IsNaN(actual) || double.IsNaN(expected)
            ? double.IsNaN(actual) && double.IsNaN(expected) ? 0 : long.MaxValue
            : (long)Int128.Min(long.MaxValue, Int128.Abs((Int128)Ordered(actual) - Ordered(expected)));

    public static long Between(float actual, float expected) =>
        float.IsNaN(actual) || float.IsNaN(expected)
            ? float.IsNaN(actual) && float.IsNaN(expected) ? 0 : long.MaxValue
            : Math.Abs(Ordered(actual) - Ordered(expected));
}
