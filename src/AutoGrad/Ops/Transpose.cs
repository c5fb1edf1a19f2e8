using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Transpose: <c>Y = Xᵀ</c>, an n×m tensor from an m×n one. Backward: ∂L/∂X = (∂L/∂Y)ᵀ.</summary>
    public Tensor<T> Transpose()
    {
        var result = Uninitialized(Shape.Transposed);
        TransposeKernel.Transpose<T>(DataFor(TransposeDeclaration.OpName), Shape, result.Data);
        return Track(result, ShouldRecord(this) ? new TransposeOperation(this) : null, TransposeDeclaration.OpName, this);
    }

    internal sealed class TransposeOperation(Tensor<T> x) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => TransposeDeclaration.OpName;

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.TransposeStep<T>(inputs[0], shapes[0], output);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) => gradients[0] = grad.Transpose();

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) => Notation.Transpose(inputs[0]);
    }
}

/// <summary>Xᵀ.</summary>
internal sealed class TransposeDeclaration : OperationDeclaration
{
    public const string OpName = "Transpose";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.TransposeOperation);

    public override int Arity => 1;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 5)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].Transpose();

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        symbol == "ᵀ" && arguments.Length == 1 ? arguments[0].Transpose() : null;
}
