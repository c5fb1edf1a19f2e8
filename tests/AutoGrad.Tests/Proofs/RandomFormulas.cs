namespace AutoGrad.Tests.Proofs;

/// <summary>
/// Random well-shaped formulas over named dimensions n, m, k (and 1), pairs of them equal by a known identity, and
/// pairs differing by one small change; plus an evaluator through the tape's own operations, independent of the prover.
/// </summary>
public sealed class RandomFormulas(Random random)
{
    private static readonly string[] Dims = ["n", "m", "k", "1"];

    private static readonly string[] Functions = ["σ", "σ′", "tanh", "tanh′", "relu", "relu′", "exp", "softplus", "softplus′", "²", "−"];

    /// <summary>Two names for every shape over the dimensions: Anm, Bnm, An1, …</summary>
    public static ProofContext Context()
    {
        var context = new ProofContext();
        foreach (var r in Dims) foreach (var c in Dims) foreach (var letter in new[] { "A", "B" }) context.Declare(letter + r + c, r, c);
        return context;
    }

    /// <summary>A size for a named dimension: 1, 2 or 3.</summary>
    public int Size() => random.Next(1, 4);

    private string Dim() => Dims[random.Next(Dims.Length)];

    public SymbolicExpression Formula(int depth) => Of(Dim(), Dim(), depth);

    /// <summary>A formula of shape r×c.</summary>
    public SymbolicExpression Of(string r, string c, int depth)
    {
        if (depth == 0 || random.Next(5) == 0) return new SymbolName((random.Next(2) == 0 ? "A" : "B") + r + c);
        int d = depth - 1;
        switch (random.Next(11))
        {
            case 0:
            case 1:
            {
                string inner = Dim();
                return new SymbolBinary("·", Of(r, inner, d), Of(inner, c, d));
            }
            case 2: return new SymbolFunction("ᵀ", Of(c, r, d));
            case 3: return new SymbolBinary(random.Next(2) == 0 ? "+" : "−", Of(r, c, d), Broadcastable(r, c, d));
            case 4: return new SymbolBinary("⊙", Broadcastable(r, c, d), Of(r, c, d));
            case 5: return new SymbolFunction(Functions[random.Next(Functions.Length)], Of(r, c, d));
            case 6: return new SymbolBinary("⊙", new SymbolConstant(new[] { 2, -1, 0.5, 3 }[random.Next(4)]), Of(r, c, d));
            case 7 when r == "1" && c == "1": return new SymbolFunction("Σ", Of(Dim(), Dim(), d));
            case 8 when r == "1": return new SymbolFunction("Σrows", Of(Dim(), c, d));
            case 9 when c == "1": return new SymbolFunction("Σcols", Of(r, Dim(), d));
            default: return new SymbolBinary("+", Of(r, c, d), Of(r, c, d));
        }
    }

    private SymbolicExpression Broadcastable(string r, string c, int depth) => random.Next(4) switch
    {
        0 => Of("1", c, depth),
        1 => Of(r, "1", depth),
        _ => Of(r, c, depth),
    };

    /// <summary>An equal formula: one identity applied at one random place (or at the root).</summary>
    public SymbolicExpression Equal(SymbolicExpression e)
    {
        var nodes = Nodes(e).ToList();
        var target = nodes[random.Next(nodes.Count)];
        return Replace(e, target, Identity(target));
    }

    private SymbolicExpression Identity(SymbolicExpression e) => e switch
    {
        SymbolBinary { Operator: "·" } b when random.Next(2) == 0 => T(new SymbolBinary("·", T(b.Right), T(b.Left))),    // AB = (BᵀAᵀ)ᵀ
        SymbolBinary { Operator: "·", Left: var a, Right: SymbolBinary { Operator: "+" or "−" } s } when SameShape(s.Left, s.Right) => // A(B ± C) = AB ± AC, not when C broadcasts
            new SymbolBinary(s.Operator, new SymbolBinary("·", a, s.Left), new SymbolBinary("·", a, s.Right)),
        SymbolBinary { Operator: "⊙" or "+" } b => new SymbolBinary(b.Operator, b.Right, b.Left),                          // commutativity
        SymbolBinary { Operator: "−" } b => new SymbolBinary("+", b.Left, new SymbolFunction("−", b.Right)),
        SymbolFunction { Function: "σ′" } f => new SymbolBinary("⊙", new SymbolFunction("σ", f.Argument),
            new SymbolBinary("−", new SymbolConstant(1), new SymbolFunction("σ", f.Argument))),
        SymbolFunction { Function: "tanh′" } f => new SymbolBinary("−", new SymbolConstant(1), new SymbolFunction("²", new SymbolFunction("tanh", f.Argument))),
        SymbolFunction { Function: "ᵀ", Argument: SymbolBinary { Operator: "⊙" or "+" or "−" } b } =>                       // (A ⊙ B)ᵀ = Aᵀ ⊙ Bᵀ
            new SymbolBinary(b.Operator, T(b.Left), T(b.Right)),
        SymbolFunction { Function: "Σ" } f => new SymbolFunction("Σ", T(f.Argument)),
        SymbolFunction { Function: "Σrows" } f => T(new SymbolFunction("Σcols", T(f.Argument))),
        SymbolFunction { Function: "²" } f => new SymbolBinary("⊙", f.Argument, f.Argument),
        SymbolFunction { Function: "relu" } f => new SymbolBinary("⊙", f.Argument, new SymbolFunction("relu′", f.Argument)),  // relu(z) = z ⊙ relu′(z)
        SymbolFunction { Function: "relu′" } f => new SymbolBinary("⊙", f, new SymbolFunction("relu′", f.Argument)),          // an indicator: relu′² = relu′
        SymbolFunction { Function: "softplus′" } f => new SymbolFunction("σ", f.Argument),
        SymbolFunction { Function: "σ" } f when random.Next(2) == 0 =>                                                          // σ(u) = 1 − σ(−u)
            new SymbolBinary("−", new SymbolConstant(1), new SymbolFunction("σ", new SymbolFunction("−", f.Argument))),
        SymbolFunction { Function: "tanh" } f => new SymbolFunction("−", new SymbolFunction("tanh", new SymbolFunction("−", f.Argument))), // odd
        SymbolFunction { Function: "σ" or "exp" } f => new SymbolBinary("/", new SymbolBinary("⊙", f, f), f),              // x ⊙ x / x = x, x never 0
        _ => new SymbolBinary("⊙", new SymbolConstant(0.5), new SymbolBinary("+", e, e)),
    };

    /// <summary>A formula one small change away: a dropped or added transpose, swapped operands, σ for σ′, another constant.</summary>
    public SymbolicExpression Changed(SymbolicExpression e)
    {
        var nodes = Nodes(e).ToList();
        var target = nodes[random.Next(nodes.Count)];
        SymbolicExpression changed = target switch
        {
            SymbolFunction { Function: "ᵀ" } f => f.Argument,
            SymbolFunction { Function: "σ′" } f => new SymbolFunction("σ", f.Argument),
            SymbolFunction { Function: "σ" } f when random.Next(2) == 0 => new SymbolFunction("σ′", f.Argument),
            SymbolFunction { Function: "σ" or "tanh" } f => new SymbolFunction(f.Function, new SymbolFunction("−", f.Argument)), // σ(−u) for σ(u)
            SymbolFunction { Function: "tanh′" } f => new SymbolFunction("tanh", f.Argument),
            SymbolFunction { Function: "relu′" } f => new SymbolFunction("relu", f.Argument),
            SymbolFunction { Function: "relu" } f => new SymbolBinary("/", new SymbolBinary("⊙", f, f), f), // 0/0 where z ≤ 0: not relu
            SymbolFunction { Function: "softplus′" } f => new SymbolFunction("softplus", f.Argument),
            SymbolFunction { Function: "exp" } f => new SymbolFunction("softplus", f.Argument),
            SymbolBinary { Operator: "·" or "−" or "⊙" } b when random.Next(2) == 0 => new SymbolBinary(b.Operator, b.Right, b.Left),
            SymbolBinary { Operator: "−" } b => new SymbolBinary("+", b.Left, b.Right),
            SymbolConstant c => new SymbolConstant(c.Value + 1),
            _ => T(target),
        };
        return Replace(e, target, changed);
    }

    private static readonly ProofContext Shapes = Context();

    private static bool SameShape(SymbolicExpression a, SymbolicExpression b) => new FormulaShapes(Shapes).Of(a) == new FormulaShapes(Shapes).Of(b);

    private static SymbolicExpression T(SymbolicExpression e) => new SymbolFunction("ᵀ", e);

    private static IEnumerable<SymbolicExpression> Nodes(SymbolicExpression e)
    {
        var stack = new Stack<SymbolicExpression>([e]);
        while (stack.Count > 0)
        {
            var x = stack.Pop();
            yield return x;
            if (x is SymbolBinary b) { stack.Push(b.Left); stack.Push(b.Right); }
            if (x is SymbolFunction f) stack.Push(f.Argument);
        }
    }

    private static SymbolicExpression Replace(SymbolicExpression e, SymbolicExpression target, SymbolicExpression with) =>
        ReferenceEquals(e, target) ? with : e switch
        {
            SymbolBinary b => new SymbolBinary(b.Operator, Replace(b.Left, target, with), Replace(b.Right, target, with)),
            SymbolFunction f => new SymbolFunction(f.Function, Replace(f.Argument, target, with)),
            _ => e,
        };

    /// <summary>
    /// Evaluates through the tape's operations (Tensor MatMul, Sigmoid, Sum, …) — not the prover's evaluator — with
    /// values for every name at the given sizes; null when the formula does not multiply at these sizes.
    /// </summary>
    public static double[,]? Evaluate(SymbolicExpression e, IReadOnlyDictionary<string, int> sizes, IReadOnlyDictionary<string, Tensor<double>> values)
    {
        try
        {
            using var noGrad = Tensor.NoGrad();
            return Tape(e).ToArray();
        }
        catch (ArgumentException)
        {
            return null;
        }

        Tensor<double> Tape(SymbolicExpression x) => x switch
        {
            SymbolName n => values[n.Name],
            SymbolConstant c => Tensor.Scalar(c.Value),
            SymbolBinary { Operator: "·" } b => Product(Tape(b.Left), Tape(b.Right)),
            SymbolBinary { Operator: "+" } b => Tape(b.Left) + Tape(b.Right),
            SymbolBinary { Operator: "−" } b => Tape(b.Left) - Tape(b.Right),
            SymbolBinary { Operator: "⊙" } b => Tape(b.Left) * Tape(b.Right),
            SymbolBinary { Operator: "/" } b => Tape(b.Left) / Tape(b.Right),
            SymbolFunction f => f.Function switch
            {
                "ᵀ" => Tape(f.Argument).Transpose(),
                "−" => -Tape(f.Argument),
                "σ" => Tape(f.Argument).Sigmoid(),
                "σ′" => Tape(f.Argument).Sigmoid() is var s ? s * (1.0 - s) : null!,
                "tanh" => Tape(f.Argument).Tanh(),
                "tanh′" => 1.0 - Tape(f.Argument).Tanh().Square(),
                "relu" => Tape(f.Argument).Relu(),
                "relu′" => Indicator(Tape(f.Argument)),
                "exp" => Tape(f.Argument).Exp(),
                "softplus" => Tape(f.Argument).Softplus(),
                "softplus′" => Tape(f.Argument).Sigmoid(),
                "²" => Tape(f.Argument).Square(),
                "Σ" => Tape(f.Argument).Sum(),
                "Σrows" => Tape(f.Argument).Sum(0),
                "Σcols" => Tape(f.Argument).Sum(1),
                _ => throw new NotSupportedException(f.Function),
            },
            _ => throw new NotSupportedException(x.ToText()),
        };

        static Tensor<double> Indicator(Tensor<double> z)
        {
            var m = z.ToArray();
            for (int i = 0; i < m.GetLength(0); i++) for (int j = 0; j < m.GetLength(1); j++) m[i, j] = m[i, j] > 0 ? 1 : 0;
            return Tensor.From(m);
        }

        static Tensor<double> Product(Tensor<double> a, Tensor<double> b) =>
            a.Shape.Cols != b.Shape.Rows && (a.Shape.IsScalar || b.Shape.IsScalar) ? a * b : a.MatMul(b);
    }

    /// <summary>Random values for every declared name at the given sizes of n, m, k.</summary>
    public Dictionary<string, Tensor<double>> Values(IReadOnlyDictionary<string, int> sizes)
    {
        var values = new Dictionary<string, Tensor<double>>(StringComparer.Ordinal);
        foreach (var r in Dims) foreach (var c in Dims) foreach (var letter in new[] { "A", "B" })
        {
            int rows = r == "1" ? 1 : sizes[r], cols = c == "1" ? 1 : sizes[c];
            var m = new double[rows, cols];
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i, j] = random.NextDouble() * 2 - 1;
            values[letter + r + c] = Tensor.From(m);
        }
        return values;
    }
}
