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

public enum UnaryKind { Sigmoid, Tanh, ExpOfTanh, LogOfSquarePlusOne, Neg, Relu, CubeOfTanh, Square, Transpose }

public sealed record Unary(UnaryKind Kind, Expr X) : Expr(Kind == UnaryKind.Transpose ? X.Shape.Transposed : X.Shape)
{
    public override IEnumerable<Expr> Children => [X];

    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo)
    {
        var x = X.Evaluate(inputs, memo);
        return Kind switch
        {
            UnaryKind.Sigmoid => x.Sigmoid(),
            UnaryKind.Tanh => x.Tanh(),
            UnaryKind.ExpOfTanh => x.Tanh().Exp(),
            UnaryKind.LogOfSquarePlusOne => (x.Square() + 1.0).Log(),
            UnaryKind.Neg => -x,
            UnaryKind.Relu => x.Relu(),
            UnaryKind.CubeOfTanh => x.Tanh().Pow(3),
            UnaryKind.Square => x.Square(),
            _ => x.Transpose(),
        };
    }

    public override IEnumerable<Expr> Shrink() => SameShapedDescendants().Concat(X.Shrink().Select(x => this with { X = x }));

    public override string ToString() => Kind switch
    {
        UnaryKind.Sigmoid => $"σ({X})",
        UnaryKind.Tanh => $"tanh({X})",
        UnaryKind.ExpOfTanh => $"exp(tanh({X}))",
        UnaryKind.LogOfSquarePlusOne => $"log({X}² + 1)",
        UnaryKind.Neg => $"−({X})",
        UnaryKind.Relu => $"relu({X})",
        UnaryKind.CubeOfTanh => $"tanh({X})^3",
        UnaryKind.Square => $"({X})²",
        _ => $"({X})ᵀ",
    };
}

public enum BinaryKind { Add, Sub, Hadamard, DivBySquarePlusOne }

/// <summary>An element-wise binary op; the right operand may be a row, a column or a scalar (broadcast).</summary>
public sealed record Binary(BinaryKind Kind, Expr L, Expr R) : Expr(new Shape(Math.Max(L.Shape.Rows, R.Shape.Rows), Math.Max(L.Shape.Cols, R.Shape.Cols)))
{
    public override IEnumerable<Expr> Children => [L, R];

    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo)
    {
        return Combine(Kind, L.Evaluate(inputs, memo), R.Evaluate(inputs, memo));
    }

    /// <summary>The binary op itself; the divisor is r² + 1, so it never reaches a pole.</summary>
    public static Tensor<double> Combine(BinaryKind kind, Tensor<double> l, Tensor<double> r) => kind switch
    {
        BinaryKind.Add => l + r,
        BinaryKind.Sub => l - r,
        BinaryKind.Hadamard => l * r,
        _ => l / (r.Square() + 1.0),
    };

    public override IEnumerable<Expr> Shrink() =>
        SameShapedDescendants().Concat(L.Shrink().Select(l => this with { L = l })).Concat(R.Shrink().Select(r => this with { R = r }));

    public override string ToString() => Kind switch
    {
        BinaryKind.Add => $"({L} + {R})",
        BinaryKind.Sub => $"({L} − {R})",
        BinaryKind.Hadamard => $"({L} ⊙ {R})",
        _ => $"({L} / ({R}² + 1))",
    };
}

/// <summary>The same subexpression used twice: op(X, g(X)) evaluates X once, so the node fans out.</summary>
public sealed record FanOut(BinaryKind Kind, UnaryKind Inner, Expr X) : Expr(X.Shape)
{
    public override IEnumerable<Expr> Children => [X];

    public override Tensor<double> Eval(Tensor<double>[] inputs, Dictionary<Expr, Tensor<double>> memo)
    {
        return Binary.Combine(Kind, X.Evaluate(inputs, memo), new Unary(Inner, X).Eval(inputs, memo));
    }

    public override IEnumerable<Expr> Shrink() => [X, .. X.Shrink().Select(x => this with { X = x })];

    public override string ToString() => $"let u = {X} in {new Binary(Kind, new Named("u", X.Shape), new Unary(Inner, new Named("u", X.Shape)))}";
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
