using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// A node that only a capture records (<see cref="BackwardCapture"/>): a fused backward kernel, or values a rule reads
/// from the data (a mask, a selection), recorded with the tensors it reads so that a compiled step computes it again
/// from each call's values. Never differentiated and never written in a formula; it only says which plan step runs it.
/// </summary>
internal abstract class CapturedOperation<T>(params Tensor<T>[] inputs) : Operation<T>(inputs), IPlanStepSource<T>, ICaptureOnly
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public sealed override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) =>
        throw new NotSupportedException($"{Name}: a captured kernel is not differentiable (internal error: a captured graph was differentiated).");

    public sealed override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
        throw new NotSupportedException($"{Name}: a captured kernel has no notation (internal error).");

    public abstract PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape);
}
