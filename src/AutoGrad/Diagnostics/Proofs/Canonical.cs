using System.Globalization;
using System.Text;

namespace AutoGrad;

/// <summary>A formula outside the fragment the canonical form covers (an unknown function, too many terms, …).</summary>
internal sealed class OutsideFragmentException(string message) : Exception(message);

/// <summary>
/// The canonical form of a formula in index notation: entry (i, j) as a sum of terms, each an exact coefficient times
/// a sum over dummy indices of a product of indexed factors. A factor is a named matrix at two indices, or an
/// element-wise function — uninterpreted — of a canonicalised argument at two indices. Terms are expanded, dummy
/// indices renamed canonically (the least renaming over all orders), like terms merged and sorted: two formulas with
/// the same canonical form have equal entries for every size of every named dimension and every value.
/// </summary>
internal sealed class CanonicalForm(IReadOnlyList<(string Key, Rational Coefficient)> terms)
{
    public IReadOnlyList<(string Key, Rational Coefficient)> Terms => terms;

    public string Key { get; } = terms.Count == 0 ? "0" : string.Join(" + ", terms.Select(t => $"{t.Coefficient}*{t.Key}"));

    public override string ToString() => Key;
}

/// <summary>Builds canonical forms (see <see cref="CanonicalForm"/>).</summary>
internal sealed class CanonicalBuilder(FormulaShapes shapes, int maxTerms = 20_000)
{
    // index ids: ≥ 0 dummies, and three fixed ones
    internal const int Zero = -1, Row = -2, Col = -3;
    private const long MaxOrders = 5040;

    private readonly Dictionary<SymbolicExpression, string> argumentKeys = new(ReferenceEqualityComparer.Instance);
    private int nextDummy;

    /// <summary>
    /// The first factor that can be unbounded (a reciprocal or negative power of something that can be 0, a logarithm)
    /// and that disappeared from a form by cancellation (x − x, a zero coefficient) or a product with 0; null if none.
    /// Such a form equals its formula only where every such factor is finite: (B − B)/relu(A) has the form 0 but is
    /// 0/0 where relu(A) = 0. <see cref="Prover"/> never says "proved" on such a match.
    /// </summary>
    public string? CancelledUnbounded { get; private set; }

    private static bool MayBeUnbounded(string head) =>
        head.Contains("F:^-", StringComparison.Ordinal) || head.Contains("F:log⟨", StringComparison.Ordinal);

    private void NoteLost(IEnumerable<Term> terms)
    {
        if (CancelledUnbounded is null
            && terms.SelectMany(t => t.Factors).FirstOrDefault(f => MayBeUnbounded(f.Head)) is { } lost)
        {
            CancelledUnbounded = lost.Head;
        }
    }

    private sealed record Factor(string Head, int Row, int Col);

    private sealed record Term(Rational Coefficient, IReadOnlyList<Factor> Factors, IReadOnlyList<(int Id, Dimension Range)> Sums);

    public CanonicalForm Canonical(SymbolicExpression e) => Canonicalize(Build(e, Row, Col));

    private List<Term> Build(SymbolicExpression e, int row, int col)
    {
        var shape = shapes.Of(e);
        if (shape.Rows.IsOne) row = Zero;
        if (shape.Columns.IsOne) col = Zero;
        switch (e)
        {
            case SymbolName n:
                if (shapes.Context.DefinitionOf(n.Name) is { } definition)
                {
                    if (shapes.Of(definition) != shape)
                    {
                        throw new FormulaShapeException($"{n.Name} is declared {shape} but its definition {definition.ToText()} is {shapes.Of(definition)}");
                    }
                    return Build(definition, row, col);
                }
                return [new Term(Rational.One, [new Factor("N:" + shapes.Context.Resolve(n.Name), row, col)], [])];
            case SymbolConstant c:
                return c.Value == 0 ? [] : [new Term(Rational.FromDouble(c.Value), [], [])];
            case SymbolBinary b:
                return b.Operator switch
                {
                    "+" => [.. Build(b.Left, row, col), .. Build(b.Right, row, col)],
                    "−" => [.. Build(b.Left, row, col), .. Negate(Build(b.Right, row, col))],
                    "⊙" => Multiply(Build(b.Left, row, col), Build(b.Right, row, col)),
                    "/" => Divide(b, row, col),
                    "·" when shapes.IsScalarProduct(b) => Multiply(Build(b.Left, row, col), Build(b.Right, row, col)),
                    "·" => Contract(b, row, col),
                    _ => throw new OutsideFragmentException($"no rule for the operator {b.Operator}"),
                };
            case SymbolFunction f:
                return Function(f, row, col);
            default:
                throw new OutsideFragmentException($"no rule for {e.GetType().Name}");
        }
    }

    /// <summary>a / b: by an exact reciprocal when b is a non-zero constant (a number, or a name defined as one), else a ⊙ b^-1.</summary>
    private List<Term> Divide(SymbolBinary quotient, int row, int col)
    {
        var divisor = Build(quotient.Right, row, col);
        if (divisor is [{ Factors.Count: 0, Sums.Count: 0 } constant] && !constant.Coefficient.IsZero)
        {
            return Multiply(Build(quotient.Left, row, col), [new Term(constant.Coefficient.Reciprocal, [], [])]);
        }
        return Multiply(Build(quotient.Left, row, col), Build(new SymbolFunction("^-1", quotient.Right), row, col));
    }

    private List<Term> Contract(SymbolBinary product, int row, int col)
    {
        Dimension inner = shapes.Of(product.Left).Columns;
        int k = inner.IsOne ? Zero : nextDummy++;
        var terms = Multiply(Build(product.Left, row, k), Build(product.Right, k, col));
        return k == Zero ? terms : [.. terms.Select(t => t with { Sums = [.. t.Sums, (k, inner)] })];
    }

    private List<Term> Function(SymbolFunction f, int row, int col)
    {
        SymbolicExpression z = f.Argument;
        var argument = shapes.Of(z);
        switch (f.Function)
        {
            case "ᵀ":
                return Build(z, col, row);
            case "−":
                return Negate(Build(z, row, col));
            case "Σ":
            {
                int p = argument.Rows.IsOne ? Zero : nextDummy++, q = argument.Columns.IsOne ? Zero : nextDummy++;
                return SumOver(Build(z, p, q), (p, argument.Rows), (q, argument.Columns));
            }
            case "Σrows":
            {
                int p = argument.Rows.IsOne ? Zero : nextDummy++;
                return SumOver(Build(z, p, col), (p, argument.Rows));
            }
            case "Σcols":
            {
                int q = argument.Columns.IsOne ? Zero : nextDummy++;
                return SumOver(Build(z, row, q), (q, argument.Columns));
            }
            // the known definitions, rewritten before comparing
            case "σ′":
            {
                var s = new SymbolFunction("σ", z);
                return Build(new SymbolBinary("⊙", s, new SymbolBinary("−", new SymbolConstant(1), s)), row, col);
            }
            case "tanh′":
            {
                var t = new SymbolFunction("tanh", z);
                return Build(new SymbolBinary("−", new SymbolConstant(1), new SymbolBinary("⊙", t, t)), row, col);
            }
            case "exp′":
                return Build(new SymbolFunction("exp", z), row, col);
            case "log′":
                return Build(new SymbolFunction("^-1", z), row, col);
            case "softplus′":
                return Build(new SymbolFunction("σ", z), row, col);
            // relu(z) = z ⊙ relu′(z) for every z (both 0 where z ≤ 0); relu′ is an indicator, so relu′ ⊙ relu′ = relu′ (see Normalize)
            case "relu":
                return Build(new SymbolBinary("⊙", z, new SymbolFunction("relu′", z)), row, col);
        }
        if (FormulaFunctions.Exponent(f.Function) is { } negative && negative == Math.Floor(negative) && negative is >= -8 and <= -1
            && Reciprocal(Build(z, row, col)) is { } reciprocal)
        {
            List<Term> power = [new Term(Rational.One, [], [])];
            for (int i = 0; i < -(int)negative; i++) power = Multiply(power, reciprocal);
            return power;
        }
        if (FormulaFunctions.Exponent(f.Function) is { } p2 && p2 == Math.Floor(p2) && p2 is >= 0 and <= 8)
        {
            List<Term> power = [new Term(Rational.One, [], [])];
            // each factor built anew: its dummy indices must not be shared with the other factors'
            for (int i = 0; i < (int)p2; i++) power = Multiply(power, Build(z, row, col));
            return power;
        }
        if (!FormulaFunctions.IsElementwise(f.Function))
        {
            throw new OutsideFragmentException($"no rule for the function {f.Function}");
        }
        // tanh(u) = −tanh(−u) for every u: the argument is kept with its first term (in canonical order) positive. (Not σ(u) =
        // 1 − σ(−u): the sum it gives would stop σ(u) ⊙ σ(u)⁻¹ from cancelling, which needs σ(u) to stay one factor.)
        // at an argument that is 0 by its canonical form: tanh(0) = relu′(0) = 0, σ(0) = ½, exp(0) = 1
        if (f.Function is "tanh" or "relu′" or "σ" or "exp" && Canonical(z).Terms.Count == 0)
        {
            return f.Function switch
            {
                "σ" => [new Term(Rational.Of(1, 2), [], [])],
                "exp" => [new Term(Rational.One, [], [])],
                _ => [],
            };
        }
        if (f.Function == "tanh" && Canonical(z) is { Terms: [var first, ..] } && first.Coefficient.Numerator.Sign < 0)
        {
            return Negate(Build(new SymbolFunction("tanh", new SymbolFunction("−", z)), row, col));
        }
        return [new Term(Rational.One, [new Factor($"F:{f.Function}⟨{ArgumentKey(z)}⟩", row, col)], [])];
    }

    /// <summary>
    /// 1/x of a single product of factors that are never zero — a non-zero constant times σ(…), exp(…) and their
    /// reciprocals — as a product of the reciprocal factors (cancelled against the factors in <see cref="Normalize"/>);
    /// null for anything else (which stays the uninterpreted x^-1: x/x = 1 is false where x = 0).
    /// </summary>
    private static List<Term>? Reciprocal(List<Term> terms) =>
        terms is [{ Sums.Count: 0 } t] && !t.Coefficient.IsZero && t.Factors.All(f => NeverZero(f.Head))
            ? [new Term(t.Coefficient.Reciprocal, [.. t.Factors.Select(f => f with { Head = Inverse(f.Head) })], [])]
            : null;

    private static bool NeverZero(string head) =>
        (head.EndsWith(InverseMark, StringComparison.Ordinal) ? head[..^InverseMark.Length] : head) is var h
        && (h.StartsWith("F:σ⟨", StringComparison.Ordinal) || h.StartsWith("F:exp⟨", StringComparison.Ordinal));

    private const string InverseMark = "⁻¹";

    private static string Inverse(string head) => head.EndsWith(InverseMark, StringComparison.Ordinal) ? head[..^InverseMark.Length] : head + InverseMark;

    /// <summary>A term's factors with x ⊙ x⁻¹ (x never zero) cancelled, and repeated indicators relu′ at the same indices kept once.</summary>
    private static Term Normalize(Term term)
    {
        var factors = new List<Factor>(term.Factors);
        for (int i = 0; i < factors.Count; i++)
        {
            var f = factors[i];
            if (f.Head.EndsWith(InverseMark, StringComparison.Ordinal))
            {
                int partner = factors.FindIndex(g => g.Head == Inverse(f.Head) && g.Row == f.Row && g.Col == f.Col);
                if (partner >= 0)
                {
                    factors.RemoveAt(Math.Max(i, partner));
                    factors.RemoveAt(Math.Min(i, partner));
                    i = -1;
                }
            }
            else if (f.Head.StartsWith("F:relu′⟨", StringComparison.Ordinal) && factors.FindIndex(i + 1, g => g == f) is var twin and >= 0)
            {
                factors.RemoveAt(twin);
                i = -1;
            }
        }
        return factors.Count == term.Factors.Count ? term : term with { Factors = factors };
    }

    private string ArgumentKey(SymbolicExpression z)
    {
        if (!argumentKeys.TryGetValue(z, out var key))
        {
            key = $"{shapes.Of(z)}:{Canonical(z).Key}";
            argumentKeys[z] = key;
        }
        return key;
    }

    private static List<Term> SumOver(List<Term> terms, params (int Id, Dimension Range)[] sums)
    {
        var real = sums.Where(s => s.Id != Zero).ToArray();
        return [.. terms.Select(t => t with { Sums = [.. t.Sums, .. real] })];
    }

    private static List<Term> Negate(List<Term> terms) => [.. terms.Select(t => t with { Coefficient = -t.Coefficient })];

    private List<Term> Multiply(List<Term> a, List<Term> b)
    {
        if ((long)a.Count * b.Count > maxTerms)
        {
            throw new OutsideFragmentException(string.Create(CultureInfo.InvariantCulture, $"the expansion has more than {maxTerms} terms"));
        }
        if (a.Count == 0) NoteLost(b);
        if (b.Count == 0) NoteLost(a);
        var product = new List<Term>(a.Count * b.Count);
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                product.Add(new Term(x.Coefficient * y.Coefficient, [.. x.Factors, .. y.Factors], [.. x.Sums, .. y.Sums]));
            }
        }
        return product;
    }

    private CanonicalForm Canonicalize(List<Term> terms)
    {
        var merged = new Dictionary<string, Rational>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            var (key, coefficient) = TermKey(Normalize(term));
            merged[key] = merged.TryGetValue(key, out var c) ? c + coefficient : coefficient;
        }
        if (CancelledUnbounded is null && merged.FirstOrDefault(kv => kv.Value.IsZero && MayBeUnbounded(kv.Key)) is { Key: not null } gone)
        {
            CancelledUnbounded = gone.Key;
        }
        return new CanonicalForm([.. merged.Where(kv => !kv.Value.IsZero).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value))]);
    }

    /// <summary>The least key over every renaming of the term's dummy indices; a sum over a fixed size no factor uses becomes a coefficient.</summary>
    private static (string Key, Rational Coefficient) TermKey(Term term)
    {
        Rational coefficient = term.Coefficient;
        var used = new HashSet<int>(term.Factors.SelectMany(f => new[] { f.Row, f.Col }));
        var dummies = new List<(int Id, Dimension Range)>();
        foreach (var sum in term.Sums)
        {
            if (!used.Contains(sum.Id) && sum.Range.Name is null) coefficient *= Rational.Of(sum.Range.Size, 1);
            else dummies.Add(sum);
        }
        if (dummies.Count == 0) return (Render(term.Factors, [], new Dictionary<int, int>()), coefficient);

        // Dummies are first ordered by an invariant that does not depend on their names (range, and where each
        // occurs); only dummies with equal invariants are permuted, and the least key over those orders is taken.
        var groups = dummies.GroupBy(d => Invariant(d, term.Factors), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToArray()).ToArray();
        long orders = groups.Aggregate(1L, (n, g) => n * Factorial(g.Length));
        string? best = null;
        if (orders <= MaxOrders)
        {
            foreach (var order in Orders(groups, 0))
            {
                var label = new Dictionary<int, int>();
                for (int i = 0; i < order.Length; i++) label[order[i].Id] = i;
                string key = Render(term.Factors, [.. order.Select(d => d.Range)], label);
                if (best is null || string.CompareOrdinal(key, best) < 0) best = key;
            }
        }
        else
        {
            // too many orders to try: take the invariant order as it is (sound, may miss a match)
            var order = groups.SelectMany(g => g).ToArray();
            var label = new Dictionary<int, int>();
            for (int i = 0; i < order.Length; i++) label[order[i].Id] = i;
            best = Render(term.Factors, [.. order.Select(d => d.Range)], label);
        }
        return (best!, coefficient);
    }

    private static string Render(IReadOnlyList<Factor> factors, Dimension[] ranges, Dictionary<int, int> label)
    {
        var text = new StringBuilder();
        if (ranges.Length > 0) text.Append('Σ').AppendJoin(',', ranges.Select((r, i) => string.Create(CultureInfo.InvariantCulture, $"k{i}:{r}"))).Append(' ');
        text.AppendJoin("*", factors.Select(f => Index(f.Head, f.Row, f.Col, label)).Order(StringComparer.Ordinal));
        return text.Length == 0 ? "1" : text.ToString();
    }

    private static string Index(string head, int row, int col, Dictionary<int, int>? label) => $"{head}[{Name(row, label)},{Name(col, label)}]";

    private static string Name(int id, Dictionary<int, int>? label) => id switch
    {
        Zero => "0",
        Row => "i",
        Col => "j",
        _ => label is null ? "_" : string.Create(CultureInfo.InvariantCulture, $"k{label[id]}"),
    };

    private static string Invariant((int Id, Dimension Range) dummy, IReadOnlyList<Factor> factors)
    {
        string Other(int id) => id == dummy.Id ? "@" : id >= 0 ? "_" : Name(id, null);
        var uses = factors.Where(f => f.Row == dummy.Id || f.Col == dummy.Id).Select(f => $"{f.Head}[{Other(f.Row)},{Other(f.Col)}]").Order(StringComparer.Ordinal);
        return $"{dummy.Range}|{string.Join(";", uses)}";
    }

    private static long Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    /// <summary>Every order of the dummies that keeps the groups in sequence and permutes within each group.</summary>
    private static IEnumerable<(int Id, Dimension Range)[]> Orders((int Id, Dimension Range)[][] groups, int from)
    {
        if (from == groups.Length)
        {
            yield return [];
            yield break;
        }
        var group = groups[from];
        foreach (var permutation in Permutations(group.Length))
        {
            foreach (var rest in Orders(groups, from + 1))
            {
                yield return [.. permutation.Select(i => group[i]), .. rest];
            }
        }
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        var a = Enumerable.Range(0, n).ToArray();
        while (true)
        {
            yield return (int[])a.Clone();
            int i = n - 2;
            while (i >= 0 && a[i] >= a[i + 1]) i--;
            if (i < 0) yield break;
            int j = n - 1;
            while (a[j] <= a[i]) j--;
            (a[i], a[j]) = (a[j], a[i]);
            Array.Reverse(a, i + 1, n - i - 1);
        }
    }
}
