using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>y = f(x) element-wise, with the operation's own operator <typeparamref name="TOp"/> (its span kernel).</summary>
internal sealed class UnaryStep<T, TOp>(PlanBuffer<T> x, PlanBuffer<T> y, Shape shape) : PlanStep<T>(TOp.Name, [x], y, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IUnaryOperator<TOp>
{
    public override void Run() => TOp.Invoke<T>(x.Array, Writes.Array);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length) => TOp.Invoke<T>(Band(x, start, length), Band(Writes, start, length));
}
