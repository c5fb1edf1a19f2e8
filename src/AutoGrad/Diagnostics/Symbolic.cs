using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// Derives gradients as formulas: records the backward pass (<c>createGraph</c>) and reads the recorded graph
/// back as an expression over the forward pass's named tensors. Name the tensors you want to see
/// (<c>name: "W1"</c>, or <c>z1.Name = "z1"</c>); unnamed intermediate results are expanded. A part of a gradient
/// that depends on nothing requiring a gradient is computed eagerly by the backward pass, not recorded, so it
/// shows as its value (∂(3x)/∂x is 3).
/// </summary>
public static class Symbolic
{
    private const int MaxDepth = 2000;

    /// <summary>∂loss/∂<paramref name="wrt"/> as a formula, e.g. for note 000: <c>((W2ᵀ · ((ŷ − y) ⊙ σ′(z2))) ⊙ σ′(z1)) · xᵀ</c>.</summary>
    public static SymbolicFormula<T> Gradient<T>(Tensor<T> loss, Tensor<T> wrt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(wrt);
        return GradientFor("Symbolic.Gradient", loss, wrt);
    }

    /// <summary><see cref="Gradient{T}"/> for the public method <paramref name="caller"/> (Prover.ProveGradient), which a refusal names.</summary>
    internal static SymbolicFormula<T> GradientFor<T>(string caller, Tensor<T> loss, Tensor<T> wrt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> gradient = Autograd.Gradients(caller, loss, [wrt], createGraph: true)[0];
        return FormulaOf(caller, gradient, stopAtOwnName: false);
    }

    /// <summary>The recorded computation of <paramref name="tensor"/> as a formula over named tensors.</summary>
    public static SymbolicFormula<T> FromGraph<T>(Tensor<T> tensor, bool stopAtOwnName = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return FormulaOf("Symbolic.FromGraph", tensor, stopAtOwnName);
    }

    /// <summary><see cref="FromGraph{T}"/> for the public method <paramref name="caller"/>, which a refusal names.</summary>
    private static SymbolicFormula<T> FormulaOf<T>(string caller, Tensor<T> tensor, bool stopAtOwnName) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bindings = new Dictionary<string, Tensor<T>>(StringComparer.Ordinal);
        var expression = Convert(caller, tensor, tensor, stopAtOwnName, bindings, 0);
        return new SymbolicFormula<T>(expression, tensor.Shape, bindings);
    }

    private static SymbolicExpression Convert<T>(string caller, Tensor<T> t, Tensor<T> root, bool stopAtRootName, Dictionary<string, Tensor<T>> bindings, int depth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Symbolic: the graph is more than {MaxDepth} operations deep; name intermediate results to cut it."));
        }
        SymbolicExpression Of(Tensor<T> x) => Convert(caller, x, root, stopAtRootName, bindings, depth + 1);

        if (DerivativeNotation<T>.Of(t) is { } derivative)
        {
            return new SymbolFunction(derivative.Symbol, Of(derivative.Argument), derivative.Latex);
        }
        if (t.Name is { } name && (!ReferenceEquals(t, root) || stopAtRootName))
        {
            bindings.TryAdd(name, t);
            return new SymbolName(name);
        }
        if (t.Creator is not { } op)
        {
            return ConstantValue(t.DataFor(caller)) is { } c ? new SymbolConstant(c) : Bind(t, bindings);
        }
        Tensor<T>[] inputs = op.Inputs;
        var arguments = new SymbolicExpression[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            arguments[i] = Of(inputs[i]);
        }
        return op.Write(arguments);
    }

    private static SymbolicExpression Bind<T>(Tensor<T> t, Dictionary<string, Tensor<T>> bindings) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"C{bindings.Count + 1}[{t.Shape}]");
        bindings[name] = t;
        return new SymbolName(name);
    }

    /// <summary>The value of a leaf whose elements are all equal, or null.</summary>
    private static double? ConstantValue<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] != values[0]) return null;
        }
        return double.CreateChecked(values[0]);
    }
}

/// <summary>The simplifications a person makes when writing a gradient down.</summary>
internal static class Simplify
{
    private static bool Is(SymbolicExpression e, double value) => e is SymbolConstant c && c.Value == value;

    public static SymbolicExpression Add(SymbolicExpression a, SymbolicExpression b) => (a, b) switch
    {
        (SymbolConstant x, SymbolConstant y) => new SymbolConstant(x.Value + y.Value),
        _ when Is(a, 0) => b,
        _ when Is(b, 0) => a,
        _ => new SymbolBinary("+", a, b),
    };

    public static SymbolicExpression Sub(SymbolicExpression a, SymbolicExpression b) => (a, b) switch
    {
        (SymbolConstant x, SymbolConstant y) => new SymbolConstant(x.Value - y.Value),
        _ when Is(b, 0) => a,
        _ when Is(a, 0) => Neg(b),
        _ => new SymbolBinary("−", a, b),
    };

    public static SymbolicExpression Neg(SymbolicExpression a) => a switch
    {
        SymbolConstant c => new SymbolConstant(-c.Value),
        SymbolFunction { Function: "−" } f => f.Argument,
        _ => new SymbolFunction("−", a),
    };

    public static SymbolicExpression Div(SymbolicExpression a, SymbolicExpression b) => (a, b) switch
    {
        (SymbolConstant x, SymbolConstant y) => new SymbolConstant(x.Value / y.Value),
        _ when Is(b, 1) => a,
        _ => new SymbolBinary("/", a, b),
    };

    public static SymbolicExpression Transpose(SymbolicExpression a, bool transpose) => !transpose ? a : a switch
    {
        SymbolConstant => a,
        SymbolFunction { Function: "ᵀ" } f => f.Argument,
        _ => new SymbolFunction("ᵀ", a),
    };

    /// <summary>An element-wise product: constant factors are multiplied together and put in front; a factor 1 disappears.</summary>
    public static SymbolicExpression Product(SymbolicExpression a, SymbolicExpression b)
    {
        var factors = new List<SymbolicExpression>();
        double constant = 1;
        foreach (var factor in Flatten(a).Concat(Flatten(b)))
        {
            if (factor is SymbolConstant c) constant *= c.Value;
            else factors.Add(factor);
        }
        if (constant == 0 || factors.Count == 0) return new SymbolConstant(constant);
        SymbolicExpression product = factors[0];
        for (int i = 1; i < factors.Count; i++) product = new SymbolBinary("⊙", product, factors[i]);
        if (constant == -1) return Neg(product);
        return constant == 1 ? product : new SymbolBinary("⊙", new SymbolConstant(constant), product);

        static IEnumerable<SymbolicExpression> Flatten(SymbolicExpression e) =>
            e is SymbolBinary { Operator: "⊙" } p ? Flatten(p.Left).Concat(Flatten(p.Right)) : [e];
    }
}

/// <summary>A formula read off a graph, with the tensors its names stand for, so it can be evaluated again.</summary>
public sealed class SymbolicFormula<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IReadOnlyDictionary<string, Tensor<T>> bindings;

    internal SymbolicFormula(SymbolicExpression expression, Shape shape, IReadOnlyDictionary<string, Tensor<T>> bindings)
    {
        Expression = expression;
        Shape = shape;
        this.bindings = bindings;
    }

    /// <summary>The simplified expression tree.</summary>
    public SymbolicExpression Expression { get; }

    /// <summary>The shape of the quantity the formula computes.</summary>
    public Shape Shape { get; }

    /// <summary>Plain text, with ᵀ, ⊙, ·, σ′.</summary>
    public string Text => Expression.ToText();

    /// <summary>LaTeX.</summary>
    public string Latex => Expression.ToLatex();

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>Evaluates the formula from the named tensors' current values (nothing is recorded).</summary>
    public Tensor<T> Evaluate()
    {
        using var noGrad = Tensor.NoGrad();
        Tensor<T> value = Eval(Expression, 0);
        return value.Shape == Shape ? value : value.BroadcastTo(Shape);
    }

    private Tensor<T> Eval(SymbolicExpression e, int depth)
    {
        Tensor<T> Of(SymbolicExpression x) => Eval(x, depth + 1);
        return e switch
        {
            SymbolName n => bindings[n.Name],
            SymbolConstant c => Tensor.Scalar(T.CreateChecked(c.Value)),
            SymbolBinary b => OperationCatalogue.Evaluate<T>(b.Operator, [Of(b.Left), Of(b.Right)]),
            SymbolCall c => OperationCatalogue.Evaluate<T>(c.Function, [Of(c.Left), Of(c.Right)]),
            SymbolFunction f => OperationCatalogue.Evaluate<T>(f.Function, [Of(f.Argument)]),
            _ => throw new NotSupportedException(e.GetType().Name),
        };
    }
}
