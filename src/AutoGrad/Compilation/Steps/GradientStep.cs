using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>d = rule(g, saved) element-wise: a fused backward kernel, as the eager backward pass runs it.</summary>
internal sealed class GradientStep<T, TKernel>(PlanBuffer<T> grad, PlanBuffer<T> saved, PlanBuffer<T> d, Shape shape)
    : PlanStep<T>(KernelName.Of<TKernel>(), [grad, saved], d, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : IGradientKernel<T>
{
    public override void Run() => GradientKernel.Invoke<T, TKernel>(grad.Array, saved.Array, Writes.Array);

    public override bool IsElementwise => true;

    public override void RunRows(int first, int count) =>
        GradientKernel.Invoke<T, TKernel>(Rows(grad, first, count), Rows(saved, first, count), Rows(Writes, first, count));
}
