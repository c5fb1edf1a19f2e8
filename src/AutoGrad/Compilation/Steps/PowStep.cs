using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGrad.Compilation;

/// <summary>d = xᵖ element-wise with a constant exponent, as <c>Tensor.Pow</c> computes it.</summary>
internal sealed class PowStep<T>(string name, PlanBuffer<T> x, T exponent, PlanBuffer<T> d, Shape shape)
    : PlanStep<T>(name, [x], d, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => TensorPrimitives.Pow<T>(x.Array, exponent, Writes.Array);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length) => TensorPrimitives.Pow<T>(Band(x, start, length), exponent, Band(Writes, start, length));
}
