using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// d = a ⊕ b element-wise with broadcasting, with the operation's own operator <typeparamref name="TOp"/>. On a band
/// it makes the calls <see cref="Broadcasting.Apply{T, TOp}"/> makes, cut to the band: a whole-array call becomes a
/// call on the band's slice, a row's call a call on the row's part inside the band.
/// </summary>
internal sealed class BinaryStep<T, TOp>(PlanBuffer<T> a, Shape sa, PlanBuffer<T> b, Shape sb, PlanBuffer<T> d, Shape sd)
    : PlanStep<T>(TOp.Name, [a, b], d, sd)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IBinaryOperator<TOp>
{
    public override void Run() => Broadcasting.Apply<T, TOp>(a.Array, sa, b.Array, sb, Writes.Array, Shape);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length)
    {
        Shape sd = Shape;
        if (sa == sd && sb == sd)
        {
            TOp.Invoke<T>(Band(a, start, length), Band(b, start, length), Band(Writes, start, length));
            return;
        }
        if (sb.IsScalar && sa == sd)
        {
            TOp.Invoke<T>(Band(a, start, length), b.Array[0], Band(Writes, start, length));
            return;
        }
        if (sa.IsScalar && sb == sd)
        {
            TOp.Invoke<T>(a.Array[0], Band(b, start, length), Band(Writes, start, length));
            return;
        }
        int cols = sd.Cols, end = start + length;
        bool aIsRow = sa.Cols == cols, bIsRow = sb.Cols == cols;
        ReadOnlySpan<T> av = a.Array, bv = b.Array;
        for (int i = start / cols; i * cols < end; i++)
        {
            int from = Math.Max(start, i * cols), to = Math.Min(end, (i + 1) * cols);
            int offset = from - i * cols, count = to - from;
            int ai = sa.Rows == 1 ? 0 : i;
            int bi = sb.Rows == 1 ? 0 : i;
            Span<T> part = Writes.Array.AsSpan(from, count);
            if (aIsRow && bIsRow)
            {
                TOp.Invoke<T>(av.Slice(ai * cols + offset, count), bv.Slice(bi * cols + offset, count), part);
            }
            else if (aIsRow)
            {
                TOp.Invoke<T>(av.Slice(ai * cols + offset, count), bv[bi], part);
            }
            else
            {
                TOp.Invoke<T>(av[ai], bv.Slice(bi * cols + offset, count), part);
            }
        }
    }
}
