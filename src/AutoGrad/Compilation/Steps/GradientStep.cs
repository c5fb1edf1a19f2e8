using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>d = g ⊙ f′(x, y) element-wise: the operator's fused backward kernel, as the eager backward pass runs it.</summary>
internal sealed class GradientStep<T, TOp>(PlanBuffer<T> g, PlanBuffer<T> x, PlanBuffer<T> y, PlanBuffer<T> d, Shape shape)
    : PlanStep<T>(TOp.Name + "′", [g, x, y], d, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IUnaryOperator<TOp>
{
    public override void Run() => TOp.Gradient<T>(g.Array, x.Array, y.Array, Writes.Array);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length) =>
        TOp.Gradient<T>(Band(g, start, length), Band(x, start, length), Band(y, start, length), Band(Writes, start, length));
}
