using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>m = (1/n) Σ x, a 1×1 result, with the kernel <c>Tensor.Mean</c> runs.</summary>
internal sealed class MeanStep<T>(PlanBuffer<T> x, PlanBuffer<T> m) : PlanStep<T>("Mean", [x], m, new Shape(1, 1))
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => Writes.Array[0] = Tensor<T>.MeanKernel(x.Array);
}
