using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// Implemented by an operation that knows its own compiled form: the one plan step that computes its result from its
/// inputs' buffers with the same kernel the eager operation runs. An operation that neither implements this nor is
/// known to <see cref="StepLowering"/> is refused by <c>Tensor.Compile</c>, by name, never compiled wrongly.
/// </summary>
internal interface IPlanStepSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The step computing this operation's result into <paramref name="output"/>.</summary>
    PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape);
}
