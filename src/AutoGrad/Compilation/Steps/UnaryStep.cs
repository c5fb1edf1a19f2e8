using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>d = f(x) element-wise, with the eager operation's own kernel <typeparamref name="TKernel"/>.</summary>
internal sealed class UnaryStep<T, TKernel>(string name, PlanBuffer<T> x, PlanBuffer<T> d, Shape shape)
    : PlanStep<T>(name, [x], d, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : IUnaryKernel<T>
{
    public override void Run() => TKernel.Invoke(x.Array, Writes.Array);

    public override bool IsElementwise => true;

    public override void RunRows(int first, int count) => TKernel.Invoke(Rows(x, first, count), Rows(Writes, first, count));
}
