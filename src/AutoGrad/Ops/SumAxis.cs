using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Sum along one axis: axis 0 sums down the rows (<c>sⱼ = Σᵢ xᵢⱼ</c>, a 1×Cols row), axis 1 sums
    /// across the columns (<c>sᵢ = Σⱼ xᵢⱼ</c>, a Rows×1 column).
    /// Backward: ∂L/∂x = ∂L/∂s repeated along the summed axis.
    /// </summary>
    public Tensor<T> Sum(int axis)
    {
        Tensor<T> result;
        switch (axis)
        {
            case 0:
                result = Uninitialized(new Shape(1, Cols));
                Reductions.SumRows<T>(DataFor("Sum"), Shape, result.Data);
                break;
            case 1:
                result = Uninitialized(new Shape(Rows, 1));
                Reductions.SumCols<T>(DataFor("Sum"), Shape, result.Data);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(axis),
                    string.Create(CultureInfo.InvariantCulture, $"Sum(axis): axis must be 0 (rows) or 1 (columns) for a 2-D tensor; got {axis} for a {Shape} tensor."));
        }
        return Track(result, ShouldRecord(this) ? new SumAxisOperation(this, axis) : null, SumAxisDeclaration.NameOf(axis), this);
    }

    internal sealed class SumAxisOperation(Tensor<T> x, int axis) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => SumAxisDeclaration.NameOf(axis);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.SumAxisStep<T>(Name, inputs[0], shapes[0], axis, output, shape);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) => gradients[0] = grad.BroadcastTo(Inputs[0].Shape);

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(SumAxisDeclaration.SymbolOf(axis), SumAxisDeclaration.LatexOf(axis), inputs[0]);
    }
}

/// <summary>Σ along axis 0 (Σrows) or axis 1 (Σcols).</summary>
internal sealed class SumAxisDeclaration(int axis) : OperationDeclaration
{
    private SumAxisDeclaration()
        : this(0)
    {
    }

    public static string NameOf(int axis) => string.Create(CultureInfo.InvariantCulture, $"Sum(axis: {axis})");

    public static string SymbolOf(int axis) => axis == 0 ? "Σrows" : "Σcols";

    public static string LatexOf(int axis) => axis == 0 ? "\\sum_{\\mathrm{rows}}" : "\\sum_{\\mathrm{cols}}";

    public override string Name => NameOf(axis);

    public override Type OperationType => typeof(Tensor<>.SumAxisOperation);

    public override int Arity => 1;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 4)], [new(3, 1)]];

    public override IEnumerable<OperationDeclaration> Variants => [new SumAxisDeclaration(0), new SumAxisDeclaration(1)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].Sum(axis);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        symbol == SymbolOf(axis) && arguments.Length == 1 ? arguments[0].Sum(axis) : null;
}
