using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// A gradient as a formula: an expression tree read off a recorded backward graph, simplified the way a person
/// would write it, and rendered as text or LaTeX. Its leaves are the named tensors of the forward pass.
/// </summary>
public abstract record SymbolicExpression
{
    /// <summary>The formula as plain text, e.g. <c>((W2ᵀ · ((ŷ − y) ⊙ σ′(z2))) ⊙ σ′(z1)) · xᵀ</c>.</summary>
    public abstract string ToText();

    /// <summary>The formula as LaTeX, e.g. <c>\left(W_{2}^\top \cdot …\right) \cdot x^\top</c>.</summary>
    public abstract string ToLatex();

    /// <summary>True for a name or a number, which need no parentheses.</summary>
    internal virtual bool IsAtom => false;

    /// <inheritdoc/>
    public sealed override string ToString() => ToText();

    internal string TextOperand() => IsAtom ? ToText() : $"({ToText()})";

    internal string LatexOperand() => IsAtom ? ToLatex() : $"\\left({ToLatex()}\\right)";

    /// <summary>Converts a name such as <c>W2</c>, <c>z1</c> or <c>ŷ</c> to LaTeX (<c>W_{2}</c>, <c>\hat{y}</c>).</summary>
    internal static string LatexName(string name)
    {
        string body = name.Replace("ŷ", "\\hat{y}", StringComparison.Ordinal);
        int digits = body.Length;
        while (digits > 0 && char.IsAsciiDigit(body[digits - 1])) digits--;
        return digits > 0 && digits < body.Length ? $"{body[..digits]}_{{{body[digits..]}}}" : body;
    }
}

/// <summary>A named tensor (a parameter, an input or a named intermediate result).</summary>
public sealed record SymbolName(string Name) : SymbolicExpression
{
    /// <summary>The name (not null).</summary>
    public string Name { get; init; } = Name ?? throw new ArgumentNullException(nameof(Name));

    internal override bool IsAtom => true;

    /// <inheritdoc/>
    public override string ToText() => Name;

    /// <inheritdoc/>
    public override string ToLatex() => LatexName(Name);
}

/// <summary>A constant (a scalar, or every element of a tensor equal to it).</summary>
public sealed record SymbolConstant(double Value) : SymbolicExpression
{
    internal override bool IsAtom => Value >= 0;

    /// <inheritdoc/>
    public override string ToText() => Value.ToString("G6", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToLatex() => ToText();
}

/// <summary>An element-wise function applied to an argument: σ(z), σ′(z), exp, log, relu′, and the prefix and postfix forms −x, xᵀ, x², xᵖ.</summary>
/// <param name="Function">The symbol: a name such as <c>σ</c>, or <c>−</c>, <c>ᵀ</c>, <c>²</c>, <c>^p</c>.</param>
/// <param name="Argument">What it is applied to.</param>
/// <param name="Latex">The symbol in LaTeX (<c>\sigma</c>); null for the prefix and postfix forms.</param>
public sealed record SymbolFunction(string Function, SymbolicExpression Argument, string? Latex = null) : SymbolicExpression
{
    /// <summary>The function (not null).</summary>
    public string Function { get; init; } = Function ?? throw new ArgumentNullException(nameof(Function));

    /// <summary>The argument (not null).</summary>
    public SymbolicExpression Argument { get; init; } = Argument ?? throw new ArgumentNullException(nameof(Argument));

    /// <summary>f(x) is an atom; so are xᵀ, x², xᵖ of an atom; a negation is not.</summary>
    internal override bool IsAtom => Function switch
    {
        "−" => false,
        "ᵀ" or "²" => Argument.IsAtom,
        _ when Function.StartsWith('^') => Argument.IsAtom,
        _ => true,
    };

    /// <inheritdoc/>
    public override string ToText() => Function switch
    {
        "−" => $"−{Argument.TextOperand()}",
        "ᵀ" => $"{Argument.TextOperand()}ᵀ",
        "²" => $"{Argument.TextOperand()}²",
        _ when Function.StartsWith('^') => $"{Argument.TextOperand()}{Function}",
        _ => $"{Function}({Argument.ToText()})",
    };

    /// <inheritdoc/>
    public override string ToLatex() => Function switch
    {
        "−" => $"-{Argument.LatexOperand()}",
        "ᵀ" => $"{Argument.LatexOperand()}^\\top",
        "²" => $"{Argument.LatexOperand()}^{{2}}",
        _ when Function.StartsWith('^') => $"{Argument.LatexOperand()}^{{{Function[1..]}}}",
        _ => $"{Latex ?? $"\\operatorname{{{Function}}}"}\\left({Argument.ToLatex()}\\right)",
    };
}

/// <summary>A function of two arguments, f(a, b), such as max(a, b).</summary>
/// <param name="Function">The function's name.</param>
/// <param name="Left">The first argument.</param>
/// <param name="Right">The second argument.</param>
/// <param name="Latex">The name in LaTeX.</param>
public sealed record SymbolCall(string Function, SymbolicExpression Left, SymbolicExpression Right, string Latex) : SymbolicExpression
{
    /// <summary>The function (not null).</summary>
    public string Function { get; init; } = Function ?? throw new ArgumentNullException(nameof(Function));

    /// <summary>The left (not null).</summary>
    public SymbolicExpression Left { get; init; } = Left ?? throw new ArgumentNullException(nameof(Left));

    /// <summary>The right (not null).</summary>
    public SymbolicExpression Right { get; init; } = Right ?? throw new ArgumentNullException(nameof(Right));

    /// <summary>The latex (not null).</summary>
    public string Latex { get; init; } = Latex ?? throw new ArgumentNullException(nameof(Latex));

    internal override bool IsAtom => true;

    /// <inheritdoc/>
    public override string ToText() => $"{Function}({Left.ToText()}, {Right.ToText()})";

    /// <inheritdoc/>
    public override string ToLatex() => $"{Latex}\\left({Left.ToLatex()}, {Right.ToLatex()}\\right)";
}

/// <summary>A binary operation: + − ⊙ / and the matrix product ·; sums Σ are functions.</summary>
public sealed record SymbolBinary(string Operator, SymbolicExpression Left, SymbolicExpression Right) : SymbolicExpression
{
    /// <summary>The operator (not null).</summary>
    public string Operator { get; init; } = Operator ?? throw new ArgumentNullException(nameof(Operator));

    /// <summary>The left (not null).</summary>
    public SymbolicExpression Left { get; init; } = Left ?? throw new ArgumentNullException(nameof(Left));

    /// <summary>The right (not null).</summary>
    public SymbolicExpression Right { get; init; } = Right ?? throw new ArgumentNullException(nameof(Right));

    /// <summary>⊙ and + chain without parentheses: (a ⊙ b) ⊙ c is written a ⊙ b ⊙ c.</summary>
    private bool Chains(SymbolicExpression operand) => Operator is "⊙" or "+" && operand is SymbolBinary b && b.Operator == Operator;

    /// <inheritdoc/>
    public override string ToText() =>
        $"{(Chains(Left) ? Left.ToText() : Left.TextOperand())} {Operator} {(Chains(Right) ? Right.ToText() : Right.TextOperand())}";

    /// <inheritdoc/>
    public override string ToLatex()
    {
        string op = Operator switch { "⊙" => "\\odot", "·" => "\\cdot", "−" => "-", "/" => "\\oslash", _ => Operator };
        return $"{(Chains(Left) ? Left.ToLatex() : Left.LatexOperand())} {op} {(Chains(Right) ? Right.ToLatex() : Right.LatexOperand())}";
    }
}
