namespace AutoGrad;

/// <summary>
/// Looks for sizes and values at which claim ≠ reference: first the reference network's sizes (the note's shapes),
/// then every assignment of 1..3 to the named dimensions, smallest first; at each, a few random value draws. A found
/// counterexample's values are then simplified one entry at a time (to 0, 1, −1 or one decimal) while it still refutes.
/// </summary>
internal sealed class CounterexampleSearch(ProofContext context, SymbolicExpression claim, SymbolicExpression reference, int seed = 1)
{
    private const int DrawsPerSize = 3;
    private const int MaxAssignments = 81;

    /// <summary>Evaluations done: with no counterexample, the reason for "unknown" quotes it.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Assignments at which both sides were evaluated and agreed.</summary>
    public int Agreements { get; private set; }

    public Counterexample? Find()
    {
        var names = Reachable();
        var leaves = names.Where(n => context.DefinitionOf(n) is null).ToArray();
        var dimensions = context.DimensionsOf(names).Order(StringComparer.Ordinal).ToArray();
        var random = new Random(seed);
        foreach (var sizes in Assignments(dimensions))
        {
            for (int draw = 0; draw < DrawsPerSize; draw++)
            {
                var values = leaves.ToDictionary(n => n, n => Draw(random, n, sizes), StringComparer.Ordinal);
                switch (Compare(sizes, values))
                {
                    case (Outcome.Differ, var found):
                        return Shrink(found!);
                    case (Outcome.ShapeConflict, var found):
                        return found;
                    case (Outcome.NotComparable, _):
                        draw = DrawsPerSize;
                        break;
                }
            }
        }
        return null;
    }

    private enum Outcome { Agree, Differ, ShapeConflict, NotComparable }

    private (Outcome, Counterexample?) Compare(Dictionary<string, int> sizes, Dictionary<string, double[,]> values)
    {
        Evaluations++;
        double[,] right;
        try
        {
            right = new FormulaEvaluator(context, values).Evaluate(reference);
        }
        catch (FormulaShapeException)
        {
            return (Outcome.NotComparable, null);
        }
        double[,] left;
        try
        {
            left = new FormulaEvaluator(context, values).Evaluate(claim);
        }
        catch (FormulaShapeException conflict)
        {
            return (Outcome.ShapeConflict, new Counterexample(sizes, values, null, right, conflict.Message));
        }
        bool sameShape = left.GetLength(0) == right.GetLength(0) && left.GetLength(1) == right.GetLength(1);
        bool transposedShape = left.GetLength(0) == right.GetLength(1) && left.GetLength(1) == right.GetLength(0);
        if (!sameShape && !transposedShape)
        {
            return (Outcome.ShapeConflict, new Counterexample(sizes, values, left, right,
                $"the claim is {FormulaEvaluator.Text(left)} where the reference is {FormulaEvaluator.Text(right)}"));
        }
        // refuted only when the claim equals neither the reference nor (where the shapes allow) its transpose
        bool? equal = sameShape ? Equal(left, right, transpose: false) : null;
        bool? equalTransposed = transposedShape ? Equal(left, right, transpose: true) : null;
        if (equal is null && equalTransposed is null) return (Outcome.NotComparable, null);
        if (equal == true || equalTransposed == true)
        {
            Agreements++;
            return (Outcome.Agree, null);
        }
        return (Outcome.Differ, new Counterexample(sizes, values, left, right, null));
    }

    /// <summary>True/false when the two agree/differ beyond rounding; null when no entry is finite on both sides.</summary>
    private static bool? Equal(double[,] a, double[,] b, bool transpose)
    {
        bool compared = false;
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                double x = a[i, j], y = transpose ? b[j, i] : b[i, j];
                if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
                compared = true;
                if (Math.Abs(x - y) > 1e-9 * (1 + Math.Max(Math.Abs(x), Math.Abs(y)))) return false;
            }
        }
        return compared ? true : null;
    }

    private Counterexample Shrink(Counterexample found)
    {
        var values = found.Values.ToDictionary(kv => kv.Key, kv => (double[,])kv.Value.Clone(), StringComparer.Ordinal);
        var sizes = found.Sizes.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        Counterexample best = found;
        foreach (var matrix in values.Values)
        {
            for (int i = 0; i < matrix.GetLength(0); i++)
            {
                for (int j = 0; j < matrix.GetLength(1); j++)
                {
                    double original = matrix[i, j];
                    foreach (double candidate in new[] { 0, 1, -1, Math.Round(original, 1) })
                    {
                        if (candidate == original) break;
                        matrix[i, j] = candidate;
                        if (Compare(sizes, values) is (Outcome.Differ, { } smaller))
                        {
                            best = smaller;
                            break;
                        }
                        matrix[i, j] = original;
                    }
                }
            }
        }
        return best with { Values = values.ToDictionary(kv => kv.Key, kv => (double[,])kv.Value.Clone(), StringComparer.Ordinal) };
    }

    private double[,] Draw(Random random, string name, Dictionary<string, int> sizes)
    {
        context.TryShape(name, out var shape);
        var s = shape.Under(sizes);
        var m = new double[s.Rows, s.Cols];
        for (int i = 0; i < s.Rows; i++)
        {
            for (int j = 0; j < s.Cols; j++) m[i, j] = Math.Round(random.NextDouble() * 4 - 2, 3);
        }
        return m;
    }

    private IEnumerable<Dictionary<string, int>> Assignments(string[] dimensions)
    {
        if (dimensions.All(context.ReferenceSizes.ContainsKey))
        {
            yield return dimensions.ToDictionary(d => d, d => context.ReferenceSizes[d], StringComparer.Ordinal);
        }
        var all = new List<int[]> { Array.Empty<int>() };
        foreach (var _ in dimensions)
        {
            all = [.. all.SelectMany(a => new[] { 1, 2, 3 }.Select(v => (int[])[.. a, v]))];
            if (all.Count > 10 * MaxAssignments) break;
        }
        foreach (var sizes in all.Where(a => a.Length == dimensions.Length).OrderBy(a => a.Sum()).ThenBy(a => string.Join(",", a.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))), StringComparer.Ordinal).Take(MaxAssignments))
        {
            yield return dimensions.Select((d, i) => (d, sizes[i])).ToDictionary(p => p.d, p => p.Item2, StringComparer.Ordinal);
        }
    }

    /// <summary>Every name either side reaches, through the definitions of named intermediate results.</summary>
    private List<string> Reachable()
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<SymbolicExpression>([claim, reference]);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case SymbolName n when context.TryShape(n.Name, out _) && seen.Add(context.Resolve(n.Name)):
                    names.Add(context.Resolve(n.Name));
                    if (context.DefinitionOf(n.Name) is { } definition) stack.Push(definition);
                    break;
                case SymbolBinary b:
                    stack.Push(b.Left);
                    stack.Push(b.Right);
                    break;
                case SymbolFunction f:
                    stack.Push(f.Argument);
                    break;
            }
        }
        return names;
    }
}
