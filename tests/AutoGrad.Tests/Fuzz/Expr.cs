using System.Globalization;

namespace AutoGrad.Tests.Fuzz;

/// <summary>
/// A random expression over a few input matrices, built so every node's shape is known. Evaluating it records a
/// graph on the tape; printing it gives a readable formula, so a shrunk counterexample reads like math.
/// </summary>
public abstract record Expr(Shape Shape)
{
    public abstract Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo);

    /// <summary>Smaller expressions of the same shape: the candidates FsCheck tries when shrinking.</summary>
    public virtual IEnumerable<Expr> Shrink() => [];

    public int Size => 1 + Children.Sum(c => c.Size);

    public virtual IEnumerable<Expr> Children => [];

    protected static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Descendants with this node's shape, nearest first: what a node can shrink to.</summary>
    protected IEnumerable<Expr> SameShapedDescendants() => Descendants().Where(d => d.Shape == Shape);

    private IEnumerable<Expr> Descendants()
    {
        var queue = new Queue<Expr>(Children);
        while (queue.Count > 0)
        {
            var next = queue.Dequeue();
            yield return next;
            foreach (var child in next.Children) queue.Enqueue(child);
        }
    }
}

/// <summary>Input number <c>Index</c> (used wherever it appears: fan-out).</summary>
public sealed record Input(int Index, Shape S) : Expr(S)
{
    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo) => inputs[Index];
    public override string ToString() => $"x{Index}";
}

/// <summary>The element-wise operations of the catalogue, which the fuzzed graphs draw from: a new one joins automatically.</summary>
public static class FuzzOps
{
    internal static readonly OperationDeclaration[] Unary =
        OperationCatalogue.All.Where(d => d.IsElementWise && d.Arity == 1).ToArray();

    internal static readonly OperationDeclaration[] Binary =
        OperationCatalogue.All.Where(d => d.IsElementWise && d.Arity == 2 && d.Broadcasts).ToArray();

    /// <summary>
    /// Maps any value into the op's declared domain: unchanged for the standard one, else smoothly onto
    /// (Min, Max) with c + h·tanh(x), so a logarithm or a divisor never sees zero.
    /// </summary>
    internal static Tensor<double> IntoDomain(OperationDeclaration op, int input, Tensor<double> x)
    {
        var d = op.Domain(input);
        if (d.IsStandard)
        {
            return x;
        }
        double centre = (d.Min + d.Max) / 2, half = (d.Max - d.Min) / 2;
        return x.Tanh() * half + centre;
    }

    /// <summary>
    /// The smallest distance seen, since the last <see cref="ResetKinkDistance"/> on this thread, between an input of a
    /// non-smooth op and one of its kinks (for a maximum: between its two inputs). Finite differences straddling a
    /// kink measure neither one-sided derivative, so a graph evaluated that close to one is no evidence either way.
    /// </summary>
    [ThreadStatic] internal static double KinkDistance;

    internal static void ResetKinkDistance() => KinkDistance = double.PositiveInfinity;

    internal static Tensor<double> Apply(OperationDeclaration op, Tensor<double> x)
    {
        var input = IntoDomain(op, 0, x);
        foreach (double kink in op.Domain(0).Avoid)
        {
            foreach (double v in input.AsSpan())
            {
                KinkDistance = Math.Min(KinkDistance, Math.Abs(v - kink));
            }
        }
        return op.Apply<double>([input]);
    }

    internal static Tensor<double> Apply(OperationDeclaration op, Tensor<double> l, Tensor<double> r)
    {
        Tensor<double> a = IntoDomain(op, 0, l), b = IntoDomain(op, 1, r);
        if (op.TiesAreKinks)
        {
            using (Tensor.NoGrad())
            {
                foreach (double gap in (a - b).AsSpan())
                {
                    KinkDistance = Math.Min(KinkDistance, Math.Abs(gap));
                }
            }
        }
        return op.Apply<double>([a, b]);
    }
}

/// <summary>An element-wise op of the catalogue applied to one subexpression (mapped into the op's domain).</summary>
public sealed record Unary(string Op, Expr X) : Expr(X.Shape)
{
    internal OperationDeclaration Declaration => FuzzOps.Unary.Single(d => d.Name == Op);

    public override IEnumerable<Expr> Children => [X];

    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo) =>
        FuzzOps.Apply(Declaration, X.Evaluate(inputs, memo));

    public override IEnumerable<Expr> Shrink() => SameShapedDescendants().Concat(X.Shrink().Select(x => this with { X = x }));

    public override string ToString() => $"{Op}({X})";
}

/// <summary>The transpose of a subexpression.</summary>
public sealed record Transposed(Expr X) : Expr(X.Shape.Transposed)
{
    public override IEnumerable<Expr> Children => [X];

    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo) => X.Evaluate(inputs, memo).Transpose();

    public override IEnumerable<Expr> Shrink() => SameShapedDescendants().Concat(X.Shrink().Select(x => this with { X = x }));

    public override string ToString() => $"({X})ᵀ";
}

/// <summary>A broadcasting element-wise op of the catalogue; either operand may be a row, a column or a scalar.</summary>
public sealed record Binary(string Op, Expr L, Expr R) : Expr(new Shape(Math.Max(L.Shape.Rows, R.Shape.Rows), Math.Max(L.Shape.Cols, R.Shape.Cols)))
{
    internal OperationDeclaration Declaration => FuzzOps.Binary.Single(d => d.Name == Op);

    public override IEnumerable<Expr> Children => [L, R];

    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo) =>
        FuzzOps.Apply(Declaration, L.Evaluate(inputs, memo), R.Evaluate(inputs, memo));

    public override IEnumerable<Expr> Shrink() =>
        SameShapedDescendants().Concat(L.Shrink().Select(l => this with { L = l })).Concat(R.Shrink().Select(r => this with { R = r }));

    public override string ToString() => $"{Op}({L}, {R})";
}

/// <summary>The same subexpression used twice: op(X, g(X)) evaluates X once, so the node fans out.</summary>
public sealed record FanOut(string Op, string Inner, Expr X) : Expr(X.Shape)
{
    public override IEnumerable<Expr> Children => [X];

    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo)
    {
        var x = X.Evaluate(inputs, memo);
        var inner = FuzzOps.Apply(FuzzOps.Unary.Single(d => d.Name == Inner), x);
        memo[new Unary(Inner, X)] = inner; // a node too, so the overflow guard sees it (Exp(u) = ∞ under a saturated Div domain)
        return FuzzOps.Apply(FuzzOps.Binary.Single(d => d.Name == Op), x, inner);
    }

    public override IEnumerable<Expr> Shrink() => [X, .. X.Shrink().Select(x => this with { X = x })];

    public override string ToString() => $"let u = {X} in {Op}(u, {Inner}(u))";
}

/// <summary>A name standing for a shared subexpression, for printing only.</summary>
public sealed record Named(string Name, Shape S) : Expr(S)
{
    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo) => throw new InvalidOperationException();
    public override string ToString() => Name;
}

public enum ScalarKind { Times, Plus, MinusFrom, DividedBy }

public sealed record WithScalar(ScalarKind Kind, double K, Expr X) : Expr(X.Shape)
{
    public override IEnumerable<Expr> Children => [X];

    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo)
    {
        var x = X.Evaluate(inputs, memo);
        return Kind switch
        {
            ScalarKind.Times => K * x,
            ScalarKind.Plus => x + K,
            ScalarKind.MinusFrom => K - x,
            _ => x / K,
        };
    }

    public override IEnumerable<Expr> Shrink() => [X, .. X.Shrink().Select(x => this with { X = x })];

    public override string ToString() => Kind switch
    {
        ScalarKind.Times => $"{F(K)}·{X}",
        ScalarKind.Plus => $"({X} + {F(K)})",
        ScalarKind.MinusFrom => $"({F(K)} − {X})",
        _ => $"{X}/{F(K)}",
    };
}

public sealed record MatMul(Expr L, Expr R) : Expr(new Shape(L.Shape.Rows, R.Shape.Cols))
{
    public override IEnumerable<Expr> Children => [L, R];

    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo) =>
        L.Evaluate(inputs, memo).MatMul(R.Evaluate(inputs, memo));

    public override IEnumerable<Expr> Shrink() =>
        SameShapedDescendants().Concat(L.Shrink().Select(l => this with { L = l })).Concat(R.Shrink().Select(r => this with { R = r }));

    public override string ToString() => $"({L} · {R})";
}

public enum ReduceKind { Sum, Mean, SumRows, SumCols, BroadcastBack }

/// <summary>Reductions, and a reduction broadcast back to the full shape.</summary>
public sealed record Reduce(ReduceKind Kind, Expr X) : Expr(Kind switch
{
    ReduceKind.Sum or ReduceKind.Mean => new Shape(1, 1),
    ReduceKind.SumRows => new Shape(1, X.Shape.Cols),
    ReduceKind.SumCols => new Shape(X.Shape.Rows, 1),
    _ => X.Shape,
})
{
    public override IEnumerable<Expr> Children => [X];

    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo)
    {
        var x = X.Evaluate(inputs, memo);
        return Kind switch
        {
            ReduceKind.Sum => x.Sum(),
            ReduceKind.Mean => x.Mean(),
            ReduceKind.SumRows => x.Sum(0),
            ReduceKind.SumCols => x.Sum(1),
            _ => x.Sum(0).BroadcastTo(x.Shape),
        };
    }

    public override IEnumerable<Expr> Shrink() => SameShapedDescendants().Concat(X.Shrink().Select(x => this with { X = x }));

    public override string ToString() => Kind switch
    {
        ReduceKind.Sum => $"Σ({X})",
        ReduceKind.Mean => $"mean({X})",
        ReduceKind.SumRows => $"Σrows({X})",
        ReduceKind.SumCols => $"Σcols({X})",
        _ => $"broadcast(Σrows({X}))",
    };
}

public static class ExprEvaluation
{
    /// <summary>Evaluates each distinct node once per run (records are compared by value, so equal subtrees are shared too).</summary>
    public static Tensor<double> Evaluate(this Expr e, Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo)
    {
        if (e is Input)
        {
            return e.Eval(inputs, memo);
        }
        if (!memo.TryGetValue(e, out var value))
        {
            value = e.Eval(inputs, memo);
            memo[e] = value;
        }
        return value;
    }
}
