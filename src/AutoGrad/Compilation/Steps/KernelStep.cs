using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>The kernel of a <see cref="KernelStep{T}"/>: reads the step's input buffers, writes its whole result.</summary>
internal delegate void StepKernel<T>(PlanBuffer<T>[] inputs, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// A step that runs an operation's own kernel, given by the operation as a delegate created once when the plan is built
/// (the arrangement operations: Reshape, Slice, Pad, Concat, Gather, ScatterAddRows); their index arguments (a
/// slice's corner, gathered rows) are constants of the trace, as they are of the recorded operation.
/// </summary>
internal sealed class KernelStep<T>(string name, PlanBuffer<T>[] inputs, PlanBuffer<T> output, Shape shape, StepKernel<T> kernel)
    : PlanStep<T>(name, inputs, output, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => kernel(Reads, Writes.Array);
}
