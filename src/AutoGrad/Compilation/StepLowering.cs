using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// Turns one recorded operation into the plan step that runs its forward kernel: the operation declares it
/// (<see cref="IPlanStepSource{T}"/>, beside its backward rule). An operation that does not is refused by name — a new
/// operation is never compiled by guesswork.
/// </summary>
internal static class StepLowering
{
    public static PlanStep<T> Lower<T>(Operation<T> op, PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape shape)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        op is IPlanStepSource<T> source ? source.CreateStep(inputs, inputShapes, output, shape) : throw Unsupported(op);

    public static NotSupportedException Unsupported<T>(Operation<T> op) where T : unmanaged, IFloatingPointIeee754<T> => new(
        $"Tensor.Compile: the operation {op.Name} has no compiled form yet, so this function cannot be compiled; " +
        "run it eagerly (loss.Backward()), or give the operation a plan step (IPlanStepSource).");
}
