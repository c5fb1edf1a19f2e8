using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>C = op(A) · op(B) with the eager GEMM (same blocking, same threads, same bits).</summary>
internal sealed class MatMulStep<T>(string name, PlanBuffer<T> a, Shape sa, bool ta, PlanBuffer<T> b, Shape sb, bool tb, PlanBuffer<T> c, Shape sc)
    : PlanStep<T>(name, [a, b], c, sc)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => Gemm.Multiply(a.Array, sa, ta, b.Array, sb, tb, Writes.Array, Shape);
}

/// <summary>s = Σ x, a 1×1 result.</summary>
internal sealed class SumStep<T>(PlanBuffer<T> x, PlanBuffer<T> s) : PlanStep<T>("Sum", [x], s, new Shape(1, 1))
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => Writes.Array[0] = TensorPrimitives.Sum<T>(x.Array);
}

/// <summary>Sum along axis 0 (a row) or 1 (a column).</summary>
internal sealed class SumAxisStep<T>(string name, PlanBuffer<T> x, Shape sx, int axis, PlanBuffer<T> s, Shape ss)
    : PlanStep<T>(name, [x], s, ss)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run()
    {
        if (axis == 0)
        {
            Reductions.SumRows<T>(x.Array, sx, Writes.Array);
        }
        else
        {
            Reductions.SumCols<T>(x.Array, sx, Writes.Array);
        }
    }
}

/// <summary>Repeats a row, column or scalar to the result's shape.</summary>
internal sealed class BroadcastToStep<T>(PlanBuffer<T> x, Shape sx, PlanBuffer<T> d, Shape sd) : PlanStep<T>("BroadcastTo", [x], d, sd)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => Reductions.BroadcastTo<T>(x.Array, sx, Writes.Array, Shape);
}

/// <summary>d = xᵀ.</summary>
internal sealed class TransposeStep<T>(PlanBuffer<T> x, Shape sx, PlanBuffer<T> d) : PlanStep<T>("Transpose", [x], d, sx.Transposed)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => TransposeKernel.Transpose<T>(x.Array, sx, Writes.Array);
}
