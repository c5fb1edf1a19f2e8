using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// What a proof knows about the names in a formula: each name's shape (over named dimensions), the definition of a
/// named intermediate result (<c>z1 = W1 · x + b1</c>, expanded before comparing), other spellings of a name
/// (<c>W[1]</c> for <c>W1</c>), and the sizes of a reference network, where a counterexample is looked for first.
/// </summary>
public sealed class ProofContext
{
    private readonly Dictionary<string, SymbolShape> shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SymbolicExpression> definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> aliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> referenceSizes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> functionAliases = new(StringComparer.Ordinal);

    /// <summary>Every declared name (aliases excluded).</summary>
    public IReadOnlyCollection<string> Names => shapes.Keys;

    /// <summary>The sizes of the reference network, by dimension name.</summary>
    public IReadOnlyDictionary<string, int> ReferenceSizes => referenceSizes;

    /// <summary>Declares a name with its shape, e.g. <c>Declare("W1", "n1", "n0")</c>; a definition makes it an intermediate result.</summary>
    public ProofContext Declare(string name, Dimension rows, Dimension columns, SymbolicExpression? definition = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (shapes.ContainsKey(name)) throw new ArgumentException($"ProofContext.Declare: {name} is already declared.", nameof(name));
        shapes[name] = new SymbolShape(rows, columns);
        if (definition is not null) definitions[name] = definition;
        return this;
    }

    /// <summary>Records the definition of a declared name: <c>Define("a1", σ(z1))</c>.</summary>
    public ProofContext Define(string name, SymbolicExpression definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!shapes.ContainsKey(name)) throw new ArgumentException($"ProofContext.Define: {name} is not declared; declare its shape first.", nameof(name));
        definitions[name] = definition;
        return this;
    }

    /// <summary>Another spelling of a declared name, e.g. <c>Alias("W[1]", "W1")</c> or <c>Alias("yhat", "ŷ")</c>.</summary>
    public ProofContext Alias(string spelling, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spelling);
        if (!shapes.ContainsKey(name)) throw new ArgumentException($"ProofContext.Alias: {name} is not declared.", nameof(name));
        aliases[spelling] = name;
        return this;
    }

    /// <summary>
    /// Another spelling of a function, e.g. <c>AliasFunction("df", "σ′")</c> for a note's generic f′ when f is the
    /// sigmoid. The function is one the parser knows (σ, σ′, tanh, tanh′, relu, relu′, exp, log).
    /// </summary>
    public ProofContext AliasFunction(string spelling, string function)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spelling);
        if (!FormulaFunctions.IsElementwise(function) || function is "−" or "²" || function.StartsWith('^'))
        {
            throw new ArgumentException($"ProofContext.AliasFunction: {function} is not an element-wise function the prover knows.", nameof(function));
        }
        functionAliases[spelling] = function;
        return this;
    }

    internal IReadOnlyDictionary<string, string> FunctionAliases => functionAliases;

    /// <summary>The size a named dimension has in the reference network (a counterexample is looked for there first).</summary>
    public ProofContext WithReferenceSize(string dimension, int size)
    {
        ArgumentNullException.ThrowIfNull(dimension);
        if (size < 1)
        {
            // not ThrowIfLessThan, whose message writes the number in the current culture
            throw new ArgumentOutOfRangeException(nameof(size), string.Create(CultureInfo.InvariantCulture, $"ProofContext.WithReferenceSize: the size of '{dimension}' must be at least 1; got {size}."));
        }
        referenceSizes[dimension] = size;
        return this;
    }

    /// <summary>Every spelling the parser accepts as a name: declared names and aliases.</summary>
    public IEnumerable<string> Spellings => shapes.Keys.Concat(aliases.Keys);

    internal bool TryShape(string name, out SymbolShape shape) => shapes.TryGetValue(Resolve(name), out shape);

    internal SymbolicExpression? DefinitionOf(string name) => definitions.GetValueOrDefault(Resolve(name));

    internal string Resolve(string name) => aliases.GetValueOrDefault(name, name);

    /// <summary>The dimension names a set of names' shapes use.</summary>
    internal IEnumerable<string> DimensionsOf(IEnumerable<string> names) =>
        names.Select(n => shapes[Resolve(n)]).SelectMany(s => new[] { s.Rows, s.Columns }).Where(d => d.Name is not null).Select(d => d.Name!).Distinct();

    /// <summary>
    /// The context of a recorded network: every named tensor the loss depends on, with its shape and, for a named
    /// intermediate result, its recorded definition. Each size other than 1 becomes a named dimension <c>dN</c>
    /// (N the size), so a proof holds for every network in which the sizes that are equal here stay equal — build
    /// the network with distinct sizes (as the notes' networks are) to prove for all shapes.
    /// </summary>
    public static ProofContext FromGraph<T>(Tensor<T> loss) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(loss);
        var context = new ProofContext();
        var seen = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor<T>>();
        stack.Push(loss);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (!seen.Add(t)) continue;
            if (t.Name is { } name && !context.shapes.ContainsKey(name))
            {
                context.Declare(name, DimensionOf(t.Shape.Rows, context), DimensionOf(t.Shape.Cols, context),
                    t.Creator is null ? null : Symbolic.FromGraph(t).Expression);
            }
            if (t.Creator is { } op)
            {
                foreach (var input in op.Inputs) stack.Push(input);
            }
        }
        return context;
    }

    private static Dimension DimensionOf(int size, ProofContext context)
    {
        if (size == 1) return 1;
        string name = string.Create(CultureInfo.InvariantCulture, $"d{size}");
        context.referenceSizes[name] = size;
        return Dimension.Named(name);
    }
}
