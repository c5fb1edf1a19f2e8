using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoGrad;

/// <summary>
/// The vocabulary operations write themselves in (<see cref="Operation{T}.Write"/>): functions, infix operators and
/// calls, simplified the way a person writes a gradient down (see <see cref="Simplify"/>).
/// </summary>
internal static class Notation
{
    /// <summary>
    /// f(x), or the prefix/postfix forms −x, x², xᵖ for the symbols <c>−</c>, <c>²</c>, <c>^p</c>; an empty
    /// <paramref name="latex"/> renders the symbol as <c>\operatorname{…}</c>.
    /// </summary>
    public static SymbolicExpression Function(string symbol, string latex, SymbolicExpression argument) =>
        symbol == "−" ? Simplify.Neg(argument) : new SymbolFunction(symbol, argument, latex.Length == 0 ? null : latex);

    /// <summary>a op b, simplified for + − ⊙ /.</summary>
    public static SymbolicExpression Infix(string symbol, SymbolicExpression a, SymbolicExpression b) => symbol switch
    {
        "+" => Simplify.Add(a, b),
        "−" => Simplify.Sub(a, b),
        "⊙" => Simplify.Product(a, b),
        "/" => Simplify.Div(a, b),
        _ => new SymbolBinary(symbol, a, b),
    };

    /// <summary>f(a, b).</summary>
    public static SymbolicExpression Call(string symbol, string latex, SymbolicExpression a, SymbolicExpression b) =>
        new SymbolCall(symbol, a, b, latex);

    /// <summary>aᵀ when <paramref name="transpose"/>, else a.</summary>
    public static SymbolicExpression Transpose(SymbolicExpression a, bool transpose = true) => Simplify.Transpose(a, transpose);
}

/// <summary>
/// Labels that a recorded backward rule puts on a derivative it computes (σ′(z), tanh′(z), relu′(z)), so a formula
/// shows f′(z) instead of its expansion. Written only in recorded passes (createGraph); read by <see cref="Symbolic"/>.
/// The table holds its keys weakly: a label lives exactly as long as its tensor.
/// </summary>
internal static class DerivativeNotation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>What a label says: the derivative's symbol and the tensor it is taken at.</summary>
    public sealed record Label(string Symbol, string Latex, Tensor<T> Argument);

    private static readonly ConditionalWeakTable<Tensor<T>, Label> Labels = new();

    public static void Mark(Tensor<T> derivative, string symbol, string latex, Tensor<T> argument) =>
        Labels.AddOrUpdate(derivative, new Label(symbol, latex, argument));

    public static Label? Of(Tensor<T> tensor) => Labels.TryGetValue(tensor, out var label) ? label : null;
}
