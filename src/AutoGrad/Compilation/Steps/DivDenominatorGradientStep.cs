using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// d = −g ⊙ (z / b), z = a / b, element-wise over z's shape with a and b broadcast to it: Div's gradient for the
/// denominator with <see cref="DivKernel"/>, as the eager backward pass runs it.
/// </summary>
internal sealed class DivDenominatorGradientStep<T>(string name, PlanBuffer<T> g, PlanBuffer<T> a, Shape sa, PlanBuffer<T> b, Shape sb,
    PlanBuffer<T> z, PlanBuffer<T> d, Shape shape)
    : PlanStep<T>(name, [g, a, b, z], d, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => RunRange(0, Shape.Length);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length) =>
        DivKernel.DenominatorGradient<T>(g.Array, z.Array, a.Array, sa, b.Array, sb, Writes.Array, Shape, start, length);
}
