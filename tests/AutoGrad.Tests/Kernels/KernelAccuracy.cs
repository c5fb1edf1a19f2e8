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
        new("Relu", 0, 0, 1, "x, or +0 where x < 0 (PyTorch's bits: relu(−0) = −0, NaN stays NaN)"),
        new("Pow(2)", 0, 0, 1, "Math.Pow(x, 2)"),
        new("Pow(3)", 0, 0, 1, "Math.Pow(x, 3)"),
        new("Pow(0.5)", 0, 0, 1, "Math.Pow(x, 0.5)"),
        new("Pow(-1.5)", 0, 0, 1, "Math.Pow(x, −1.5)"),
        new("Pow(2.7)", 0, 0, 1, "Math.Pow(x, 2.7)"),
        new("Exp", 1, 1, 0.9, "Math.Exp(x)"),
        new("Log", 0, 1, 0.9, "Math.Log(x)"),
        new("Tanh", 1, 1, 0.99, "E / (E + 2), E = e^{2|x|} − 1, in double-double"),
        new("Sigmoid", 3, 2, 0.7, "1 / (1 + e⁻ˣ) or eˣ / (1 + eˣ) in double-double, e from Math.Exp"),
        new("Sqrt", 0, 0, 1, "Math.Sqrt(x)"),
        new("Abs", 0, 0, 1, "|x|"),
        new("Maximum", 0, 0, 1, "Math.Max(a, b)"),
        new("Clamp", 0, 0, 1, "min(max(x, −1), 1)"),
        new("Sin", 0, 1, 0.97, "Math.Sin(x)"),
        new("Cos", 0, 1, 0.97, "Math.Cos(x)"),
        new("Softplus", 3, 3, 0.8, "max(x, 0) + log(1 + e^{−|x|}) in double-double (one Newton step)"),
    ];

    public static readonly Contract[] Gradient =
    [
        new("Sigmoid′", 2, 2, 0.7, "g · y · (1 − y), y = σ(x), in double-double; x ≥ −708 (float −87): below, g · eˣ in split form"),
        new("Tanh′", 2, 2, 0.7, "g · (1 − y²), y = tanh(x), in double-double"),
        new("Square′", 1, 1, 0.9, "2 · g · x, in double-double"),
        new("Relu′", 0, 0, 1, "g where not x ≤ 0 (NaN included), +0 where x ≤ 0 whatever g is: PyTorch's threshold_backward selects"),
        new("Exp′", 0, 0, 1, "g · y, y = eˣ as the kernel saved it"),
        new("Log′", 0, 0, 1, "g / x"),
        new("Mul′", 0, 0, 1, "g · b"),
        new("Div′(a)", 0, 0, 1, "g / b"),
        new("Div′(b)", 2, 2, 0.7, "−g · a / b², significands in double-double, exponents apart"),
        new("Sqrt′", 0, 0, 1, "g / (2y), y = √x as the kernel saved it"),
        new("Sin′", 0, 1, 0.8, "g · Math.Cos(x)"),
        new("Cos′", 0, 1, 0.8, "−g · Math.Sin(x)"),
        new("Abs′", 0, 0, 1, "g · sign x (0 at 0 and NaN)"),
        new("Clamp′", 0, 0, 1, "g where −1 ≤ x ≤ 1, +0 elsewhere (NaN included) whatever g is: PyTorch's where(…, grad, 0)"),
        new("Maximum′", 0, 0, 1, "+0 if a < b whatever g is, g / 2 if a = b, else g (NaN passes g): PyTorch's masked_fill_"),
        new("Pow′(2)", 2, 0, 0.97, "g · 2 · x"),
        new("Pow′(3)", 2, 0, 0.6, "g · 3 · Math.Pow(x, 2), in double-double"),
        new("Pow′(0.5)", 2, 0, 0.97, "g · 0.5 · Math.Pow(x, −0.5), in double-double"),
        new("Pow′(-1.5)", 2, 0, 0.75, "g · −1.5 · Math.Pow(x, −2.5), in double-double"),
        new("Pow′(2.7)", 2, 0, 0.8, "g · 2.7 · Math.Pow(x, 1.7), in double-double"),
        new("Softplus′", 3, 3, 0.8, "g · σ(x), σ as Sigmoid's reference, in double-double; x ≥ −708 (float −87): below, g · eˣ in split form"),
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
    public static Arbitrary<(double[] X, double[] Y, double[] Z)> Cases(bool single) => Arb.From(
        from length in Gen.Choose(1, 40)
        from x in Gen.ArrayOf(Values(single), length)
        from y in Gen.ArrayOf(Values(single), length)
        from z in Gen.ArrayOf(Values(single), length)
        select (x, y, z));

    private static readonly Dictionary<string, double> Exponents = new()
    {
        ["Pow(2)"] = 2, ["Pow(3)"] = 3, ["Pow(0.5)"] = 0.5, ["Pow(-1.5)"] = -1.5, ["Pow(2.7)"] = 2.7,
        ["Pow′(2)"] = 2, ["Pow′(3)"] = 3, ["Pow′(0.5)"] = 0.5, ["Pow′(-1.5)"] = -1.5, ["Pow′(2.7)"] = 2.7,
    };

    /// <summary>
    /// The kernel's results on x (and y, the second operand or the upstream gradient g). A gradient kernel of a
    /// binary operation differentiates with respect to x, with g = y and the other operand z.
    /// </summary>
    public static T[] Run<T>(string kernel, T[] x, T[] y, T[]? z = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool gradient = kernel.Contains('′');
        var a = Tensor.FromRowMajor<T>(1, x.Length, x, requiresGrad: gradient);
        var b = Tensor.FromRowMajor<T>(1, y.Length, y);
        var other = Tensor.FromRowMajor<T>(1, x.Length, z ?? x);
        if (gradient)
        {
            Tensor<T> output = kernel switch
            {
                "Sigmoid′" => a.Sigmoid(),
                "Tanh′" => a.Tanh(),
                "Square′" => a.Square(),
                "Relu′" => a.Relu(),
                "Exp′" => a.Exp(),
                "Log′" => a.Log(),
                "Mul′" => a.Hadamard(other),
                "Div′(a)" => a.Div(other),
                "Div′(b)" => other.Div(a),
                "Sqrt′" => a.Sqrt(),
                "Sin′" => a.Sin(),
                "Cos′" => a.Cos(),
                "Abs′" => a.Abs(),
                "Clamp′" => a.Clamp(-1.0, 1.0),
                "Maximum′" => a.Maximum(other),
                "Softplus′" => a.Softplus(),
                _ when Exponents.TryGetValue(kernel, out double q) => a.Pow(T.CreateTruncating(q)),
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
            "Sqrt" => a.Sqrt(),
            "Abs" => a.Abs(),
            "Maximum" => a.Maximum(b),
            "Clamp" => a.Clamp(-1.0, 1.0),
            "Sin" => a.Sin(),
            "Cos" => a.Cos(),
            "Softplus" => a.Softplus(),
            _ => throw new ArgumentException(kernel),
        }).ToFlatArray();
    }

    /// <summary>
    /// The reference for element (x, y) in double; for a float kernel x and y are floats widened exactly, and the
    /// result is rounded to float once by the caller. Gradient kernels take the forward result the kernel saw
    /// (<paramref name="saved"/>) and are evaluated in double-double, so their formulas are not rounded on the way.
    /// </summary>
    public static double Reference(string kernel, double x, double y, double saved, double exponent, double z = 0)
    {
        return kernel switch
        {
            "Add" => x + y,
            "Sub" => x - y,
            "Mul" => x * y,
            "Div" => x / y,
            "Neg" => -x,
            "Square" => x * x,
            "Relu" => x < 0 ? 0.0 : x, // PyTorch: x unless x < 0, so −0 and NaN pass
            "Exp" => Math.Exp(x),
            "Log" => Math.Log(x),
            "Tanh" => TanhReference(x),
            "Sigmoid" => SigmoidReference(x),
            "Sigmoid′" => ((DoubleDouble)y * ((DoubleDouble)saved * (1 - (DoubleDouble)saved))).Value,
            "Tanh′" => ((DoubleDouble)y * (1 - (DoubleDouble)saved * saved)).Value,
            "Square′" => ((DoubleDouble)y * x * 2).Value,
            "Relu′" => x <= 0 ? 0.0 : y, // PyTorch selects: g where x is not ≤ 0 (x > 0 or NaN), +0 elsewhere, even for g = ±∞ or NaN
            "Sqrt" => Math.Sqrt(x),
            "Abs" => Math.Abs(x),
            "Maximum" => Math.Max(x, y),
            "Clamp" => Math.Min(Math.Max(x, -1.0), 1.0),
            "Sin" => Math.Sin(x),
            "Cos" => Math.Cos(x),
            "Softplus" => SoftplusReference(x),
            "Exp′" => y * saved,
            "Log′" => y / x,
            "Mul′" => y * z,
            "Div′(a)" => y / z,
            "Div′(b)" => DivDenominatorReference(y, z, x),
            "Sqrt′" => y / (2 * saved),
            "Sin′" => y * Math.Cos(x),
            "Cos′" => -(y * Math.Sin(x)),
            "Abs′" => y * (x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0),
            "Clamp′" => x >= -1 && x <= 1 ? y : 0.0, // selects, as PyTorch's where(min ≤ x ≤ max, grad, 0)
            "Maximum′" => x < z ? 0.0 : x == z ? y / 2 : y, // selects, as PyTorch's masked_fill_(a < b, 0)
            _ when kernel.StartsWith("Pow′") => ((DoubleDouble)Math.Pow(x, exponent - 1) * exponent * y).Value,
            "Softplus′" => double.IsNaN(x) ? x : ((DoubleDouble)y * SigmoidReference(x)).Value,
            _ => Math.Pow(x, exponent),
        };
    }

    private static double SigmoidReference(double x) =>
        double.IsNaN(x) ? x : DoubleDouble.Divide(x < 0 ? Math.Exp(x) : 1.0, 1 + (DoubleDouble)Math.Exp(-Math.Abs(x)));

    /// <summary>
    /// −g·a/b² rounded once: the significands' formula in double-double, the powers of two apart (so no intermediate
    /// overflows or underflows); where g or a is 0 or ±∞ (b finite and nonzero), the signed 0 or ∞ of the true
    /// product (NaN for 0·∞); where b is 0 or ±∞ or an operand NaN, the IEEE value of −g·((a/b)/b).
    /// </summary>
    public static double DivDenominatorReference(double g, double a, double b)
    {
        if (double.IsNaN(g) || double.IsNaN(a) || !double.IsFinite(b) || b == 0)
        {
            return -(g * ((a / b) / b));
        }
        bool zero = g == 0 || a == 0, infinite = double.IsInfinity(g) || double.IsInfinity(a);
        if (zero || infinite)
        {
            bool negative = !(double.IsNegative(g) ^ double.IsNegative(a));
            return zero && infinite ? double.NaN : zero ? (negative ? -0.0 : 0.0) : (negative ? double.NegativeInfinity : double.PositiveInfinity);
        }
        int eg = Math.ILogB(g), ea = Math.ILogB(a), eb = Math.ILogB(b);
        double mg = Math.ScaleB(g, -eg), ma = Math.ScaleB(a, -ea), mb = Math.ScaleB(b, -eb);
        double q = DoubleDouble.Divide(-((DoubleDouble)mg * ma), (DoubleDouble)mb * mb);
        return Math.ScaleB(q, eg + ea - 2 * eb);
    }

    /// <summary>
    /// softplus x = max(x, 0) + log(1 + e^{−|x|}): the logarithm from <see cref="Math.Log"/> refined by one Newton step
    /// in double-double (L + (1 + e − e^L)/e^L, with e and e^L from <see cref="ExpReference"/>), then the sum rounded once.
    /// </summary>
    public static double SoftplusReference(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }
        double a = Math.Abs(x);
        if (a > 746)
        {
            return Math.Max(x, 0);
        }
        if (x < -700)
        {
            return Math.Exp(x); // log(1 + e) = e(1 − e/2 + …) and e < 2⁻¹⁰⁰⁰: e itself, correctly rounded by Math.Exp
        }
        DoubleDouble e = ExpReference(-a), onePlus = e + 1.0;
        double l0 = Math.Log(onePlus.Hi) + onePlus.Lo / onePlus.Hi;
        DoubleDouble el = ExpReference(l0);
        DoubleDouble log = (DoubleDouble)l0 + DoubleDouble.Divide(onePlus - el, el);
        return (log + Math.Max(x, 0)).Value;
    }

    /// <summary>eᵘ in double-double for |u| ≤ 709: Taylor series of eʳ − 1 after a reduction by k·ln 2.</summary>
    public static DoubleDouble ExpReference(double u)
    {
        double k = Math.Round(u / Math.Log(2));
        DoubleDouble ln2 = new(0.6931471805599453, 2.3190468138462996e-17);
        DoubleDouble r = (DoubleDouble)u - (DoubleDouble)k * ln2, term = r, expm1 = 0;
        for (int n = 2; n <= 30; n++)
        {
            expm1 += term;
            term = DivideByInteger(term * r, n);
        }
        DoubleDouble e = expm1 + 1.0;
        double twoToK = Math.ScaleB(1, (int)k);
        return new DoubleDouble(e.Hi * twoToK, e.Lo * twoToK);
    }

    private static DoubleDouble DivideByInteger(DoubleDouble value, int n)
    {
        double q = value.Hi / n;
        double remainder = Math.FusedMultiplyAdd(-q, n, value.Hi) + value.Lo;
        return new DoubleDouble(q, 0) + remainder / n;
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
    public static IEnumerable<(long Ulps, string Where)> Errors(string kernel, double[] x, double[] y, double[] z, bool single, bool oneUlpWorse = false)
    {
        double exponent = Exponents.GetValueOrDefault(kernel);
        if (single)
        {
            float[] xs = x.Select(v => (float)v).ToArray(), ys = y.Select(v => (float)v).ToArray(), zs = z.Select(v => (float)v).ToArray();
            float[] actual = Run(kernel, xs, ys, zs);
            float[] saved = Saved(kernel, xs);
            for (int i = 0; i < xs.Length; i++)
            {
                if (!InContractRange(kernel, xs[i], ys[i], zs[i], single))
                {
                    continue;
                }
                float expected = (float)Reference(kernel, xs[i], ys[i], saved[i], (float)exponent, zs[i]);
                if (oneUlpWorse && float.IsFinite(actual[i]))
                {
                    actual[i] = actual[i] < expected ? MathF.BitDecrement(actual[i]) : MathF.BitIncrement(actual[i]);
                }
                yield return (Ulps.Between(actual[i], expected), $"{kernel} float at x = {xs[i]:R}, y = {ys[i]:R} (element {i} of {xs.Length}): {actual[i]:R}, expected {expected:R}");
            }
        }
        else
        {
            double[] actual = Run(kernel, x, y, z);
            double[] saved = Saved(kernel, x);
            for (int i = 0; i < x.Length; i++)
            {
                if (!InContractRange(kernel, x[i], y[i], z[i], single))
                {
                    continue;
                }
                double expected = Reference(kernel, x[i], y[i], saved[i], exponent, z[i]);
                if (oneUlpWorse && double.IsFinite(actual[i]))
                {
                    actual[i] = actual[i] < expected ? Math.BitDecrement(actual[i]) : Math.BitIncrement(actual[i]);
                }
                yield return (Ulps.Between(actual[i], expected), $"{kernel} double at x = {x[i]:R}, y = {y[i]:R} (element {i} of {x.Length}): {actual[i]:R}, expected {expected:R}");
            }
        }
    }

    /// <summary>
    /// Whether the contract covers x. Softplus′ = g·σ(x) and Sigmoid′ = g·y(1 − y) are held here only where σ(x) is a
    /// normal number (x ≥ −708, float −87): below, the kernels take g·eˣ in split form instead of the product with the
    /// subnormal σ (which lost up to all its bits with a large g: g = 8.86e23, x = −103.9 in float gave 1.24e-21, the
    /// true value 6.67e-22), and that region is checked against exact values and a log-domain reference by
    /// <c>Ops/SigmoidSoftplusFarLeftTests.cs</c>.
    /// </summary>
    public static bool InContractRange(string kernel, double x, double y, double z, bool single) => kernel switch
    {
        "Softplus′" or "Sigmoid′" => !(x < (single ? -87 : -708)),
        _ when kernel.StartsWith("Pow′") && !single => Math.Pow(x, Exponents[kernel] - 1) is var power
            && (double.IsNaN(power) || (double.IsNormal(power) && double.IsNormal(power * Exponents[kernel])
                && double.IsNormal(power * Exponents[kernel] * y))),
        _ => true,
    };

    private static T[] Saved<T>(string kernel, T[] x) where T : unmanaged, IFloatingPointIeee754<T> => kernel switch
    {
        "Sigmoid′" => Tensor.FromRowMajor<T>(1, x.Length, x).Sigmoid().ToFlatArray(),
        "Tanh′" => Tensor.FromRowMajor<T>(1, x.Length, x).Tanh().ToFlatArray(),
        "Exp′" => Tensor.FromRowMajor<T>(1, x.Length, x).Exp().ToFlatArray(),
        "Sqrt′" => Tensor.FromRowMajor<T>(1, x.Length, x).Sqrt().ToFlatArray(),
        _ => x,
    };
}
