using System.Numerics;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The accuracy contract of every element-wise kernel (the table in README, "Accuracy"): the largest distance, in
/// units in the last place, between the kernel's result and the reference over the whole range, and the share of
/// elements that must be exactly the reference. Forward kernels are reached through their operations; gradient
/// kernels through a plain (unrecorded) <see cref="Autograd.Grad{T}"/>, where they run.
/// </summary>
public static class KernelAccuracy
{
    /// <summary>One kernel's contract: its bounds in double and in float, and the share that is exact.</summary>
    public sealed record Contract(string Kernel, int DoubleUlps, int FloatUlps, double ExactShare, string Reference);

    public static readonly Contract[] Forward =
    [
        new("Add", 0, 0, 1, "a + b"),
        new("Sub", 0, 0, 1, "a − b"),
        new("Mul", 0, 0, 1, "a · b"),
        new("Div", 0, 0, 1, "a / b"),
        new("Neg", 0, 0, 1, "−x"),
        new("Square", 0, 0, 1, "x · x"),
        new("Relu", 0, 0, 1, "max(x, 0)"),
        new("Pow(2)", 0, 0, 1, "Math.Pow(x, 2)"),
        new("Pow(3)", 0, 0, 1, "Math.Pow(x, 3)"),
        new("Pow(0.5)", 0, 0, 1, "Math.Pow(x, 0.5)"),
        new("Pow(-1.5)", 0, 0, 1, "Math.Pow(x, −1.5)"),
        new("Pow(2.7)", 0, 0, 1, "Math.Pow(x, 2.7)"),
        new("Exp", 1, 1, 0.9, "Math.Exp(x)"),
        new("Log", 0, 1, 0.9, "Math.Log(x)"),
        new("Tanh", 1, 1, 0.99, "E / (E + 2), E = e^{2|x|} − 1, in double-double"),
        new("Sigmoid", 3, 2, 0.7, "1 / (1 + e⁻ˣ) or eˣ / (1 + eˣ) in double-double, e from Math.Exp"),
    ];

    public static readonly Contract[] Gradient =
    [
        new("Sigmoid′", 2, 2, 0.7, "g · y · (1 − y), y = σ(x), in double-double"),
        new("Tanh′", 2, 2, 0.7, "g · (1 − y²), y = tanh(x), in double-double"),
        new("Square′", 1, 1, 0.9, "2 · g · x, in double-double"),
        new("Relu′", 0, 0, 1, "g · [x > 0]"),
    ];

    public static Contract Find(string kernel) => Forward.Concat(Gradient).Single(c => c.Kernel == kernel);

    /// <summary>
    /// Values over the whole range: ordinary ones (where the functions bend), small ones, values of every binary
    /// exponent (subnormals to the largest), and the special ones (±0, ±∞, NaN, the extremes, overflow thresholds).
    /// </summary>
    public static Gen<double> Values(bool single)
    {
        int lowest = single ? -149 : -1074, highest = single ? 127 : 1023;
        double max = single ? float.MaxValue : double.MaxValue, epsilon = single ? float.Epsilon : double.Epsilon;
        return Gen.Frequency(
            (4, Gen.Choose(-40_000, 40_000).Select(k => k / 1000.0)),
            (2, from e in Gen.Choose(-40, 0) from m in Gen.Choose(-1_000_000, 1_000_000) select Math.ScaleB(m / 1e6, e)),
            (3, from e in Gen.Choose(lowest, highest) from m in Gen.Choose(0, 1 << 30) from s in Gen.Elements(-1.0, 1.0)
                select s * Math.ScaleB(1 + m / (double)(1 << 30), e)),
            (1, Gen.Elements(0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1.0, -1.0,
                max, -max, epsilon, -epsilon, 709.78, 710.0, -745.1, -708.5, 88.72, -88.72, -103.9, 19.06, 9.01, 0.55, -0.35)));
    }

    /// <summary>Two equal-length arrays of any length from 1 to 40 (around every vector width and its tails).</summary>
    public static Arbitrary<(double[] X, double[] Y)> Cases(bool single) => Arb.From(
        from length in Gen.Choose(1, 40)
        from x in Gen.ArrayOf(Values(single), length)
        from y in Gen.ArrayOf(Values(single), length)
        select (x, y));

    private static readonly Dictionary<string, double> Exponents = new()
    {
        ["Pow(2)"] = 2, ["Pow(3)"] = 3, ["Pow(0.5)"] = 0.5, ["Pow(-1.5)"] = -1.5, ["Pow(2.7)"] = 2.7,
    };

    /// <summary>The kernel's results on x (and y, the second operand or the upstream gradient).</summary>
    public static T[] Run<T>(string kernel, T[] x, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = Tensor.FromRowMajor<T>(1, x.Length, x, requiresGrad: kernel.EndsWith('′'));
        var b = Tensor.FromRowMajor<T>(1, y.Length, y);
        if (kernel.EndsWith('′'))
        {
            Tensor<T> output = kernel switch
            {
                "Sigmoid′" => a.Sigmoid(),
                "Tanh′" => a.Tanh(),
                "Square′" => a.Square(),
                "Relu′" => a.Relu(),
                _ => throw new ArgumentException(kernel),
            };
            return Autograd.Grad(output, [a], seed: b)[0].ToFlatArray();
        }
        if (Exponents.TryGetValue(kernel, out double p))
        {
            return a.Pow(T.CreateTruncating(p)).ToFlatArray();
        }
        return (kernel switch
        {
            "Add" => a + b,
            "Sub" => a - b,
            "Mul" => a.Hadamard(b),
            "Div" => a.Div(b),
            "Neg" => a.Neg(),
            "Square" => a.Square(),
            "Relu" => a.Relu(),
            "Exp" => a.Exp(),
            "Log" => a.Log(),
            "Tanh" => a.Tanh(),
            "Sigmoid" => a.Sigmoid(),
            _ => throw new ArgumentException(kernel),
        }).ToFlatArray();
    }

    /// <summary>
    /// The reference for element (x, y) in double; for a float kernel x and y are floats widened exactly, and the
    /// result is rounded to float once by the caller. Gradient kernels take the forward result the kernel saw
    /// (<paramref name="saved"/>) and are evaluated in double-double, so their formulas are not rounded on the way.
    /// </summary>
    public static double Reference(string kernel, double x, double y, double saved, double exponent)
    {
        return kernel switch
        {
            "Add" => x + y,
            "Sub" => x - y,
            "Mul" => x * y,
            "Div" => x / y,
            "Neg" => -x,
            "Square" => x * x,
            "Relu" => double.IsNaN(x) ? x : x > 0 ? x : 0.0,
            "Exp" => Math.Exp(x),
            "Log" => Math.Log(x),
            "Tanh" => TanhReference(x),
            "Sigmoid" => double.IsNaN(x) ? x : DoubleDouble.Divide(x < 0 ? Math.Exp(x) : 1.0, 1 + (DoubleDouble)Math.Exp(-Math.Abs(x))),
            "Sigmoid′" => ((DoubleDouble)y * ((DoubleDouble)saved * (1 - (DoubleDouble)saved))).Value,
            "Tanh′" => ((DoubleDouble)y * (1 - (DoubleDouble)saved * saved)).Value,
            "Square′" => ((DoubleDouble)y * x * 2).Value,
            "Relu′" => y * (x > 0 ? 1.0 : 0.0),
            _ => Math.Pow(x, exponent),
        };
    }

    /// <summary>
    /// tanh x correctly rounded (but for ties): E / (E + 2) with E = e^{2|x|} − 1 in double-double (Taylor series of
    /// eʳ − 1 after a reduction by k·ln 2, ln 2 in two parts). <see cref="Math.Tanh"/> itself is up to 2 ulp off
    /// (−0.3426831184288181 for x = −0.3571295, where the exact value is −0.34268311842881819270: 1.65 ulp).
    /// </summary>
    public static double TanhReference(double x)
    {
        double a = Math.Abs(x);
        if (double.IsNaN(x) || a < 7.450580596923828e-9)
        {
            return x; // below 2⁻²⁷, tanh x = x(1 − x²/3 + …) is within a quarter ulp of x
        }
        if (a > 20)
        {
            return Math.CopySign(1.0, x);
        }
        double u = 2 * a, k = Math.Round(u / Math.Log(2));
        DoubleDouble ln2 = new(0.6931471805599453, 2.3190468138462996e-17);
        DoubleDouble r = (DoubleDouble)u - (DoubleDouble)k * ln2, term = r, expm1 = 0;
        for (int n = 2; n <= 30; n++)
        {
            expm1 += term;
            term = DivideBy(term * r, n);
        }
        double twoToK = Math.ScaleB(1, (int)k);
        DoubleDouble e = new DoubleDouble(expm1.Hi * twoToK, expm1.Lo * twoToK) + ((DoubleDouble)twoToK + -1.0);
        return Math.CopySign(DoubleDouble.Divide(e, e + 2.0), x);

        static DoubleDouble DivideBy(DoubleDouble value, int n)
        {
            double q = value.Hi / n;
            double remainder = Math.FusedMultiplyAdd(-q, n, value.Hi) + value.Lo;
            return new DoubleDouble(q, 0) + remainder / n;
        }
    }

    /// <summary>Each element's distance in ulps from the reference, with a description of the element.</summary>
    /// <remarks>
    /// With <paramref name="oneUlpWorse"/>, each finite result is first moved one ulp further from the reference (an
    /// exact one one ulp up): a kernel planted to be one ulp worse everywhere, which the contract must refuse.
    /// </remarks>
    public static IEnumerable<(long Ulps, string Where)> Errors(string kernel, double[] x, double[] y, bool single, bool oneUlpWorse = false)
    {
        double exponent = Exponents.GetValueOrDefault(kernel);
        if (single)
        {
            float[] xs = x.Select(v => (float)v).ToArray(), ys = y.Select(v => (float)v).ToArray();
            float[] actual = Run(kernel, xs, ys);
            float[] saved = Saved(kernel, xs);
            for (int i = 0; i < xs.Length; i++)
            {
                float expected = (float)Reference(kernel, xs[i], ys[i], saved[i], (float)exponent);
                if (oneUlpWorse && float.IsFinite(actual[i]))
                {
                    actual[i] = actual[i] < expected ? MathF.BitDecrement(actual[i]) : MathF.BitIncrement(actual[i]);
                }
                yield return (Ulps.Between(actual[i], expected), $"{kernel} float at x = {xs[i]:R}, y = {ys[i]:R} (element {i} of {xs.Length}): {actual[i]:R}, expected {expected:R}");
            }
        }
        else
        {
            double[] actual = Run(kernel, x, y);
            double[] saved = Saved(kernel, x);
            for (int i = 0; i < x.Length; i++)
            {
                double expected = Reference(kernel, x[i], y[i], saved[i], exponent);
                if (oneUlpWorse && double.IsFinite(actual[i]))
                {
                    actual[i] = actual[i] < expected ? Math.BitDecrement(actual[i]) : Math.BitIncrement(actual[i]);
                }
                yield return (Ulps.Between(actual[i], expected), $"{kernel} double at x = {x[i]:R}, y = {y[i]:R} (element {i} of {x.Length}): {actual[i]:R}, expected {expected:R}");
            }
        }
    }

    private static T[] Saved<T>(string kernel, T[] x) where T : unmanaged, IFloatingPointIeee754<T> => kernel switch
    {
        "Sigmoid′" => Tensor.FromRowMajor<T>(1, x.Length, x).Sigmoid().ToFlatArray(),
        "Tanh′" => Tensor.FromRowMajor<T>(1, x.Length, x).Tanh().ToFlatArray(),
        _ => x,
    };
}
