using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// While a function is traced, <c>r.Detach()</c> of a recorded result r is recorded as this node (requiring no gradient,
/// so no gradient flows back through it, as <c>Detach</c> promises): the compiled plan copies r's value of each call
/// instead of keeping the value r had when traced.
/// </summary>
internal sealed class DetachedResultOperation<T>(Tensor<T> source) : CapturedOperation<T>(source)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Name => "Detach";

    public override PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape) =>
        new CopyStep<T>(inputs[0], output, outputShape);
}

/// <summary>y = x, element by element: a detached result's value in a buffer of its own.</summary>
internal sealed class CopyStep<T>(PlanBuffer<T> x, PlanBuffer<T> y, Shape shape) : PlanStep<T>("Detach", [x], y, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override bool IsElementwise => true;

    public override void Run() => x.Array.AsSpan().CopyTo(Writes.Array);

    public override void RunRange(int start, int length) => Band(x, start, length).CopyTo(Band(Writes, start, length));
}
