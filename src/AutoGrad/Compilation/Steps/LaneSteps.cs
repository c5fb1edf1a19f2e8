using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>y = f(x) along the lanes of one axis, with the operation's own forward kernel (softmax, log-sum-exp, max, …).</summary>
internal sealed class LaneStep<T, TOp>(PlanBuffer<T> x, Shape sx, int axis, PlanBuffer<T> y, Shape sy)
    : PlanStep<T>(AxisDeclaration.NameOf(TOp.Name, axis), [x], y, sy)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, ILaneOperator<TOp>
{
    public override void Run() => TOp.Forward<T>(x.Array, sx, axis, Writes.Array);
}

/// <summary>d = ∂L/∂x of a lane operation from g, x and y: its fused backward kernel, as the eager backward pass runs it.</summary>
internal sealed class LaneGradientStep<T, TOp>(PlanBuffer<T> g, PlanBuffer<T> x, PlanBuffer<T> y, Shape sx, int axis, PlanBuffer<T> d)
    : PlanStep<T>(AxisDeclaration.NameOf(TOp.Name, axis) + "′", [g, x, y], d, sx)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, ILaneOperator<TOp>
{
    public override void Run() => TOp.Gradient<T>(g.Array, x.Array, y.Array, Shape, axis, Writes.Array);
}

/// <summary>
/// A lane operation's fused backward kernel recorded during a capture (<see cref="BackwardCapture"/>), with inputs g, x
/// and y: the compiled step then computes it from each call's values (a maximum's selection included). Never differentiated.
/// </summary>
internal sealed class CapturedLaneGradientOperation<T, TOp>(Tensor<T> grad, Tensor<T> x, Tensor<T> y, int axis)
    : CapturedOperation<T>(grad, x, y)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, ILaneOperator<TOp>
{
    /// <summary>Runs the kernel as the eager pass does and records the result as this operation's.</summary>
    public static Tensor<T> Record(Tensor<T> grad, Tensor<T> x, Tensor<T> y, int axis)
    {
        var result = Tensor<T>.Uninitialized(x.Shape);
        TOp.Gradient<T>(grad.Data, x.Data, y.Data, x.Shape, axis, result.Data);
        result.SetCreator(new CapturedLaneGradientOperation<T, TOp>(grad, x, y, axis));
        return result;
    }

    public override string Name => AxisDeclaration.NameOf(TOp.Name, axis) + "′";

    public override PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape) =>
        new LaneGradientStep<T, TOp>(inputs[0], inputs[1], inputs[2], outputShape, axis, output);
}
