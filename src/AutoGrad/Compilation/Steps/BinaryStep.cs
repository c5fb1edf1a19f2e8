using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// d = a ⊕ b element-wise with broadcasting, with the eager operation's own kernel <typeparamref name="TKernel"/>.
/// On a band of rows it makes the same kernel calls as <see cref="Broadcasting.Apply{T, TOp}"/> restricted to those
/// rows (a whole-array call becomes a call on the band's slice).
/// </summary>
internal sealed class BinaryStep<T, TKernel>(string name, PlanBuffer<T> a, Shape sa, PlanBuffer<T> b, Shape sb, PlanBuffer<T> d, Shape sd)
    : PlanStep<T>(name, [a, b], d, sd)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : IBinaryKernel<T>
{
    public override void Run() => Broadcasting.Apply<T, TKernel>(a.Array, sa, b.Array, sb, Writes.Array, Shape);

    public override bool IsElementwise => true;

    public override void RunRows(int first, int count)
    {
        Span<T> dest = Rows(Writes, first, count);
        if (sa == Shape && sb == Shape)
        {
            TKernel.Invoke(Rows(a, first, count), Rows(b, first, count), dest);
            return;
        }
        if (sb.IsScalar && sa == Shape)
        {
            TKernel.Invoke(Rows(a, first, count), b.Array[0], dest);
            return;
        }
        if (sa.IsScalar && sb == Shape)
        {
            TKernel.Invoke(a.Array[0], Rows(b, first, count), dest);
            return;
        }
        int cols = Shape.Cols;
        bool aIsRow = sa.Cols == cols, bIsRow = sb.Cols == cols;
        ReadOnlySpan<T> av = a.Array, bv = b.Array;
        for (int i = first; i < first + count; i++)
        {
            int ai = sa.Rows == 1 ? 0 : i;
            int bi = sb.Rows == 1 ? 0 : i;
            Span<T> row = Writes.Array.AsSpan(i * cols, cols);
            if (aIsRow && bIsRow)
            {
                TKernel.Invoke(av.Slice(ai * cols, cols), bv.Slice(bi * cols, cols), row);
            }
            else if (aIsRow)
            {
                TKernel.Invoke(av.Slice(ai * cols, cols), bv[bi], row);
            }
            else
            {
                TKernel.Invoke(av[ai], bv.Slice(bi * cols, cols), row);
            }
        }
    }
}
