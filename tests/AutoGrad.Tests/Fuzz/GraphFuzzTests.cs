using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Fuzz;

/// <summary>
/// Random expression graphs — depth up to 8, every element-wise op of the operation catalogue (a new one joins by
/// itself), transposes, products and reductions, broadcasting on either side, shared subexpressions and inputs
/// (fan-out), scalars mixed in — checked against finite differences. A failure shrinks
/// to a smaller graph of the same shape and prints as a formula.
/// </summary>
public class GraphFuzzTests
{
    /// <summary>
    /// 300 graphs: each has up to ~30 nodes and up to 16 inputs of at most 6×6, and its full Jacobian is checked
    /// (one backward pass per output element, two forward passes per input element), about 10 ms a graph. Every
    /// op kind appears in roughly a third to a half of the graphs, so 300 exercise each one a hundred times or more
    /// in varied company while the property takes a few seconds.
    /// </summary>
    private const int Cases = 300;

    /// <summary>The input shapes: every combination of the case's dimensions r, c, k and 1.</summary>
    public sealed record Pool(int R, int C, int K)
    {
        public int[] Dims => [1, R, C, K];

        public Shape[] Shapes => Dims.SelectMany(a => Dims.Select(b => new Shape(a, b))).Distinct().ToArray();

        public Input Input(Shape shape) => new(Array.IndexOf(Shapes, shape), shape);
    }

    public sealed record Case(Pool Pool, Expr Expression, Matrix[] Values)
    {
        public override string ToString()
        {
            // every digit of the values (the inputs have six decimals), so a failure can be rebuilt from the message alone
            var used = Used(Expression).Distinct().OrderBy(i => i.Index);
            return $"{Expression}   [{Expression.Shape}, {Expression.Size} nodes]\n" +
                   string.Join("\n", used.Select(i => $"  x{i.Index} = {Values[i.Index].Rows}×{Values[i.Index].Cols} " +
                       $"[{string.Join(", ", Values[i.Index].Values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]"));
        }

        private static IEnumerable<Input> Used(Expr e) => e is Input i ? [i] : e.Children.SelectMany(Used);
    }

    private static readonly string[] UnaryOps = FuzzOps.Unary.Select(d => d.Name).ToArray();
    private static readonly string[] BinaryOps = FuzzOps.Binary.Select(d => d.Name).ToArray();

    internal static Gen<Expr> Node(Pool pool, Shape shape, int depth, int budget)
    {
        Gen<Expr> leaf = Gen.Constant<Expr>(pool.Input(shape));
        if (depth == 0 || budget <= 1)
        {
            return leaf;
        }
        int half = budget / 2;
        Gen<Expr> Sub(Shape s, int b) => Node(pool, s, depth - 1, b);
        Gen<Shape> Broadcastable = Gen.Elements(shape, new Shape(1, shape.Cols), new Shape(shape.Rows, 1), new Shape(1, 1));
        Gen<Shape> AnyShape = Gen.Elements(pool.Shapes);

        var choices = new List<(int, Gen<Expr>)>
        {
            (1, leaf),
            (4, from op in Gen.Elements(UnaryOps) from x in Sub(shape, budget - 1) select (Expr)new Unary(op, x)),
            (1, from x in Sub(shape.Transposed, budget - 1) select (Expr)new Transposed(x)),
            (3, from op in Gen.Elements(BinaryOps) from rs in Broadcastable
                from l in Sub(shape, half) from r in Sub(rs, half) select (Expr)new Binary(op, l, r)),
            (1, from op in Gen.Elements(BinaryOps) from ls in Broadcastable
                from l in Sub(ls, half) from r in Sub(shape, half) select (Expr)new Binary(op, l, r)),
            (2, from op in Gen.Elements(BinaryOps) from inner in Gen.Elements(UnaryOps)
                from x in Sub(shape, budget - 2) select (Expr)new FanOut(op, inner, x)),
            (1, from kind in Gen.Elements(Enum.GetValues<ScalarKind>()) from k in Gen.Elements(0.5, -0.75, 1.5, 2.0, -2.0)
                from x in Sub(shape, budget - 1) select (Expr)new WithScalar(kind, k, x)),
            (2, from m in Gen.Elements(pool.Dims) from l in Sub(new Shape(shape.Rows, m), half) from r in Sub(new Shape(m, shape.Cols), half)
                select (Expr)new MatMul(l, r)),
            (1, from x in Sub(shape, budget - 1) select (Expr)new Reduce(ReduceKind.BroadcastBack, x)),
        };
        if (shape.IsScalar)
        {
            choices.Add((2, from kind in Gen.Elements(ReduceKind.Sum, ReduceKind.Mean) from s in AnyShape from x in Sub(s, budget - 1) select (Expr)new Reduce(kind, x)));
        }
        if (shape.Rows == 1)
        {
            choices.Add((1, from m in Gen.Elements(pool.Dims) from x in Sub(new Shape(m, shape.Cols), budget - 1) select (Expr)new Reduce(ReduceKind.SumRows, x)));
        }
        if (shape.Cols == 1)
        {
            choices.Add((1, from m in Gen.Elements(pool.Dims) from x in Sub(new Shape(shape.Rows, m), budget - 1) select (Expr)new Reduce(ReduceKind.SumCols, x)));
        }
        return Gen.Frequency(choices.ToArray());
    }

    /// <summary>Input values in ±[0.1, 1.5] with six random decimals: away from ReLU's kink, and unlikely to tie.</summary>
    internal static readonly Gen<double> InputValue =
        Gen.Choose(100_000, 1_500_000).SelectMany(k => Gen.Elements(-1.0, 1.0).Select(s => s * k / 1e6));

    public static readonly Arbitrary<Case> Graphs = Arb.From(
        from r in Gen.Choose(1, 6)
        from c in Gen.Choose(1, 6)
        from k in Gen.Choose(1, 6)
        let pool = new Pool(r, c, k)
        from outputShape in Gen.Elements(pool.Shapes)
        from depth in Gen.Choose(1, 8)
        from budget in Gen.Choose(2, 30)
        from expression in Node(pool, outputShape, depth, budget)
        from values in Gen.CollectToArray(pool.Shapes.Select(s => Gens.MatrixOf(s.Rows, s.Cols, InputValue)))
        select new Case(pool, expression, values),
        c => c.Expression.Shrink().Select(e => c with { Expression = e }));

    /// <summary>
    /// The environment variable that replays one failing case: FsCheck's "Replay directly at failing step with
    /// (seed, gamma, size)", written <c>seed,gamma,size</c>.
    /// </summary>
    public const string ReplayVariable = "AUTOGRAD_FUZZ_REPLAY";

    [Fact]
    public void Random_graphs_have_tape_gradients_equal_to_finite_differences()
    {
        var config = Properties.Replaying(ReplayVariable) ?? Properties.Configuration(Cases);
        Prop.ForAll(Graphs, (Case c) => TapeEqualsFiniteDifferences(c)).Check(config);
    }

    internal static void TapeEqualsFiniteDifferences(Case c)
    {
        var inputs = c.Values.Select((m, i) => m.ToTensor(name: $"x{i}")).ToArray();
        FuzzOps.ResetKinkDistance();
        var nodes = new Dictionary<Expr, Tensor<double>>();
        var value = c.Expression.Evaluate(inputs, nodes);
        if (FuzzOps.KinkDistance < 1e-4)
        {
            return; // within 100 finite-difference steps of a kink: the check could not tell right from wrong
        }
        if (nodes.Values.Any(node => !AllFinite(node)) || !AllFinite(value))
        {
            // a value overflowed (e.g. exp(u + u²) with u = 125), perhaps only inside: relu(3·tanh(e^713)) is 3, but
            // the tape's e^713 = ∞ meets a gradient of 0 there and gives 0·∞ = NaN (as PyTorch does) — there is no
            // finite derivative through it to check
            return;
        }
        Tensor<double> F(Tensor<double>[] x) => c.Expression.Evaluate(x, new Dictionary<Expr, Tensor<double>>());
        double largestOutput = value.ToFlatArray().Select(Math.Abs).Max();
        const double eps = 1e-6, rtol = 1e-5;
        double atol = 1e-6 + 1e-9 * largestOutput;
        GradCheckReport report = GradCheck.Run(F, inputs, eps, atol, rtol);
        if (report.Passed)
        {
            return;
        }
        // The default atol assumes the output is computed to within a few ulps. An ill-conditioned graph computes it
        // less well (exp(u³) at u³ = 27 turns an ulp of u³ into 27 ulps of the result; 5e11 ± 4e-3 moved a central
        // difference by 3e3 where 532 was allowed): measure that rounding noise where the check failed and allow it.
        double noise = RoundingNoise(F, inputs, report.InputIndex, report.Row, report.Col, report.OutputRow, report.OutputCol, eps);
        report = GradCheck.Run(F, inputs, eps, atol + 2 * noise / eps, rtol);
        Assert.True(report.Passed, $"{report}\n(rounding noise of the output measured at the failing element: {noise:G3}, allowed 2·noise/eps = {2 * noise / eps:G3} more)");
    }

    private static bool AllFinite(Tensor<double> t)
    {
        foreach (double v in t.AsSpan())
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The largest rounding error of output element (<paramref name="outputRow"/>, <paramref name="outputCol"/>) as input
    /// element (<paramref name="row"/>, <paramref name="col"/>) of input <paramref name="input"/> moves across ±eps: a
    /// quarter of the largest second difference of 17 samples eps/8 apart. The function's own second difference there
    /// is f″·(eps/8)² — below 1e-14·f″ — so what the second differences show is rounding: a central difference over
    /// eps is off by at most (δ₊ + δ₋)/(2·eps) ≤ noise/eps from it.
    /// </summary>
    internal static double RoundingNoise(Func<Tensor<double>[], Tensor<double>> f, Tensor<double>[] inputs, int input, int row, int col,
        int outputRow, int outputCol, double eps)
    {
        var samples = new double[17];
        double[] original = inputs[input].ToFlatArray();
        int cols = inputs[input].Cols;
        for (int k = 0; k < samples.Length; k++)
        {
            double[] moved = (double[])original.Clone();
            moved[row * cols + col] += (k - 8) * eps / 8;
            var shifted = (Tensor<double>[])inputs.Clone();
            shifted[input] = Tensor.FromRowMajor(inputs[input].Rows, cols, moved);
            samples[k] = f(shifted)[outputRow, outputCol];
        }
        double largest = 0;
        for (int k = 1; k < samples.Length - 1; k++)
        {
            largest = Math.Max(largest, Math.Abs(samples[k + 1] - 2 * samples[k] + samples[k - 1]) / 4);
        }
        return largest;
    }

    [Fact]
    public void The_generator_reaches_every_op_and_deep_graphs()
    {
        var sample = Properties.Sample(Graphs.Generator, size: 300, count: 200); // size 300: full-depth graphs
        var kinds = sample.SelectMany(c => All(c.Expression)).Select(e => e switch
        {
            Unary u => u.Op,
            Transposed => "Transpose",
            Binary b => b.Op,
            FanOut => "FanOut",
            WithScalar s => s.Kind.ToString(),
            MatMul => "MatMul",
            Reduce r => r.Kind.ToString(),
            _ => "Input",
        }).ToHashSet();
        var expected = UnaryOps.Concat(BinaryOps).Concat(Enum.GetNames<ScalarKind>())
            .Concat(Enum.GetNames<ReduceKind>()).Concat(["FanOut", "MatMul", "Input", "Transpose"]);
        Assert.Empty(expected.Except(kinds));
        Assert.Contains(sample, c => Depth(c.Expression) >= 6);

        static IEnumerable<Expr> All(Expr e) => [e, .. e.Children.SelectMany(All)];
        static int Depth(Expr e) => 1 + e.Children.Select(Depth).DefaultIfEmpty(0).Max();
    }
}
