using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>y = s · Σ x², a 1×1 result, with the kernel <c>Tensor.ScaledSumOfSquares</c> runs (the squared-error losses).</summary>
internal sealed class SumOfSquaresStep<T>(string name, PlanBuffer<T> x, T scale, PlanBuffer<T> y) : PlanStep<T>(name, [x], y, new Shape(1, 1))
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => Writes.Array[0] = Tensor<T>.SumOfSquaresKernel(x.Array, scale);
}
