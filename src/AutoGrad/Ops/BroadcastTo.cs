using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Repeats a row (1×n), a column (n×1) or a scalar (1×1) to fill <paramref name="shape"/>:
    /// <c>yᵢⱼ = x₍ᵢ or 0₎₍ⱼ or 0₎</c>.
    /// Backward: ∂L/∂x = ∂L/∂y summed over the repeated axes (which the backward pass does for every operation).
    /// </summary>
    public Tensor<T> BroadcastTo(Shape shape)
    {
        if (shape.Rows < 1 || shape.Cols < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"BroadcastTo: a {Shape} tensor cannot be broadcast to {shape}: a tensor needs at least one row and one column.");
        }
        T[] x = DataFor(BroadcastToDeclaration.OpName); // a disposed tensor is refused even where it would be returned as it is
        if (shape == Shape)
        {
            return this;
        }
        if ((Rows != shape.Rows && Rows != 1) || (Cols != shape.Cols && Cols != 1))
        {
            // checked here, not by the broadcasting rule of two operands: 1×n and m×1 broadcast together, to m×n, not to m×1
            throw new ArgumentException(
                $"BroadcastTo: a {Shape} tensor cannot be broadcast to {shape}: each of its sizes must equal the target's or be 1.", nameof(shape));
        }
        var result = Uninitialized(shape);
        Reductions.BroadcastTo<T>(x, Shape, result.Data, shape);
        return Track(result, ShouldRecord(this) ? new BroadcastToOperation(this) : null, BroadcastToDeclaration.OpName, this);
    }

    /// <summary>
    /// Sums a gradient back to the shape of an input that was broadcast: the adjoint of <see cref="BroadcastTo"/>.
    /// Built from <see cref="Sum(int)"/> and <see cref="Sum()"/>, so it is recorded when recording is on.
    /// </summary>
    internal Tensor<T> SumTo(Shape shape)
    {
        Tensor<T> g = this;
        if (g.Shape == shape)
        {
            return g;
        }
        if (shape.IsScalar)
        {
            return g.Sum();
        }
        if (shape.Rows == 1 && g.Rows != 1)
        {
            g = g.Sum(0);
        }
        if (shape.Cols == 1 && g.Cols != 1)
        {
            g = g.Sum(1);
        }
        return g;
    }

    internal sealed class BroadcastToOperation(Tensor<T> x) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => BroadcastToDeclaration.OpName;

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.BroadcastToStep<T>(inputs[0], shapes[0], output, shape);

        // the gradient of the broadcast shape: the engine sums it back to x's
        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) => gradients[0] = grad;

        // broadcasting is implicit in the notation
        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) => inputs[0];
    }
}

/// <summary>A row, column or scalar repeated to a larger shape.</summary>
internal sealed class BroadcastToDeclaration : OperationDeclaration
{
    public const string OpName = "BroadcastTo";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.BroadcastToOperation);

    public override int Arity => 1;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(1, 4)], [new(3, 1)], [new(1, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].BroadcastTo(new Shape(3, 4));

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
}
