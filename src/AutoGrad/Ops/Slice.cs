using System.Globalization;
using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Rows and columns by C# ranges, as PyTorch's <c>x[a:b, c:d]</c>: <c>x[1..3, ..]</c>, <c>x[^2.., 0..1]</c>. See <see cref="Slice"/>.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor<T> this[Range rows, Range cols]
    {
        get
        {
            var (r0, rn) = Bounds(TwoRangeIndexer, "rows", rows, Rows);
            var (c0, cn) = Bounds(TwoRangeIndexer, "columns", cols, Cols);
            return SliceChecked(TwoRangeIndexer, r0, rn, c0, cn);
        }
    }

    /// <summary>A range of rows, all columns, as PyTorch's <c>x[a:b]</c>: <c>x[10..20]</c>. See <see cref="Slice"/>.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor<T> this[Range rows]
    {
        get
        {
            var (r0, rn) = Bounds(RowRangeIndexer, "rows", rows, Rows);
            return SliceChecked(RowRangeIndexer, r0, rn, 0, Cols);
        }
    }

    /// <summary><paramref name="count"/> rows from row <paramref name="start"/>, all columns (a mini-batch); see <see cref="Slice"/>.</summary>
    public Tensor<T> SliceRows(int start, int count)
    {
        if (start < 0 || start >= Rows || count < 1 || start > Rows - count)
        {
            throw new ArgumentOutOfRangeException(start < 0 || start >= Rows ? nameof(start) : nameof(count),
                string.Create(CultureInfo.InvariantCulture,
                    $"SliceRows: rows {start}..{(long)start + count} (end exclusive) are not a non-empty range of a {Shape} tensor's {Rows} rows. ") +
                RangeHint(nameof(start), nameof(count), Rows));
        }
        return SliceChecked(nameof(SliceRows), start, count, 0, Cols);
    }

    /// <summary>How a refusal names the indexer <c>x[rows, cols]</c> (<see cref="Slice"/> is what it calls).</summary>
    private const string TwoRangeIndexer = "Indexer [rows, cols]";

    /// <summary>How a refusal names the indexer <c>x[rows]</c>.</summary>
    private const string RowRangeIndexer = "Indexer [rows]";

    /// <summary>
    /// A block of <paramref name="rowCount"/>×<paramref name="colCount"/> elements from (<paramref name="rowStart"/>,
    /// <paramref name="colStart"/>), a copy that keeps the graph: <c>yᵢⱼ = x₍rowStart+i₎₍colStart+j₎</c>.
    /// Backward: ∂L/∂x is ∂L/∂y placed at the block, 0 elsewhere.
    /// </summary>
    public Tensor<T> Slice(int rowStart, int rowCount, int colStart, int colCount)
    {
        bool badRows = rowStart < 0 || rowStart >= Rows || rowCount < 1 || rowStart > Rows - rowCount;
        bool badCols = colStart < 0 || colStart >= Cols || colCount < 1 || colStart > Cols - colCount;
        if (badRows || badCols)
        {
            string parameter = badRows
                ? (rowStart < 0 || rowStart >= Rows ? nameof(rowStart) : nameof(rowCount))
                : (colStart < 0 || colStart >= Cols ? nameof(colStart) : nameof(colCount));
            throw new ArgumentOutOfRangeException(parameter,
                string.Create(CultureInfo.InvariantCulture,
                    $"Slice: rows {rowStart}..{(long)rowStart + rowCount} and columns {colStart}..{(long)colStart + colCount} (end exclusive) are not a non-empty block of a {Shape} tensor. ") +
                (badRows ? RangeHint(nameof(rowStart), nameof(rowCount), Rows) : RangeHint(nameof(colStart), nameof(colCount), Cols)));
        }
        return SliceChecked(SliceDeclaration.OpName, rowStart, rowCount, colStart, colCount);
    }

    /// <summary>The block, whose bounds the public method <paramref name="op"/> has checked; a disposed tensor is refused naming it.</summary>
    private Tensor<T> SliceChecked(string op, int rowStart, int rowCount, int colStart, int colCount)
    {
        T[] x = DataFor(op);
        var result = Uninitialized(new Shape(rowCount, colCount));
        SliceKernel(x, Shape, rowStart, colStart, result.Data, result.Shape);
        return Track(result, ShouldRecord(this) ? new SliceOperation(this, rowStart, colStart, result.Shape) : null, SliceDeclaration.OpName, this);
    }

    /// <summary>y = the block of x (of <paramref name="sx"/>) at (<paramref name="rowStart"/>, <paramref name="colStart"/>) of y's shape.</summary>
    internal static void SliceKernel(ReadOnlySpan<T> x, Shape sx, int rowStart, int colStart, Span<T> y, Shape sy)
    {
        for (int i = 0; i < sy.Rows; i++)
        {
            x.Slice((rowStart + i) * sx.Cols + colStart, sy.Cols).CopyTo(y.Slice(i * sy.Cols, sy.Cols));
        }
    }

    /// <summary>What a caller may pass: "start must be 0..n−1 and start + count at most n."</summary>
    private static string RangeHint(string start, string count, int length) =>
        string.Create(CultureInfo.InvariantCulture, $"{start} must be 0..{length - 1} and {count} at least 1 with {start} + {count} at most {length}.");

    private (int Start, int Count) Bounds(string indexer, string what, Range range, int length)
    {
        int start = range.Start.IsFromEnd ? length - range.Start.Value : range.Start.Value;
        int end = range.End.IsFromEnd ? length - range.End.Value : range.End.Value;
        if (start < 0 || end > length || start >= end)
        {
            throw new ArgumentOutOfRangeException(what == "rows" ? "rows" : "cols",
                string.Create(CultureInfo.InvariantCulture, $"{indexer}: {what} {range} are {start}..{end} (end exclusive), not a non-empty range of a {Shape} tensor's {length} {what}."));
        }
        return (start, end - start);
    }

    internal sealed class SliceOperation(Tensor<T> x, int rowStart, int colStart, Shape block) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => SliceDeclaration.OpName;

        public int RowStart => rowStart;

        public int ColStart => colStart;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) =>
            gradients[0] = grad.Pad(Inputs[0].Shape, rowStart, colStart);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.KernelStep<T>(Name, inputs, output, shape, (x, y) => SliceKernel(x[0].Array, shapes[0], rowStart, colStart, y, shape));

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(IndexedSymbol.Write(SliceDeclaration.Symbol, rowStart, block.Rows, colStart, block.Cols), "", inputs[0]);
    }
}

/// <summary>A block of a tensor (here everything but the first row and column); a formula writes <c>slice[row, rows, col, cols](x)</c>.</summary>
internal sealed class SliceDeclaration : OperationDeclaration
{
    public const string OpName = "Slice";

    public const string Symbol = "slice";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.SliceOperation);

    public override int Arity => 1;

    public override bool WritesEvaluableFormula => false;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(2, 2)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0][1.., 1..];

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        arguments.Length == 1 && IndexedSymbol.Read(symbol, Symbol) is [int row, int rows, int col, int cols]
            ? arguments[0].Slice(row, rows, col, cols)
            : null;
}
