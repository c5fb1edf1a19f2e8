using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// The declaration of an operation along one axis (softmax, log-sum-exp, max, …): one variant per axis, named
/// <c>Op(axis: a)</c> and written <c>op₀(x)</c> or <c>op₁(x)</c> in formulas.
/// </summary>
internal abstract class AxisDeclaration(int axis) : OperationDeclaration
{
    /// <summary>The axis of this variant.</summary>
    protected int Axis => axis;

    /// <summary>The name before <c>(axis: a)</c>, e.g. <c>Softmax</c>.</summary>
    protected abstract string BaseName { get; }

    /// <summary>The symbol before the axis subscript, e.g. <c>softmax</c>.</summary>
    protected abstract string BaseSymbol { get; }

    /// <summary>The same declaration for <paramref name="otherAxis"/>.</summary>
    protected abstract AxisDeclaration WithAxis(int otherAxis);

    /// <summary>Calls the operation along <paramref name="along"/>.</summary>
    protected abstract Tensor<T> Apply<T>(Tensor<T> x, int along) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary><c>Op(axis: a)</c>.</summary>
    public static string NameOf(string baseName, int axis) => string.Create(CultureInfo.InvariantCulture, $"{baseName}(axis: {axis})");

    /// <summary><c>op₀</c> or <c>op₁</c>.</summary>
    public static string SymbolOf(string baseSymbol, int axis) => baseSymbol + (axis == 0 ? "₀" : "₁");

    /// <summary><c>\operatorname{op}_{a}</c>.</summary>
    public static string LatexOf(string baseSymbol, int axis) => string.Create(CultureInfo.InvariantCulture, $"\\operatorname{{{baseSymbol}}}_{{{axis}}}");

    public override string Name => NameOf(BaseName, axis);

    public override int Arity => 1;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 5)], [new(4, 1)]];

    public override IEnumerable<OperationDeclaration> Variants => [WithAxis(0), WithAxis(1)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => Apply(inputs[0], axis);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        arguments.Length == 1 && symbol == SymbolOf(BaseSymbol, axis) ? Apply(arguments[0], axis) : null;
}
