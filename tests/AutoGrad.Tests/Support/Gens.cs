using FsCheck;
using FsCheck.Fluent;

namespace AutoGrad.Tests.Support;

/// <summary>FsCheck generators shared by the property tests: shapes 1..6 × 1..6 and values.</summary>
public static class Gens
{
    /// <summary>A dimension, 1..6.</summary>
    public static readonly Gen<int> Dim = Gen.Choose(1, 6);

    /// <summary>
    /// A value in [−3, 3] on a grid of 1/1000: small enough that exp, sigmoid and tanh stay well conditioned
    /// for central differences, large enough to reach sigmoid's flat tails.
    /// </summary>
    public static readonly Gen<double> Value = Gen.Choose(-3000, 3000).Select(k => k / 1000.0);

    /// <summary>A value in ±[0.5, 3]: away from 0, for divisors and logarithms (poles) and ReLU's kink.</summary>
    public static readonly Gen<double> AwayFromZero =
        Gen.Choose(500, 3000).SelectMany(k => Gen.Elements(-1.0, 1.0).Select(s => s * k / 1000.0));

    /// <summary>A positive value in [0.5, 3], for logarithms and fractional powers.</summary>
    public static readonly Gen<double> Positive = Gen.Choose(500, 3000).Select(k => k / 1000.0);

    /// <summary>A nonzero ±m·2ᵉ, m in [1, 2) and e over the whole range of double, subnormals included.</summary>
    public static readonly Gen<double> WideNonzero =
        from e in Gen.Choose(-1074, 1023)
        from m in Gen.Choose(0, 1 << 30)
        from negative in Gen.Elements(false, true)
        select (negative ? -1 : 1) * Math.ScaleB(1 + m / (double)(1 << 30), e);

    public static Gen<Matrix> MatrixOf(int rows, int cols, Gen<double> values) =>
        Gen.ArrayOf(values, rows * cols).Select(v => new Matrix(rows, cols, v));

    public static Gen<Matrix> Matrix(Gen<double> values) =>
        from rows in Dim
        from cols in Dim
        from m in MatrixOf(rows, cols, values)
        select m;

    /// <summary>One matrix of any shape, shrinking its shape and values.</summary>
    public static Arbitrary<Matrix> AnyMatrix(Gen<double>? values = null) =>
        Arb.From(Matrix(values ?? Value), m => m.ShrinkShape().Concat(m.ShrinkValues()));

    /// <summary>
    /// Two matrices whose shapes broadcast: equal, or the second a row (1×n), a column (m×1) or a scalar (1×1)
    /// — or the first a row and the second a column — and the same cases with the operands swapped.
    /// </summary>
    public static Arbitrary<(Matrix A, Matrix B)> BroadcastPair(Gen<double>? left = null, Gen<double>? right = null)
    {
        Gen<double> lv = left ?? Value, rv = right ?? Value;
        Gen<(Matrix, Matrix)> gen =
            from rows in Dim
            from cols in Dim
            from kind in Gen.Choose(0, 6)
            let shapes = kind switch
            {
                0 => ((rows, cols), (rows, cols)),
                1 => ((rows, cols), (1, cols)),
                2 => ((rows, cols), (rows, 1)),
                3 => ((rows, cols), (1, 1)),
                4 => ((1, cols), (rows, 1)),
                5 => ((1, cols), (rows, cols)),
                _ => ((1, 1), (rows, cols)),
            }
            from a in MatrixOf(shapes.Item1.Item1, shapes.Item1.Item2, lv)
            from b in MatrixOf(shapes.Item2.Item1, shapes.Item2.Item2, rv)
            select (a, b);
        return Arb.From(gen, pair =>
            pair.Item1.ShrinkValues().Select(a => (a, pair.Item2))
                .Concat(pair.Item2.ShrinkValues().Select(b => (pair.Item1, b))));
    }

    /// <summary>Two matrices that can be multiplied: m×k and k×n.</summary>
    public static Arbitrary<(Matrix A, Matrix B)> MatMulPair()
    {
        Gen<(Matrix, Matrix)> gen =
            from m in Dim
            from k in Dim
            from n in Dim
            from a in MatrixOf(m, k, Value)
            from b in MatrixOf(k, n, Value)
            select (a, b);
        return Arb.From(gen, pair =>
            pair.Item1.ShrinkValues().Select(a => (a, pair.Item2))
                .Concat(pair.Item2.ShrinkValues().Select(b => (pair.Item1, b))));
    }

    /// <summary>
    /// Spans of 1 to <paramref name="maxLength"/> elements drawn from <paramref name="element"/>, shrunk by halves
    /// (so a failing span shrinks to the part that fails), for kernels run over whole spans.
    /// </summary>
    public static Arbitrary<double[]> Spans(Gen<double> element, int maxLength) => Arb.From(
        from length in Gen.Choose(1, maxLength)
        from values in Gen.ArrayOf(element, length)
        select values,
        values => values.Length > 1 ? [values[..(values.Length / 2)], values[(values.Length / 2)..]] : []);

    /// <summary>
    /// An ordinary value, a 16-element neighbourhood of one value that sends a vector kernel down its slower path (±∞,
    /// NaN, beyond ±708 in double or ±87 in float), and the ordinary value's position among the 16: for the properties
    /// that such a neighbour changes nothing for the other lanes (exp, σ).
    /// </summary>
    public static Arbitrary<(double Value, double Neighbour, int Position)> LaneBesideOutOfRange => Arb.From(
        from v in Gen.Frequency((4, Gen.Choose(-40_000, 40_000).Select(k => k / 1000.0)), (1, Gen.Choose(-708_000, 708_000).Select(k => k / 1000.0)),
            (1, Gen.Elements(0.0, -0.0, 708.0, -708.0, 87.0, -87.0, 1e-300, -1e-300)))
        from neighbour in Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 708.5, -708.5, 709.7, 709.9, -745.0,
            -1000.0, 87.5, -87.5, 88.7, 89.0, -100.0, -104.0, 1e10)
        from position in Gen.Choose(0, 15)
        select (v, neighbour, position));
}
