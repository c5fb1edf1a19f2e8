using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// Implemented by an operation that knows its own compiled form: the one plan step that computes its result from its
/// inputs' buffers with the same kernel the eager operation runs. An operation that neither implements this nor is
/// known to <see cref="StepLowering"/> is refused by <c>Tensor.Compile</c>, by name, never compiled wrongly.
/// </summary>
/// <remarks>
/// Before implementing it, look at the operation's backward rule as it runs during a capture (recording on,
/// <see cref="BackwardCapture.IsActive"/>): a fused kernel the plain pass runs instead of the recorded form must be
/// captured as one operation (as <c>UnaryOperation</c> and <c>Pow</c> do), and anything the rule reads from the data
/// into an unrecorded tensor (a mask, a selection) must be captured too (as <c>PartialDerivativeValues</c> is), or the
/// compiled step would replay the trace's values. The trace-time checks catch the first (a plain backward must
/// give the captured bits); the second only shows on new values (the fuzzed-graph property changes every leaf).
/// </remarks>
internal interface IPlanStepSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The step computing this operation's result into <paramref name="output"/>.</summary>
    PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape);
}
