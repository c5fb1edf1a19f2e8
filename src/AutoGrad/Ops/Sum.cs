using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Sum of all elements: <c>s = Σᵢⱼ xᵢⱼ</c>, a 1×1 tensor. Backward: ∂L/∂x = ∂L/∂s repeated over x's shape.</summary>
    public Tensor<T> Sum()
    {
        var result = Uninitialized(new Shape(1, 1));
        result.Data[0] = Kernels.Summation.Sum<T>(DataFor(SumDeclaration.OpName));
        return Track(result, ShouldRecord(this) ? new SumOperation(this) : null, SumDeclaration.OpName, this);
    }

    internal sealed class SumOperation(Tensor<T> x) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => SumDeclaration.OpName;

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.SumStep<T>(inputs[0], output);

        // the gradient of the broadcast shape: the engine repeats ∂L/∂s over x
        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) => gradients[0] = grad.BroadcastTo(Inputs[0].Shape);

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) => Notation.Function("Σ", "\\sum", inputs[0]);
    }
}

/// <summary>Σ x over every element.</summary>
internal sealed class SumDeclaration : OperationDeclaration
{
    public const string OpName = "Sum";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.SumOperation);

    public override int Arity => 1;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].Sum();

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        symbol == "Σ" && arguments.Length == 1 ? arguments[0].Sum() : null;
}
