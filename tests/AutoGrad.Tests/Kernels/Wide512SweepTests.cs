using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The library's width contract, held where a machine dispatches on its own SIMD width: every kernel written over
/// <see cref="ISimdMath{TSelf, T}"/> gives an element the same bits at 512, 256 and 128 bits, so a result does not
/// depend on the machine. Earlier sessions ran on machines without AVX-512, where the default dispatch never took the
/// 512-bit paths; here (and on any AVX-512 machine) it does, so these properties compare what the machine's dispatch
/// computes with the narrower widths run explicitly — over lengths and shapes that leave every remainder of a vector
/// (1–15 floats, 1–7 doubles), spans shorter than one vector, GEMM columns that are not whole vectors, transposed
/// operands, inner dimensions beyond one packed slice, and ±0, ±∞, NaN, subnormals, huge values and the far tails of
/// eˣ and σ. The element-wise functions' own widths are compared in <see cref="VectorWidthTests"/> (whose generator
/// covers lengths 0–300 and the tails), the row-sum's in <see cref="SumRowsTests"/>, the GEMM epilogue's against the
/// scalar chain in <see cref="GemmEpilogueTests"/>; this file covers the entry points those do not: staged σ, the GEMM
/// dispatch and its row bands, a compiled step's element-wise binary operations and products with a row operation in
/// their epilogue, and plain SGD.
/// </summary>
public class Wide512SweepTests
{
    /// <summary>Same bits, NaN for NaN (payloads may differ), and the sign of zero counts.</summary>
    internal static bool SameBits<T>(T expected, T actual) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.IsNaN(expected) ? T.IsNaN(actual) : expected.Equals(actual) && T.IsNegative(expected) == T.IsNegative(actual);

    internal static void AssertSameBits<T>(T[] expected, T[] actual, Func<int, string> where) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!SameBits(expected[i], actual[i]))
            {
                Assert.Fail(FormattableString.Invariant($"{where(i)}: {actual[i]:R}, expected {expected[i]:R}"));
            }
        }
    }

    // ---- σ over spans: the staged loop at the machine's width against the narrower widths ----

    /// <summary>Lengths 0–300 (every remainder of every width) and a few beyond, where the staged loop runs several blocks.</summary>
    private static readonly Gen<int> SpanLength = Gen.Frequency(
        (4, Gen.Choose(0, 300)),
        (2, from blocks in Gen.Choose(0, 18) from rest in Gen.Choose(0, 31) select 16 * blocks + rest),
        (1, Gen.Elements(127, 128, 129, 255, 256, 257, 383, 511, 512, 513, 527, 775)));

    private static readonly Arbitrary<double[]> SigmoidSpans = Arb.From(
        from length in SpanLength
        from rarePerMille in Gen.Elements(0, 0, 5, 50)
        from values in Gen.ArrayOf(rarePerMille == 0
            ? Gen.Choose(-40_000, 40_000).Select(k => k / 1000.0)
            : Gen.Frequency((1000 - rarePerMille, Gen.Choose(-40_000, 40_000).Select(k => k / 1000.0)), (rarePerMille, VectorWidthTests.Input)), length)
        select values,
        values => values.Length > 1 ? [values[..(values.Length / 2)], values[(values.Length / 2)..]] : []);

    private static T[] Sigmoid<T, TVec>(T[] x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T>
    {
        var d = new T[x.Length];
        VectorSigmoid.Sigmoid<T, TVec>(x, d);
        return d;
    }

    private static void SigmoidEntryPointAtEveryWidth<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = [.. values.Select(T.CreateTruncating)];
        var dispatched = new T[x.Length];
        VectorSigmoid.Sigmoid(x, dispatched); // what the σ operation runs: the staged loop at the machine's width
        string Where(int i) => FormattableString.Invariant($"{typeof(T).Name} σ over {x.Length}, element {i} (x = {x[i]:R})");
        AssertSameBits(Sigmoid<T, Math256<T>>(x), dispatched, i => Where(i) + ", the machine's width vs 256 bits");
        AssertSameBits(Sigmoid<T, Math128<T>>(x), dispatched, i => Where(i) + ", the machine's width vs 128 bits");
        AssertSameBits(Sigmoid<T, Math512<T>>(x), dispatched, i => Where(i) + ", the machine's width vs 512 bits");
    }

    [Fact]
    public void Sigmoid_over_spans_gives_the_same_bits_at_the_machines_width_and_every_narrower_one_in_double() =>
        Properties.Check(SigmoidSpans, SigmoidEntryPointAtEveryWidth<double>, cases: 150);

    [Fact]
    public void Sigmoid_over_spans_gives_the_same_bits_at_the_machines_width_and_every_narrower_one_in_float() =>
        Properties.Check(SigmoidSpans, SigmoidEntryPointAtEveryWidth<float>, cases: 150);

    // ---- GEMM: the machine's dispatch against 256 bits, both orientations, and the scalar chain ----

    public sealed record GemmCase(int M, int K, int N, bool TransposeA, bool TransposeB, int Values, int Seed)
    {
        public override string ToString() =>
            $"{(TransposeA ? "Aᵀ" : "A")}·{(TransposeB ? "Bᵀ" : "B")} with m = {M}, k = {K}, n = {N}, values {Values} (seed {Seed})";
    }

    /// <summary>Sizes around every vector width (8 and 16 lanes, tiles of 6 and 8 rows), up to 300 (k beyond one 256-deep slice).</summary>
    private static readonly Gen<int> Size = Gen.Frequency(
        (3, Gen.Choose(1, 40)),
        (2, Gen.Elements(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24, 31, 32, 33, 47, 48, 49, 63, 64, 65, 127, 129, 255, 256, 257)),
        (1, Gen.Choose(41, 300)));

    /// <summary>Values: 0 ordinary, 1 with 1 % specials, 2 with 5 % specials, 3 signed zeros and ±1 (the sign of a zero sum).</summary>
    private static readonly Arbitrary<GemmCase> GemmCases = Arb.From(
        from shape in Gen.Frequency(
            (3, from m in Size from k in Size from n in Size select (m, k, n)),
            // the packed kernel: over 2²⁰ multiply-adds, or over 2¹⁶ with k beyond one slice; m across its 64- and 72-row blocks
            (1, from m in Gen.Choose(50, 200) from k in Gen.Choose(100, 300) from n in Gen.Choose(40, 200) select (m, k, n)))
        let m = shape.m let k = shape.k let n = shape.n
        from ta in Gen.Elements(false, true) from tb in Gen.Elements(false, true)
        from values in Gen.Elements(0, 1, 2, 3) from seed in Gen.Choose(0, 10_000)
        select new GemmCase(m, k, n, ta, tb, values, seed),
        c => new[] { c with { M = c.M / 2 }, c with { K = c.K / 2 }, c with { N = c.N / 2 }, c with { Values = 0 } }
            .Where(s => s.M > 0 && s.K > 0 && s.N > 0 && s != c));

    private static readonly double[] Specials =
        [0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-310, -1e-310, 1e-40, -1e-40, 1e300, -1e300, 3e38, -3e38];

    internal static T[] Values<T>(int length, int kind, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double rate = kind switch { 1 => 0.01, 2 => 0.05, _ => 0 };
        return [.. Enumerable.Range(0, length).Select(_ => T.CreateTruncating(
            kind == 3 ? new[] { 0.0, -0.0, 1.0, -1.0, -0.0 }[random.Next(5)]
            : random.NextDouble() < rate ? Specials[random.Next(Specials.Length)]
            : random.NextDouble() * 2 - 1))];
    }

    /// <summary>op(A)·op(B) at 256 bits in the orientation asked (Aᵀ·Bᵀ as (B·A)ᵀ, as <see cref="Gemm.Run"/> computes it).</summary>
    private static T[] At<T>(GemmChoice choice, T[] a, Shape sa, bool ta, T[] b, Shape sb, bool tb, Shape sc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = Enumerable.Repeat(T.NaN, sc.Length).ToArray();
        if (ta && tb)
        {
            var ba = At(choice, b, sb, false, a, sa, false, sc.Transposed);
            TransposeKernel.Transpose<T>(ba, sc.Transposed, c);
            return c;
        }
        Gemm.Run(choice, a, sa, ta, b, sb, tb, c, sc, null, null);
        return c;
    }

    private static void GemmAtEveryWidth<T>(GemmCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        var sa = c.TransposeA ? new Shape(c.K, c.M) : new Shape(c.M, c.K);
        var sb = c.TransposeB ? new Shape(c.N, c.K) : new Shape(c.K, c.N);
        var sc = new Shape(c.M, c.N);
        T[] a = Values<T>(sa.Length, c.Values, random), b = Values<T>(sb.Length, c.Values, random);
        var dispatched = Enumerable.Repeat(T.NaN, sc.Length).ToArray(); // every element must be overwritten
        Gemm.Multiply(a, sa, c.TransposeA, b, sb, c.TransposeB, dispatched, sc);
        // the kernel Aᵀ·Bᵀ runs is B·A's
        GemmChoice choice = c.TransposeA && c.TransposeB ? Gemm.Choose<T>(sb, false, sc.Transposed) : Gemm.Choose<T>(sa, c.TransposeA, sc);
        string Where(int e) => $"{typeof(T).Name} {c}, {choice}: C[{e / c.N},{e % c.N}]";
        if (choice.Kernel == GemmKernel.Rows)
        {
            // the row kernel (no SIMD, or too small to vectorise): with Bᵀ each element the fixed-order inner product of
            // LaneSums (it was TensorPrimitives.Dot, whose order followed the machine's width); otherwise (Aᵀ·Bᵀ too: B·A) the
            // rows of B scaled and added element-wise in p order from +0 (TensorPrimitives.MultiplyAdd, (x·y) + addend rounded twice)
            var rows = new T[sc.Length];
            for (int i = 0; i < c.M; i++)
            {
                for (int j = 0; j < c.N; j++)
                {
                    T[] ai = [.. Enumerable.Range(0, c.K).Select(p => a[c.TransposeA ? p * c.M + i : i * c.K + p])];
                    T[] bj = [.. Enumerable.Range(0, c.K).Select(p => b[c.TransposeB ? j * c.K + p : p * c.N + j])];
                    T sum = T.Zero;
                    for (int p = 0; p < c.K; p++)
                    {
                        sum = ai[p] * bj[p] + sum;
                    }
                    rows[i * c.N + j] = c.TransposeB && !c.TransposeA ? LaneSumsTests.FixedOrder(ai, bj, (q, x, y) => T.FusedMultiplyAdd(x, y, q)) : sum;
                }
            }
            AssertSameBits(rows, dispatched, e => Where(e) + ", the row kernel's order");
            return;
        }
        if (choice.Kernel is GemmKernel.Small or GemmKernel.Packed)
        {
            Assert.Equal(Math512<T>.IsSupported, choice.Wide512);
            foreach (bool transposedResult in new[] { false, true })
            {
                var narrow = choice with { Wide512 = false, TransposedResult = transposedResult, Lanes = Math256<T>.Count };
                AssertSameBits(At(narrow, a, sa, c.TransposeA, b, sb, c.TransposeB, sc), dispatched,
                    e => Where(e) + $", the machine's width vs 256 bits{(transposedResult ? " computing Cᵀ" : "")}");
                if (Math512<T>.IsSupported)
                {
                    var wide = choice with { Wide512 = true, TransposedResult = transposedResult, Lanes = Math512<T>.Count };
                    AssertSameBits(At(wide, a, sa, c.TransposeA, b, sb, c.TransposeB, sc), dispatched,
                        e => Where(e) + $", the machine's width vs 512 bits{(transposedResult ? " computing Cᵀ" : "")}");
                }
            }
        }
        if (choice.Kernel == GemmKernel.Small && !(c.TransposeA && c.TransposeB))
        {
            // a compiled plan's row bands: the same tiles over [0, split) and [split, m), at both widths
            int split = random.Next(0, c.M + 1);
            foreach (bool wide in Math512<T>.IsSupported ? new[] { false, true } : [false])
            {
                var band = choice with { Wide512 = wide, Lanes = wide ? Math512<T>.Count : Math256<T>.Count };
                var banded = Enumerable.Repeat(T.NaN, sc.Length).ToArray();
                Gemm.RunRows(band, a, sa, c.TransposeA, b, sb, c.TransposeB, banded, sc, null, 0, split);
                Gemm.RunRows(band, a, sa, c.TransposeA, b, sb, c.TransposeB, banded, sc, null, split, c.M);
                AssertSameBits(dispatched, banded, e => Where(e) + $", rows [0, {split}) and [{split}, {c.M}) at {(wide ? 512 : 256)} bits");
            }
        }
        if (c.K <= 256)
        {
            // every kernel but the row kernel: each element the chain of fused multiply-adds p = 0 … k−1 from +0 (one slice)
            T[] chain = Reference.FusedMultiplyAddChains(a, c.TransposeA, b, c.TransposeB, c.M, c.K, c.N);
            AssertSameBits(chain, dispatched, e => Where(e) + ", against the scalar chain");
        }
    }

    [Fact]
    public void Every_product_gives_the_same_bits_at_the_machines_width_at_256_bits_and_in_both_orientations_in_double() =>
        Properties.Check(GemmCases, GemmAtEveryWidth<double>, cases: 80);

    [Fact]
    public void Every_product_gives_the_same_bits_at_the_machines_width_at_256_bits_and_in_both_orientations_in_float() =>
        Properties.Check(GemmCases, GemmAtEveryWidth<float>, cases: 80);

    // ---- a compiled step's element-wise binary operations (one IEEE operation, vector loops at the machine's width) ----

    public sealed record BinaryCase(int Rows, int Cols, int Kind, int Operator, bool CompiledOperandFirst, int Values, int Seed)
    {
        private static readonly string[] Kinds = ["full ⊕ full", "full ⊕ row", "full ⊕ column", "full ⊕ scalar", "row ⊕ column"];

        public override string ToString() =>
            $"{Rows}×{Cols}, {Kinds[Kind]}{(CompiledOperandFirst ? "" : " (swapped)")}, operator {"+−×÷"[Operator]}, values {Values} (seed {Seed})";
    }

    private static readonly Gen<int> Columns = Gen.Frequency(
        (3, Gen.Choose(1, 300)),
        (2, from v in Gen.Choose(1, 18) from d in Gen.Choose(-1, 1) select Math.Max(1, 16 * v + d)),
        (1, Gen.Elements(8, 16, 24, 32, 48, 64, 80, 96, 128, 256)));

    private static readonly Arbitrary<BinaryCase> BinaryCases = Arb.From(
        from rows in Gen.Frequency((3, Gen.Choose(1, 12)), (1, Gen.Choose(13, 70)))
        from cols in Columns
        from kind in Gen.Choose(0, 4) from op in Gen.Choose(0, 3) from first in Gen.Elements(false, true)
        from values in Gen.Elements(0, 1, 2, 3) from seed in Gen.Choose(0, 10_000)
        select new BinaryCase(rows, cols, kind, op, first, values, seed),
        c => new[] { c with { Rows = c.Rows / 2 }, c with { Cols = c.Cols / 2 }, c with { Values = 0 } }.Where(s => s.Rows > 0 && s.Cols > 0 && s != c));

    private static Tensor<T> Apply<T>(int op, Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        op switch { 0 => x + y, 1 => x - y, 2 => x.Hadamard(y), _ => x / y };

    private static T Apply<T>(int op, T x, T y) where T : unmanaged, IFloatingPointIeee754<T> =>
        op switch { 0 => x + y, 1 => x - y, 2 => x * y, _ => x / y };

    private static void CompiledBinaryOperation<T>(BinaryCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        (Shape first, Shape second) = c.Kind switch
        {
            0 => (new Shape(c.Rows, c.Cols), new Shape(c.Rows, c.Cols)),
            1 => (new Shape(c.Rows, c.Cols), new Shape(1, c.Cols)),
            2 => (new Shape(c.Rows, c.Cols), new Shape(c.Rows, 1)),
            3 => (new Shape(c.Rows, c.Cols), new Shape(1, 1)),
            _ => (new Shape(1, c.Cols), new Shape(c.Rows, 1)),
        };
        T[] xv = Values<T>(first.Length, c.Values, random), yv = Values<T>(second.Length, c.Values, random);
        // the compiled function's argument is one operand, the other a tensor it reads on every call
        var x = Tensor.FromRowMajor(first.Rows, first.Cols, xv);
        var y = Tensor.FromRowMajor(second.Rows, second.Cols, yv);
        var compiled = c.CompiledOperandFirst
            ? Tensor.CompileForward((Tensor<T> t) => Apply(c.Operator, t, y))
            : Tensor.CompileForward((Tensor<T> t) => Apply(c.Operator, y, t));
        T[] result = compiled.Run(x).ToFlatArray();
        var expected = new T[c.Rows * c.Cols];
        for (int i = 0; i < c.Rows; i++)
        {
            for (int j = 0; j < c.Cols; j++)
            {
                T u = xv[(first.Rows == 1 ? 0 : i) * first.Cols + (first.Cols == 1 ? 0 : j)];
                T v = yv[(second.Rows == 1 ? 0 : i) * second.Cols + (second.Cols == 1 ? 0 : j)];
                expected[i * c.Cols + j] = c.CompiledOperandFirst ? Apply(c.Operator, u, v) : Apply(c.Operator, v, u);
            }
        }
        AssertSameBits(expected, result, e => $"{typeof(T).Name} {c}: element [{e / c.Cols},{e % c.Cols}] of the compiled result");
    }

    [Fact]
    public void A_compiled_element_wise_operation_gives_each_element_its_one_rounding_at_every_width_in_double() =>
        Properties.Check(BinaryCases, CompiledBinaryOperation<double>, cases: 150);

    [Fact]
    public void A_compiled_element_wise_operation_gives_each_element_its_one_rounding_at_every_width_in_float() =>
        Properties.Check(BinaryCases, CompiledBinaryOperation<float>, cases: 150);

    // ---- a compiled product with a row operation in its epilogue (SmallGemm at the machine's width, in a plan) ----

    public sealed record EpilogueCase(int M, int K, int N, bool TransposeA, bool TransposeB, int Operator, bool ProductFirst, int Values, int Seed)
    {
        public override string ToString() =>
            $"{(TransposeA ? "Aᵀ" : "A")}·{(TransposeB ? "Bᵀ" : "B")} with m = {M}, k = {K}, n = {N}, operator {"+−×÷"[Operator]} with a row, product {(ProductFirst ? "first" : "second")}, values {Values} (seed {Seed})";
    }

    /// <summary>n a whole number of 16 (every width's vectors: the epilogue runs), or of 8 (at 512 bits in double only), or any.</summary>
    private static readonly Arbitrary<EpilogueCase> EpilogueCases = Arb.From(
        from m in Gen.Choose(1, 40) from k in Gen.Frequency((1, Gen.Choose(1, 4)), (3, Gen.Choose(5, 60)))
        from n in Gen.Frequency((2, Gen.Choose(1, 6).Select(v => 16 * v)), (1, Gen.Choose(1, 9).Select(v => 8 * v)), (1, Gen.Choose(1, 100)))
        from ta in Gen.Elements(false, true) from tb in Gen.Elements(false, true)
        from op in Gen.Choose(0, 3) from first in Gen.Elements(false, true)
        from values in Gen.Elements(0, 1, 2, 3) from seed in Gen.Choose(0, 10_000)
        select new EpilogueCase(m, k, n, ta, tb, op, first, values, seed),
        c => new[] { c with { M = c.M / 2 }, c with { K = c.K / 2 }, c with { Values = 0 } }.Where(s => s.M > 0 && s.K > 0 && s != c));

    private static void CompiledProductAndRow<T>(EpilogueCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        var sa = c.TransposeA ? new Shape(c.K, c.M) : new Shape(c.M, c.K);
        var sb = c.TransposeB ? new Shape(c.N, c.K) : new Shape(c.K, c.N);
        T[] av = Values<T>(sa.Length, c.Values, random), bv = Values<T>(sb.Length, c.Values, random), rv = Values<T>(c.N, c.Values, random);
        var a = Tensor.FromRowMajor(sa.Rows, sa.Cols, av);
        var b = Tensor.FromRowMajor(sb.Rows, sb.Cols, bv);
        var row = Tensor.FromRowMajor(1, c.N, rv);
        Tensor<T> F(Tensor<T> x)
        {
            var product = Tensor<T>.MatMul(x, b, c.TransposeA, c.TransposeB);
            return c.ProductFirst ? Apply(c.Operator, product, row) : Apply(c.Operator, row, product);
        }
        var compiled = Tensor.CompileForward<T>(F);
        T[] result = compiled.Run(a).ToFlatArray();
        string Where(int e) => $"{typeof(T).Name} {c}: element [{e / c.N},{e % c.N}]";
        AssertSameBits(F(a).ToFlatArray(), result, e => Where(e) + $" of the compiled result against the eager one (plan: {compiled.DescribePlan()})");
        if (c.K <= 256 && Gemm.Choose<T>(sa, c.TransposeA, new Shape(c.M, c.N)).Kernel != GemmKernel.Rows && !(c.TransposeA && c.TransposeB))
        {
            var expected = new T[c.M * c.N];
            for (int i = 0; i < c.M; i++)
            {
                for (int j = 0; j < c.N; j++)
                {
                    T sum = T.Zero;
                    for (int p = 0; p < c.K; p++)
                    {
                        sum = T.FusedMultiplyAdd(av[c.TransposeA ? p * c.M + i : i * c.K + p], bv[c.TransposeB ? j * c.K + p : p * c.N + j], sum);
                    }
                    expected[i * c.N + j] = c.ProductFirst ? Apply(c.Operator, sum, rv[j]) : Apply(c.Operator, rv[j], sum);
                }
            }
            AssertSameBits(expected, result, e => Where(e) + " against the scalar chain and the operator");
        }
    }

    [Fact]
    public void A_compiled_product_with_a_row_operation_gives_the_eager_bits_and_the_chain_then_the_operator_in_double() =>
        Properties.Check(EpilogueCases, CompiledProductAndRow<double>, cases: 100);

    [Fact]
    public void A_compiled_product_with_a_row_operation_gives_the_eager_bits_and_the_chain_then_the_operator_in_float() =>
        Properties.Check(EpilogueCases, CompiledProductAndRow<float>, cases: 100);

    // ---- plain SGD: p ← FMA(−η, g, p) in the machine's widest vectors, then 256 bits, then scalars ----

    private static void PlainSgd<T>((int Length, int Values, int Seed) c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        T[] p = Values<T>(c.Length, c.Values, random), g = Values<T>(c.Length, c.Values, random);
        var parameter = Tensor.FromRowMajor(1, c.Length, p, requiresGrad: true);
        // ∂/∂p of Σ p ⊙ g is g exactly (1 · g)
        (parameter.Hadamard(Tensor.FromRowMajor(1, c.Length, g))).Sum().Backward();
        Assert.Equal(g.Select(v => v.ToString()), parameter.Grad!.ToFlatArray().Select(v => v.ToString()));
        const double rate = 0.3;
        new Sgd<T>([parameter], rate).Step();
        T[] stepped = parameter.ToFlatArray();
        T minusRate = T.CreateChecked(-rate);
        AssertSameBits([.. p.Select((v, k) => T.FusedMultiplyAdd(minusRate, g[k], v))], stepped,
            k => $"{typeof(T).Name} SGD over {c.Length} (values {c.Values}, seed {c.Seed}): parameter {k}");
    }

    private static readonly Arbitrary<(int Length, int Values, int Seed)> SgdCases = Arb.From(
        from length in Gen.Frequency((3, Gen.Choose(1, 300)), (1, from v in Gen.Choose(0, 18) from r in Gen.Choose(1, 31) select 16 * v + r))
        from values in Gen.Elements(0, 1, 2, 3) from seed in Gen.Choose(0, 10_000)
        select (length, values, seed));

    [Fact]
    public void Plain_sgd_gives_every_parameter_its_fused_multiply_add_at_every_width_in_double() =>
        Properties.Check(SgdCases, PlainSgd<double>, cases: 100);

    [Fact]
    public void Plain_sgd_gives_every_parameter_its_fused_multiply_add_at_every_width_in_float() =>
        Properties.Check(SgdCases, PlainSgd<float>, cases: 100);
}
