using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// This tensor placed at (<paramref name="rowStart"/>, <paramref name="colStart"/>) in a tensor of zeros of
    /// <paramref name="shape"/>: the adjoint of <see cref="Slice"/>, and its backward rule.
    /// Backward: ∂L/∂x = the block of ∂L/∂y at the same place (a slice).
    /// </summary>
    internal Tensor<T> Pad(Shape shape, int rowStart, int colStart)
    {
        var result = Uninitialized(shape);
        PadKernel(Data, Shape, rowStart, colStart, result.Data, shape);
        return Track(result, ShouldRecord(this) ? new PadOperation(this, shape, rowStart, colStart) : null, PadDeclaration.OpName, this);
    }

    /// <summary>y = zeros of <paramref name="sy"/> with x (of <paramref name="sx"/>) placed at (<paramref name="rowStart"/>, <paramref name="colStart"/>).</summary>
    internal static void PadKernel(ReadOnlySpan<T> x, Shape sx, int rowStart, int colStart, Span<T> y, Shape sy)
    {
        y.Clear();
        for (int i = 0; i < sx.Rows; i++)
        {
            x.Slice(i * sx.Cols, sx.Cols).CopyTo(y.Slice((rowStart + i) * sy.Cols + colStart, sx.Cols));
        }
    }

    internal sealed class PadOperation(Tensor<T> x, Shape shape, int rowStart, int colStart) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => PadDeclaration.OpName;

        public int RowStart => rowStart;

        public int ColStart => colStart;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) =>
            gradients[0] = grad.Slice(rowStart, Inputs[0].Rows, colStart, Inputs[0].Cols);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape outputShape) =>
            new Compilation.KernelStep<T>(Name, inputs, output, outputShape, (x, y) => PadKernel(x[0].Array, shapes[0], rowStart, colStart, y, outputShape));

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(PadDeclaration.SymbolOf(shape, rowStart, colStart), "", inputs[0]);
    }
}

/// <summary>The adjoint of Slice (a 2×3 block placed at (1, 1) in 4×5 zeros); a formula writes <c>pad[rows, cols, row, col](x)</c>.</summary>
internal sealed class PadDeclaration : OperationDeclaration
{
    public const string OpName = "Pad";

    public const string Symbol = "pad";

    public static string SymbolOf(Shape shape, int rowStart, int colStart) => IndexedSymbol.Write(Symbol, shape.Rows, shape.Cols, rowStart, colStart);

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.PadOperation);

    public override int Arity => 1;

    public override bool WritesEvaluableFormula => false;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(2, 3)], [new(1, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].Pad(new Shape(4, 5), 1, 1);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        arguments.Length == 1 && IndexedSymbol.Read(symbol, Symbol) is [int rows, int cols, int row, int col]
            ? arguments[0].Pad(new Shape(rows, cols), row, col)
            : null;
}
