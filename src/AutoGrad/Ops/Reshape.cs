using System.Globalization;
using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The same elements, row-major, in a <paramref name="rows"/>×<paramref name="cols"/> shape (a copy); one of the two
    /// may be −1, meaning "whatever makes the element count match", as in <c>x.reshape(-1, 1)</c>.
    /// Backward: ∂L/∂x = ∂L/∂y reshaped back to x's shape.
    /// </summary>
    public Tensor<T> Reshape(int rows, int cols)
    {
        Shape shape = ReshapeTarget(rows, cols);
        var result = Uninitialized(shape);
        DataFor(ReshapeDeclaration.OpName).AsSpan().CopyTo(result.Data);
        return Track(result, ShouldRecord(this) ? new ReshapeOperation(this, shape) : null, ReshapeDeclaration.OpName, this);
    }

    private Shape ReshapeTarget(int rows, int cols)
    {
        if (rows == -1 && cols > 0 && Length % cols == 0)
        {
            return new Shape(Length / cols, cols);
        }
        if (cols == -1 && rows > 0 && Length % rows == 0)
        {
            return new Shape(rows, Length / rows);
        }
        if (rows > 0 && cols > 0 && (long)rows * cols == Length)
        {
            return new Shape(rows, cols);
        }
        if (!(rows > 0 || rows == -1) || !(cols > 0 || cols == -1) || (rows == -1 && cols == -1))
        {
            throw new ArgumentException(
                FormattableString.Invariant($"Reshape: a {Shape} tensor cannot be reshaped to {rows}×{cols}: each size must be at least 1, or one of them -1 (inferred)."),
                !(rows > 0 || rows == -1) ? nameof(rows) : nameof(cols)); // both -1: cols, the second
        }
        throw new ArgumentException(
            FormattableString.Invariant($"Reshape: a {Shape} tensor has {Length} elements and cannot be reshaped to {rows}×{cols}") +
            (rows == -1 || cols == -1 ? $" (no whole number of {(rows == -1 ? "rows" : "columns")} fits)." : string.Create(CultureInfo.InvariantCulture, $" ({(long)rows * cols} elements).")),
            cols == -1 ? nameof(rows) : nameof(cols)); // the size given that fits no whole number of the other; both given: cols, the last
    }

    internal sealed class ReshapeOperation(Tensor<T> x, Shape shape) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => ReshapeDeclaration.OpName;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) =>
            gradients[0] = grad.Reshape(Inputs[0].Rows, Inputs[0].Cols);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape outputShape) =>
            new Compilation.KernelStep<T>(Name, inputs, output, outputShape, static (x, y) => x[0].Array.AsSpan().CopyTo(y));

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(IndexedSymbol.Write(ReshapeDeclaration.Symbol, shape.Rows, shape.Cols), "", inputs[0]);
    }
}

/// <summary>The same elements in a new shape (here one row: a 3×4 tensor as 1×12); a formula writes <c>reshape[1, 12](x)</c>.</summary>
internal sealed class ReshapeDeclaration : OperationDeclaration
{
    public const string OpName = "Reshape";

    public const string Symbol = "reshape";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.ReshapeOperation);

    public override int Arity => 1;

    public override bool WritesEvaluableFormula => false;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 1)], [new(5, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].Reshape(1, -1);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        arguments.Length == 1 && IndexedSymbol.Read(symbol, Symbol) is [int rows, int cols] ? arguments[0].Reshape(rows, cols) : null;
}
