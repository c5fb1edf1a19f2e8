namespace AutoGrad;

/// <summary>A formula that is not well-formed: a product whose inner dimensions differ, shapes that do not broadcast, an unknown name.</summary>
public sealed class FormulaShapeException(string message) : Exception(message);

/// <summary>
/// The shape of every part of a formula over named dimensions. A fixed size 1 broadcasts in + − ⊙ /; a 1×1 factor of
/// a product · whose inner dimensions differ acts as a scalar (the way notes write (ŷ − y)·x for one example).
/// </summary>
internal sealed class FormulaShapes(ProofContext context)
{
    private readonly Dictionary<SymbolicExpression, SymbolShape> memo = new(ReferenceEqualityComparer.Instance);

    public ProofContext Context => context;

    public SymbolShape Of(SymbolicExpression e)
    {
        if (memo.TryGetValue(e, out var known)) return known;
        SymbolShape shape = e switch
        {
            SymbolName n => context.TryShape(n.Name, out var s) ? s : throw new FormulaShapeException($"unknown name {n.Name}"),
            SymbolConstant => new SymbolShape(1, 1),
            SymbolBinary { Operator: "·" } b => Product(Of(b.Left), Of(b.Right), b),
            SymbolBinary b => Broadcast(Of(b.Left), Of(b.Right), b.Operator),
            SymbolFunction { Function: "ᵀ" } f => Of(f.Argument).Transposed,
            SymbolFunction { Function: "Σ" } f => Scalar(Of(f.Argument)),
            SymbolFunction { Function: "Σrows" } f => new SymbolShape(1, Of(f.Argument).Columns),
            SymbolFunction { Function: "Σcols" } f => new SymbolShape(Of(f.Argument).Rows, 1),
            SymbolFunction f when FormulaFunctions.IsElementwise(f.Function) => Of(f.Argument),
            SymbolFunction f => throw new FormulaShapeException($"no rule for the function {f.Function}"),
            _ => throw new FormulaShapeException($"no rule for {e.GetType().Name}"),
        };
        memo[e] = shape;
        return shape;
    }

    private static SymbolShape Scalar(SymbolShape summed) => summed.IsScalar ? summed : new SymbolShape(1, 1);

    /// <summary>True when a product · multiplies by a 1×1 factor as a scalar (inner dimensions differ, one side is 1×1).</summary>
    public bool IsScalarProduct(SymbolBinary product)
    {
        var (a, b) = (Of(product.Left), Of(product.Right));
        return a.Columns != b.Rows && (a.IsScalar || b.IsScalar);
    }

    private SymbolShape Product(SymbolShape a, SymbolShape b, SymbolBinary product)
    {
        if (a.Columns == b.Rows) return new SymbolShape(a.Rows, b.Columns);
        if (a.IsScalar) return b;
        if (b.IsScalar) return a;
        throw new FormulaShapeException(
            $"{product.Left.TextOperand()} · {product.Right.TextOperand()}: a product needs the inner dimensions to agree, but it is ({a}) · ({b})");
    }

    private static SymbolShape Broadcast(SymbolShape a, SymbolShape b, string op)
    {
        Dimension? rows = Side(a.Rows, b.Rows), columns = Side(a.Columns, b.Columns);
        if (rows is null || columns is null)
        {
            throw new FormulaShapeException($"{op} needs equal shapes or a side of size 1, but it is ({a}) {op} ({b})");
        }
        return new SymbolShape(rows.Value, columns.Value);

        static Dimension? Side(Dimension x, Dimension y) => x == y ? x : x.IsOne ? y : y.IsOne ? x : (Dimension?)null;
    }
}

/// <summary>The functions a formula may use, with every spelling the parser accepts.</summary>
internal static class FormulaFunctions
{
    /// <summary>Spelling → canonical name (the one <see cref="SymbolFunction"/> renders).</summary>
    public static readonly IReadOnlyDictionary<string, string> Spellings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["σ′"] = "σ′", ["σ'"] = "σ′", ["dsigmoid"] = "σ′", ["sigmoid'"] = "σ′", ["sigmoid′"] = "σ′", ["dsigma"] = "σ′",
        ["σ"] = "σ", ["sigmoid"] = "σ", ["sigma"] = "σ",
        ["tanh′"] = "tanh′", ["tanh'"] = "tanh′", ["dtanh"] = "tanh′", ["tanh"] = "tanh",
        ["relu′"] = "relu′", ["relu'"] = "relu′", ["drelu"] = "relu′", ["relu"] = "relu",
        ["exp"] = "exp", ["log"] = "log", ["ln"] = "log",
        ["exp′"] = "exp′", ["exp'"] = "exp′", ["dexp"] = "exp′", ["log′"] = "log′", ["log'"] = "log′", ["dlog"] = "log′",
        ["softplus"] = "softplus", ["softplus′"] = "softplus′", ["softplus'"] = "softplus′", ["dsoftplus"] = "softplus′",
        ["Σrows"] = "Σrows", ["sumrows"] = "Σrows", ["Σcols"] = "Σcols", ["sumcols"] = "Σcols", ["Σ"] = "Σ", ["sum"] = "Σ",
    };

    public static bool IsElementwise(string function) =>
        function is "σ" or "σ′" or "tanh" or "tanh′" or "relu" or "relu′" or "exp" or "exp′" or "log" or "log′" or "softplus" or "softplus′" or "−" or "²"
        || function.StartsWith('^');

    /// <summary>The exponent of a power function <c>^p</c> or <c>²</c>, else null.</summary>
    public static double? Exponent(string function) =>
        function == "²" ? 2 : function.StartsWith('^') && double.TryParse(function.AsSpan(1), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double p) ? p : null;
}
