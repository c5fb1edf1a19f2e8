using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The unpacked product with an element-wise operation with a row in its epilogue (a compiled step's bias add run on
/// the product's registers): every element must be the product's chain of fused multiply–adds from zero, then the
/// operator applied once with the row's value for its column — the bits of the product stored and combined after —
/// at 256 and 512 bits, in every panel (k ≤ 4 rows, 4 × 2 tiles, the last single vector, edge rows), both orientations
/// of A and B, both operand orders — over ordinary values and over ±0, ±∞, NaN, subnormals and huge values (the sign of a
/// zero counts).
/// </summary>
public class GemmEpilogueTests
{
    /// <summary>Values: 0 ordinary, 1 and 2 with 1 % and 5 % of ±0, ±∞, NaN, subnormals and huge values, 3 signed zeros and ±1 (<see cref="Wide512SweepTests.Values"/>).</summary>
    public sealed record EpilogueCase(int M, int K, int Vectors, bool TransposeA, bool TransposeB, int Operator, bool ProductFirst, int Seed, int Values = 0)
    {
        public override string ToString() =>
            $"{(TransposeA ? "Aᵀ" : "A")}·{(TransposeB ? "Bᵀ" : "B")}, m = {M}, k = {K}, {Vectors} vector(s) of columns, operator {Operator}, product {(ProductFirst ? "first" : "second")}, values {Values} (seed {Seed})";
    }

    private static readonly Arbitrary<EpilogueCase> Cases = Arb.From(
        from m in Gen.Choose(1, 40) from k in Gen.Frequency((1, Gen.Choose(1, 4)), (2, Gen.Choose(5, 40))) from v in Gen.Choose(1, 9)
        from ta in Gen.Elements(false, true) from tb in Gen.Elements(false, true) from op in Gen.Choose(0, 3) from first in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1000) from values in Gen.Elements(0, 0, 1, 2, 3)
        select new EpilogueCase(m, k, v, ta, tb, op, first, seed, values),
        c => new[] { c with { M = c.M / 2 }, c with { K = c.K / 2 }, c with { Vectors = c.Vectors / 2 }, c with { Values = 0 } }
            .Where(s => s.M > 0 && s.K > 0 && s.Vectors > 0 && s != c));

    private static void Run<T, TVec, TOp>(EpilogueCase c, T[] a, Shape sa, T[] b, Shape sb, T[] result, Shape sc, T[] row)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T>
        where TOp : struct, IBinaryFunction<TOp>
    {
        if (c.ProductFirst)
        {
            SmallGemm<T, TVec>.Multiply<RowEpilogue<T, TOp, ProductOnTheLeft>>(a, sa, c.TransposeA, b, sb, c.TransposeB, result, sc, null, false, row, []);
        }
        else
        {
            SmallGemm<T, TVec>.Multiply<RowEpilogue<T, TOp, ProductOnTheRight>>(a, sa, c.TransposeA, b, sb, c.TransposeB, result, sc, null, false, row, []);
        }
    }

    private static void EveryElementIsTheChainThenTheOperator<T, TVec>(EpilogueCase c, Func<double, T> convert)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T>
    {
        int n = c.Vectors * TVec.Count;
        var random = new Random(c.Seed);
        var sa = c.TransposeA ? new Shape(c.K, c.M) : new Shape(c.M, c.K);
        var sb = c.TransposeB ? new Shape(n, c.K) : new Shape(c.K, n);
        var sc = new Shape(c.M, n);
        T[] a = c.Values == 0 ? Enumerable.Range(0, sa.Length).Select(_ => convert(random.NextDouble() * 2 - 1)).ToArray() : Wide512SweepTests.Values<T>(sa.Length, c.Values, random);
        T[] b = c.Values == 0 ? Enumerable.Range(0, sb.Length).Select(_ => convert(random.NextDouble() * 2 - 1)).ToArray() : Wide512SweepTests.Values<T>(sb.Length, c.Values, random);
        T[] row = c.Values == 0 ? Enumerable.Range(0, n).Select(_ => convert(random.NextDouble() * 4 - 2)).ToArray() : Wide512SweepTests.Values<T>(n, c.Values, random);
        var result = Enumerable.Repeat(T.NaN, sc.Length).ToArray(); // every element must be written
        switch (c.Operator)
        {
            case 0: Run<T, TVec, AddOperator>(c, a, sa, b, sb, result, sc, row); break;
            case 1: Run<T, TVec, SubOperator>(c, a, sa, b, sb, result, sc, row); break;
            case 2: Run<T, TVec, HadamardOperator>(c, a, sa, b, sb, result, sc, row); break;
            default: Run<T, TVec, DivOperator>(c, a, sa, b, sb, result, sc, row); break;
        }
        T[] chains = Reference.FusedMultiplyAddChains(a, c.TransposeA, b, c.TransposeB, c.M, c.K, n);
        for (int i = 0; i < c.M; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = chains[i * n + j];
                (T x, T y) = c.ProductFirst ? (sum, row[j]) : (row[j], sum);
                T expected = c.Operator switch { 0 => x + y, 1 => x - y, 2 => x * y, _ => x / y };
                Assert.True(Wide512SweepTests.SameBits(expected, result[i * n + j]), $"C[{i},{j}] = {result[i * n + j]}, the chain then the operator give {expected}");
            }
        }
    }

    [Fact]
    public void Each_element_is_the_chain_of_fused_multiply_adds_then_the_operator_with_its_column_of_the_row()
    {
        Properties.Check(Cases, c => EveryElementIsTheChainThenTheOperator<double, Math256<double>>(c, v => v), cases: 100);
        Properties.Check(Cases, c => EveryElementIsTheChainThenTheOperator<double, Math512<double>>(c, v => v), cases: 60);
        Properties.Check(Cases, c => EveryElementIsTheChainThenTheOperator<float, Math256<float>>(c, v => (float)v), cases: 100);
        Properties.Check(Cases, c => EveryElementIsTheChainThenTheOperator<float, Math512<float>>(c, v => (float)v), cases: 60);
    }

    /// <summary>
    /// σ′ in the epilogue, C the upstream gradient g and the operand the saved y = σ(z): where no y lies below the
    /// normal range (nor is NaN) every element is σ′'s own one-pass value g·(y·(1 − y)) with g the chain, bit for bit,
    /// and the product reports nothing; with such a y anywhere (rarely, at a random place) it reports it, so the caller
    /// runs the span kernel that corrects it.
    /// </summary>
    private static void SigmoidGradientInTheEpilogue<T, TVec>(EpilogueCase c, Func<double, T> convert)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T>
    {
        int n = c.Vectors * TVec.Count;
        var random = new Random(c.Seed);
        var sa = c.TransposeA ? new Shape(c.K, c.M) : new Shape(c.M, c.K);
        var sb = c.TransposeB ? new Shape(n, c.K) : new Shape(c.K, n);
        var sc = new Shape(c.M, n);
        T[] a = c.Values == 0 ? Enumerable.Range(0, sa.Length).Select(_ => convert(random.NextDouble() * 2 - 1)).ToArray() : Wide512SweepTests.Values<T>(sa.Length, c.Values, random);
        T[] b = c.Values == 0 ? Enumerable.Range(0, sb.Length).Select(_ => convert(random.NextDouble() * 2 - 1)).ToArray() : Wide512SweepTests.Values<T>(sb.Length, c.Values, random);
        T[] y = Enumerable.Range(0, sc.Length).Select(_ => convert(random.NextDouble())).ToArray();
        bool unusual = c.Operator == 0; // a quarter of the cases: one y below the normal range or NaN
        if (unusual)
        {
            y[random.Next(y.Length)] = random.Next(2) == 0 ? T.NaN : T.Epsilon;
        }
        var result = Enumerable.Repeat(T.NaN, sc.Length).ToArray();
        bool flagged = SmallGemm<T, TVec>.Multiply<GradientEpilogue<T, SigmoidOperator>>(a, sa, c.TransposeA, b, sb, c.TransposeB, result, sc, null, false, [], y);
        Assert.Equal(unusual, flagged);
        for (int i = 0; i < c.M; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T g = T.Zero;
                for (int p = 0; p < c.K; p++)
                {
                    g = T.FusedMultiplyAdd(a[c.TransposeA ? p * c.M + i : i * c.K + p], b[c.TransposeB ? j * c.K + p : p * n + j], g);
                }
                T yi = y[i * n + j];
                if (!(yi < ExpGradientKernel.SmallestNormal<T>()) && !T.IsNaN(yi))
                {
                    T expected = g * (yi * (T.One - yi));
                    Assert.True(Wide512SweepTests.SameBits(expected, result[i * n + j]), $"d[{i},{j}] = {result[i * n + j]}, g·(y·(1 − y)) = {expected}");
                }
            }
        }
    }

    [Fact]
    public void Sigmoid_gradient_in_the_epilogue_gives_the_one_pass_bits_and_reports_the_lanes_it_leaves_to_the_span_kernel()
    {
        Properties.Check(Cases, c => SigmoidGradientInTheEpilogue<double, Math256<double>>(c, v => v), cases: 100);
        Properties.Check(Cases, c => SigmoidGradientInTheEpilogue<double, Math512<double>>(c, v => v), cases: 60);
        Properties.Check(Cases, c => SigmoidGradientInTheEpilogue<float, Math256<float>>(c, v => (float)v), cases: 100);
        Properties.Check(Cases, c => SigmoidGradientInTheEpilogue<float, Math512<float>>(c, v => (float)v), cases: 60);
    }

    [Fact]
    public void A_result_that_is_not_whole_vectors_wide_is_refused_by_the_epilogue()
    {
        var sa = new Shape(4, 3);
        var sb = new Shape(3, 5);
        var error = Assert.Throws<ArgumentException>(() => SmallGemm<double, Math256<double>>.Multiply<RowEpilogue<double, AddOperator, ProductOnTheLeft>>(
            new double[12], sa, false, new double[15], sb, false, new double[20], new Shape(4, 5), null, false, new double[5], []));
        Assert.Contains("whole vectors of columns", error.Message);
    }
}
