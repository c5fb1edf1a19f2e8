using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// d = a ⊕ b element-wise with broadcasting, with the operation's own operator <typeparamref name="TOp"/>. On a band
/// it makes the calls <see cref="Broadcasting.Apply{T, TOp}"/> makes, cut to the band: a whole-array call becomes a
/// call on the band's slice, a row's call a call on the row's part inside the band. An operator that is one IEEE 754
/// operation (+, −, ×, ÷: <see cref="IBinaryFunction{TSelf}.IsSingleOperation"/>) runs instead as one loop of its
/// own vector form over the band, broadcast rows and repeated values included: each element gets the one correctly
/// rounded result whichever loop computes it, and a bias add no longer pays a span call per row.
/// </summary>
internal sealed class BinaryStep<T, TOp>(PlanBuffer<T> a, Shape sa, PlanBuffer<T> b, Shape sb, PlanBuffer<T> d, Shape sd)
    : PlanStep<T>(TOp.Name, [a, b], d, sd)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IBinaryOperator<TOp>
{
    public override void Run()
    {
        if (TOp.IsSingleOperation)
        {
            SingleOperation(0, Shape.Length);
            return;
        }
        Broadcasting.Apply<T, TOp>(a.Array, sa, b.Array, sb, Writes.Array, Shape);
    }

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length)
    {
        if (TOp.IsSingleOperation)
        {
            SingleOperation(start, length);
            return;
        }
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

    /// <summary>Elements [start, start + length) in one loop of the operator's vector form, row part by row part.</summary>
    private void SingleOperation(int start, int length)
    {
        Shape sd = Shape;
        T[] av = a.Array, bv = b.Array, dv = Writes.Array;
        if (sa == sd && sb == sd)
        {
            Lanes(ref av[start], false, ref bv[start], false, ref dv[start], length);
            return;
        }
        if (sb.IsScalar && sa == sd)
        {
            Lanes(ref av[start], false, ref bv[0], true, ref dv[start], length);
            return;
        }
        if (sa.IsScalar && sb == sd)
        {
            Lanes(ref av[0], true, ref bv[start], false, ref dv[start], length);
            return;
        }
        // Broadcast rows: one width for the whole band (the widest whose vectors fit a row), the row loop inside it.
        int cols = sd.Cols;
        if (Vector512.IsHardwareAccelerated && cols >= Vector512<T>.Count)
        {
            Rows<Math512<T>>(start, length);
        }
        else if (Vector256.IsHardwareAccelerated && cols >= Vector256<T>.Count)
        {
            Rows<Math256<T>>(start, length);
        }
        else
        {
            Rows<Math128<T>>(start, length);
        }
    }

    /// <summary>Elements [start, start + length) of a result with a broadcast operand, row part by row part, in vectors of <typeparamref name="TVec"/> and a scalar tail per row.</summary>
    private void Rows<TVec>(int start, int length) where TVec : struct, ISimdMath<TVec, T>
    {
        Shape sd = Shape;
        T[] av = a.Array, bv = b.Array, dv = Writes.Array;
        int cols = sd.Cols, end = start + length, w = TVec.Count;
        bool aIsRow = sa.Cols == cols, bIsRow = sb.Cols == cols;
        for (int i = start / cols; i * cols < end; i++)
        {
            int from = Math.Max(start, i * cols), n = Math.Min(end, (i + 1) * cols) - from;
            int offset = from - i * cols;
            int ai = sa.Rows == 1 ? 0 : i;
            int bi = sb.Rows == 1 ? 0 : i;
            ref T ra = ref aIsRow ? ref av[ai * cols + offset] : ref av[ai];
            ref T rb = ref bIsRow ? ref bv[bi * cols + offset] : ref bv[bi];
            ref T rd = ref dv[from];
            TVec repeated = aIsRow ? TVec.Create(rb) : TVec.Create(ra);
            int k = 0;
            for (; k <= n - w; k += w)
            {
                TVec x = aIsRow ? TVec.Load(ref ra, (nuint)k) : repeated;
                TVec y = bIsRow ? TVec.Load(ref rb, (nuint)k) : repeated;
                TVec.Store(TOp.Invoke<T, TVec>(x, y), ref rd, (nuint)k);
            }
            for (; k < n; k++)
            {
                Unsafe.Add(ref rd, k) = TOp.Invoke(aIsRow ? Unsafe.Add(ref ra, k) : ra, bIsRow ? Unsafe.Add(ref rb, k) : rb);
            }
        }
    }

    /// <summary>d[k] = f(a[k] or a, b[k] or b) for k &lt; n: whole vectors of the widest accelerated width, then narrower ones, then scalars.</summary>
    private static void Lanes(ref T a, bool aRepeats, ref T b, bool bRepeats, ref T d, int n)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            k = Lanes<Math512<T>>(ref a, aRepeats, ref b, bRepeats, ref d, n, k);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            k = Lanes<Math256<T>>(ref a, aRepeats, ref b, bRepeats, ref d, n, k);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            k = Lanes<Math128<T>>(ref a, aRepeats, ref b, bRepeats, ref d, n, k);
        }
        for (; k < n; k++)
        {
            Unsafe.Add(ref d, k) = TOp.Invoke(aRepeats ? a : Unsafe.Add(ref a, k), bRepeats ? b : Unsafe.Add(ref b, k));
        }
    }

    private static int Lanes<TVec>(ref T a, bool aRepeats, ref T b, bool bRepeats, ref T d, int n, int k)
        where TVec : struct, ISimdMath<TVec, T>
    {
        int w = TVec.Count;
        TVec repeatedA = aRepeats ? TVec.Create(a) : default, repeatedB = bRepeats ? TVec.Create(b) : default;
        for (; k <= n - w; k += w)
        {
            TVec x = aRepeats ? repeatedA : TVec.Load(ref a, (nuint)k);
            TVec y = bRepeats ? repeatedB : TVec.Load(ref b, (nuint)k);
            TVec.Store(TOp.Invoke<T, TVec>(x, y), ref d, (nuint)k);
        }
        return k;
    }
}
