using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    : PlanStep<T>(TOp.Name, [a, b], d, sd), IProductEpilogue<T>
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

    /// <summary>
    /// This operation and the <paramref name="product"/> whose result it reads as one operand, the other being a row
    /// (1 × n), as one step that runs it in the product's epilogue (<see cref="MatMulEpilogueStep{T, TEpilogue}"/>); null
    /// where that does not apply: an operator that is not one IEEE 754 operation, another operand, or a product the
    /// epilogue does not serve. The caller makes sure nothing else reads the product's result.
    /// </summary>
    public PlanStep<T>? AfterProduct(MatMulStep<T> product)
    {
        if (!TOp.IsSingleOperation || !product.TakesEpilogue || Shape != product.Shape)
        {
            return null;
        }
        bool aIsProduct = ReferenceEquals(a, product.Writes) && sa == Shape, bIsProduct = ReferenceEquals(b, product.Writes) && sb == Shape;
        (PlanBuffer<T> row, Shape sr) = aIsProduct ? (b, sb) : (a, sa);
        if (aIsProduct == bIsProduct || sr.Rows != 1 || sr.Cols != Shape.Cols
            || ReferenceEquals(row, product.Writes) || Array.IndexOf(product.Reads, Writes) >= 0 || ReferenceEquals(row, Writes))
        {
            return null;
        }
        string then = aIsProduct ? $"{TOp.Name}(·, {row.Label})" : $"{TOp.Name}({row.Label}, ·)";
        return aIsProduct
            ? product.WithEpilogue<RowEpilogue<T, TOp, ProductOnTheLeft>>(then, this, row, null)
            : product.WithEpilogue<RowEpilogue<T, TOp, ProductOnTheRight>>(then, this, row, null);
    }

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
        int cols = sd.Cols;
        // A full operand beside one row (a bias add): one flat loop over the band when whole vectors tile a row.
        bool aFull = sa == sd, bFull = sb == sd;
        bool aRow = sa.Rows == 1 && sa.Cols == cols, bRow = sb.Rows == 1 && sb.Cols == cols;
        if ((aFull && bRow) || (aRow && bFull))
        {
            bool Tiles(int w) => cols % w == 0 && start % w == 0 && length % w == 0;
            if (Vector512.IsHardwareAccelerated && Tiles(Vector512<T>.Count))
            {
                RowBroadcast<Math512<T>>(start, length, aRow);
                return;
            }
            if (Vector256.IsHardwareAccelerated && Tiles(Vector256<T>.Count))
            {
                RowBroadcast<Math256<T>>(start, length, aRow);
                return;
            }
            if (Vector128.IsHardwareAccelerated && Tiles(Vector128<T>.Count))
            {
                RowBroadcast<Math128<T>>(start, length, aRow);
                return;
            }
        }
        // Broadcast rows: one width for the whole band (the widest whose vectors fit a row), the row loop inside it.
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

    /// <summary>
    /// Elements [start, start + length) of a result with a broadcast operand, row part by row part, in vectors of
    /// <typeparamref name="TVec"/> and a scalar tail per row; each row part is one unswitched loop (<see cref="Part{TVec}"/>).
    /// </summary>
    private void Rows<TVec>(int start, int length) where TVec : struct, ISimdMath<TVec, T>
    {
        Shape sd = Shape;
        T[] av = a.Array, bv = b.Array, dv = Writes.Array;
        int cols = sd.Cols, end = start + length;
        if (start < 0 || end > dv.Length || end > sd.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Compiled plan: {Name} band [{start}, {end}) outside its {sd} result (internal error).");
        }
        bool aIsRow = sa.Cols == cols, bIsRow = sb.Cols == cols;
        // the operands' extents, checked once: a row operand holds (1 or Rows) × cols values, a column one (1 or Rows)
        int aNeeds = (sa.Rows == 1 ? 1 : sd.Rows) * (aIsRow ? cols : 1), bNeeds = (sb.Rows == 1 ? 1 : sd.Rows) * (bIsRow ? cols : 1);
        if (av.Length < aNeeds || bv.Length < bNeeds)
        {
            throw new InvalidOperationException($"Compiled plan: {Name} operands of {av.Length} and {bv.Length} elements for ({sa}) and ({sb}) (internal error).");
        }
        ref T ra0 = ref MemoryMarshal.GetArrayDataReference(av);
        ref T rb0 = ref MemoryMarshal.GetArrayDataReference(bv);
        ref T rd0 = ref MemoryMarshal.GetArrayDataReference(dv);
        for (int i = start / cols; i * cols < end; i++)
        {
            int from = Math.Max(start, i * cols), n = Math.Min(end, (i + 1) * cols) - from;
            int offset = from - i * cols;
            int ai = sa.Rows == 1 ? 0 : i;
            int bi = sb.Rows == 1 ? 0 : i;
            ref T ra = ref aIsRow ? ref Unsafe.Add(ref ra0, ai * cols + offset) : ref Unsafe.Add(ref ra0, ai);
            ref T rb = ref bIsRow ? ref Unsafe.Add(ref rb0, bi * cols + offset) : ref Unsafe.Add(ref rb0, bi);
            int k = Part<TVec>(ref ra, !aIsRow, ref rb, !bIsRow, ref Unsafe.Add(ref rd0, from), n, 0);
            Tail(ref ra, !aIsRow, ref rb, !bIsRow, ref Unsafe.Add(ref rd0, from), n, k);
        }
    }

    /// <summary>
    /// Elements [start, start + length) of a result whose one operand is a single row (1 × cols, <paramref name="aIsRow"/>
    /// says which) and the other the full result shape, cols a multiple of <typeparamref name="TVec"/>'s width: the band's
    /// row parts in one method, each a plain vector loop (a bias add pays no per-row call); a row of one vector is
    /// loaded once. The band
    /// starts and ends on whole vectors (bands start at multiples of 256 elements and end at one or at the array's end).
    /// </summary>
    private void RowBroadcast<TVec>(int start, int length, bool aIsRow) where TVec : struct, ISimdMath<TVec, T>
    {
        T[] av = a.Array, bv = b.Array, dv = Writes.Array;
        int cols = Shape.Cols, w = TVec.Count, end = start + length;
        T[] full = aIsRow ? bv : av, row = aIsRow ? av : bv;
        if (start < 0 || length < 0 || end > dv.Length || end > Shape.Length || full.Length < end || row.Length < cols)
        {
            throw new InvalidOperationException($"Compiled plan: {Name} band [{start}, {end}) of its {Shape} result against operands of {av.Length} and {bv.Length} elements (internal error).");
        }
        ref T rf = ref MemoryMarshal.GetArrayDataReference(full);
        ref T rr = ref MemoryMarshal.GetArrayDataReference(row);
        ref T rd = ref MemoryMarshal.GetArrayDataReference(dv);
        if (cols == w)
        {
            // the row is one vector: loaded once
            TVec r = TVec.Load(ref rr, 0);
            for (int k = start; k < end; k += w)
            {
                TVec f = TVec.Load(ref rf, (nuint)k);
                TVec.Store(aIsRow ? TOp.Invoke<T, TVec>(r, f) : TOp.Invoke<T, TVec>(f, r), ref rd, (nuint)k);
            }
            return;
        }
        // row part by row part, without a per-row call: k walks the band, j the row's columns
        for (int k = start, j = start % cols; k < end; j = 0)
        {
            int stop = Math.Min(end, k + cols - j);
            if (aIsRow)
            {
                for (; k < stop; k += w, j += w)
                {
                    TVec.Store(TOp.Invoke<T, TVec>(TVec.Load(ref rr, (nuint)j), TVec.Load(ref rf, (nuint)k)), ref rd, (nuint)k);
                }
            }
            else
            {
                for (; k < stop; k += w, j += w)
                {
                    TVec.Store(TOp.Invoke<T, TVec>(TVec.Load(ref rf, (nuint)k), TVec.Load(ref rr, (nuint)j)), ref rd, (nuint)k);
                }
            }
        }
    }

    /// <summary>d[k] = f(a[k] or a, b[k] or b) for k &lt; n: whole vectors of the widest accelerated width, then narrower ones, then scalars.</summary>
    private static void Lanes(ref T a, bool aRepeats, ref T b, bool bRepeats, ref T d, int n)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            k = Part<Math512<T>>(ref a, aRepeats, ref b, bRepeats, ref d, n, k);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            k = Part<Math256<T>>(ref a, aRepeats, ref b, bRepeats, ref d, n, k);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            k = Part<Math128<T>>(ref a, aRepeats, ref b, bRepeats, ref d, n, k);
        }
        Tail(ref a, aRepeats, ref b, bRepeats, ref d, n, k);
    }

    /// <summary>Scalars d[k] = f(…) from <paramref name="k"/> to n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tail(ref T a, bool aRepeats, ref T b, bool bRepeats, ref T d, int n, int k)
    {
        for (; k < n; k++)
        {
            Unsafe.Add(ref d, k) = TOp.Invoke(aRepeats ? a : Unsafe.Add(ref a, k), bRepeats ? b : Unsafe.Add(ref b, k));
        }
    }

    /// <summary>
    /// Whole vectors d[k..] = f(a[k..] or a, b[k..] or b) from <paramref name="k"/> while they fit in n; returns the
    /// first element not done. One loop per case (the JIT does not take the repeat tests out of a loop itself).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Part<TVec>(ref T a, bool aRepeats, ref T b, bool bRepeats, ref T d, int n, int k)
        where TVec : struct, ISimdMath<TVec, T>
    {
        int w = TVec.Count;
        if (aRepeats)
        {
            TVec x = TVec.Create(a);
            for (; k <= n - w; k += w)
            {
                TVec.Store(TOp.Invoke<T, TVec>(x, TVec.Load(ref b, (nuint)k)), ref d, (nuint)k);
            }
        }
        else if (bRepeats)
        {
            TVec y = TVec.Create(b);
            for (; k <= n - w; k += w)
            {
                TVec.Store(TOp.Invoke<T, TVec>(TVec.Load(ref a, (nuint)k), y), ref d, (nuint)k);
            }
        }
        else
        {
            for (; k <= n - w; k += w)
            {
                TVec.Store(TOp.Invoke<T, TVec>(TVec.Load(ref a, (nuint)k), TVec.Load(ref b, (nuint)k)), ref d, (nuint)k);
            }
        }
        return k;
    }
}

/// <summary>An element-wise step that may run in the epilogue of the product whose result it reads.</summary>
internal interface IProductEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The product and this step as one step, or null where this step cannot run in the product's epilogue.</summary>
    PlanStep<T>? AfterProduct(MatMulStep<T> product);
}
