using System.Globalization;
using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Rows by index, as <c>x[rows]</c> or <c>torch.index_select(x, 0, rows)</c> (an embedding lookup, a shuffled
    /// mini-batch): <c>yₖ = x₍rowsₖ₎</c>, a rows.Length × Cols tensor; an index may repeat.
    /// Backward: ∂L/∂x = ∂L/∂y scatter-added to the rows it came from, so a repeated row gets the sum of its gradients.
    /// </summary>
    public Tensor<T> Gather(int[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0)
        {
            throw new ArgumentException($"Gather: no row indices for a {Shape} tensor; a tensor needs at least one row.", nameof(rows));
        }
        for (int k = 0; k < rows.Length; k++)
        {
            if ((uint)rows[k] >= (uint)Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(rows),
                    FormattableString.Invariant($"Gather: row index {rows[k]} at position {k} is outside a {Shape} tensor (rows 0..{Rows - 1})."));
            }
        }
        int[] saved = (int[])rows.Clone();
        var result = Uninitialized(Shape.CheckSize("Gather", saved.Length, Cols, string.Create(CultureInfo.InvariantCulture, $"{saved.Length} rows of a {Shape} tensor"), nameof(rows)));
        GatherKernel(DataFor(GatherDeclaration.OpName), Cols, saved, result.Data);
        return Track(result, ShouldRecord(this) ? new GatherOperation(this, saved) : null, GatherDeclaration.OpName, this);
    }

    /// <summary>
    /// The adjoint of <see cref="Gather"/>, and its backward rule: a <paramref name="rowCount"/>×Cols tensor of zeros
    /// with row k of this tensor added to row <c>rows[k]</c>. Backward: ∂L/∂x = ∂L/∂y gathered at <paramref name="rows"/>.
    /// </summary>
    internal Tensor<T> ScatterAddRows(int[] rows, int rowCount)
    {
        var result = Uninitialized(new Shape(rowCount, Cols));
        ScatterAddRowsKernel(Data, Cols, rows, result.Data);
        return Track(result, ShouldRecord(this) ? new ScatterAddRowsOperation(this, rows, rowCount) : null, ScatterAddRowsDeclaration.OpName, this);
    }

    /// <summary>Row k of y = row rows[k] of x (rows of <paramref name="cols"/> elements).</summary>
    internal static void GatherKernel(ReadOnlySpan<T> x, int cols, int[] rows, Span<T> y)
    {
        for (int k = 0; k < rows.Length; k++)
        {
            x.Slice(rows[k] * cols, cols).CopyTo(y.Slice(k * cols, cols));
        }
    }

    /// <summary>y = zeros, then row k of x added into row rows[k] of y, for k in order.</summary>
    internal static void ScatterAddRowsKernel(ReadOnlySpan<T> x, int cols, int[] rows, Span<T> y)
    {
        y.Clear();
        for (int k = 0; k < rows.Length; k++)
        {
            Span<T> row = y.Slice(rows[k] * cols, cols);
            System.Numerics.Tensors.TensorPrimitives.Add(row, x.Slice(k * cols, cols), row);
        }
    }

    internal sealed class GatherOperation(Tensor<T> x, int[] rows) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => GatherDeclaration.OpName;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) =>
            gradients[0] = grad.ScatterAddRows(rows, Inputs[0].Rows);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.KernelStep<T>(Name, inputs, output, shape, (x, y) => GatherKernel(x[0].Array, shape.Cols, rows, y));

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(IndexedSymbol.Write(GatherDeclaration.Symbol, rows), "", inputs[0]);
    }

    internal sealed class ScatterAddRowsOperation(Tensor<T> x, int[] rows, int rowCount) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => ScatterAddRowsDeclaration.OpName;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) => gradients[0] = grad.Gather(rows);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.KernelStep<T>(Name, inputs, output, shape, (x, y) => ScatterAddRowsKernel(x[0].Array, shape.Cols, rows, y));

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(IndexedSymbol.Write(ScatterAddRowsDeclaration.Symbol, [rowCount, .. rows]), "", inputs[0]);
    }
}

/// <summary>Rows by index (here rows 2, 0, 2 of a 3-row tensor: a repeat and a reorder); a formula writes <c>gather[2, 0, 2](x)</c>.</summary>
internal sealed class GatherDeclaration : OperationDeclaration
{
    public const string OpName = "Gather";

    public const string Symbol = "gather";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.GatherOperation);

    public override int Arity => 1;

    public override bool WritesEvaluableFormula => false;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(3, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].Gather([2, 0, 2]);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        arguments.Length == 1 && IndexedSymbol.Read(symbol, Symbol) is { Length: > 0 } rows ? arguments[0].Gather(rows) : null;
}

/// <summary>The adjoint of Gather (rows 0, 2, 0 added into a 3-row tensor of zeros); a formula writes <c>scatter[rowCount, rows…](x)</c>.</summary>
internal sealed class ScatterAddRowsDeclaration : OperationDeclaration
{
    public const string OpName = "ScatterAddRows";

    public const string Symbol = "scatter";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.ScatterAddRowsOperation);

    public override int Arity => 1;

    public override bool WritesEvaluableFormula => false;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(3, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].ScatterAddRows([0, 2, 0], 3);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        arguments.Length == 1 && IndexedSymbol.Read(symbol, Symbol) is [int rowCount, .. var rows] ? arguments[0].ScatterAddRows(rows, rowCount) : null;
}
