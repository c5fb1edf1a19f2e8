using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// C = op(A)·op(B) for tiny products (<see cref="Gemm.Tiny"/>: the 1×8, 8×4 and 1×1 products of a batch-1 step),
/// with each element's chain of fused multiply-adds p = 0, 1, …, k−1 from zero — the chain of the SIMD kernels, so
/// the same bits — kept in registers: B read as rows (not transposed) takes whole vectors of columns, 256 then 128
/// bits wide, each lane its own chain; a transposed B, and columns left over, take four scalar chains at a time.
/// Nothing is cleared first and no element is loaded back between multiply-adds (the loops this replaced did both,
/// through bounds-checked spans: 1.5–2.5× the time of these at batch 1, measured).
/// </summary>
internal static class TinyGemm
{
    /// <summary>Overwrites c[0 .. m·n) with op(A)·op(B); the shapes are the caller's, already checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(T[] a, Shape sa, bool transposeA, T[] b, bool transposeB, T[] c, Shape sc)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Multiply(a, sa, transposeA, b, transposeB, c, sc, 0, sc.Rows);

    /// <summary>Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of C only: each row's elements are the same chains.</summary>
    public static void Multiply<T>(T[] a, Shape sa, bool transposeA, T[] b, bool transposeB, T[] c, Shape sc, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = sc.Rows, n = sc.Cols, k = transposeA ? sa.Rows : sa.Cols;
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n)
        {
            throw new ArgumentException($"MatMul (tiny kernel): arrays of {a.Length}, {b.Length} and {c.Length} elements are too short for a {m}×{n}×{k} product (internal error).");
        }
        // op(A)[i, p] = a[i·ai + p·ap], op(B)[p, j] = b[p·bp + j·bj]
        nint ai = transposeA ? 1 : k, ap = transposeA ? m : 1;
        nint bp = transposeB ? 1 : n, bj = transposeB ? k : 1;
        ref T ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref T rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref T rc = ref MemoryMarshal.GetArrayDataReference(c);
        for (int i = rowStart; i < rowEnd; i++)
        {
            ref T arow = ref Unsafe.Add(ref ra, i * ai);
            ref T crow = ref Unsafe.Add(ref rc, i * n);
            int j = 0;
            if (!transposeB)
            {
                if (Vector256.IsHardwareAccelerated)
                {
                    j = Columns<T, Math256<T>>(ref arow, ap, ref rb, bp, ref crow, j, n, k);
                }
                if (Vector128.IsHardwareAccelerated)
                {
                    j = Columns<T, Math128<T>>(ref arow, ap, ref rb, bp, ref crow, j, n, k);
                }
            }
            for (; j + 4 <= n; j += 4)
            {
                ref T b0 = ref Unsafe.Add(ref rb, j * bj);
                T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T x = Unsafe.Add(ref arow, p * ap);
                    ref T bpj = ref Unsafe.Add(ref b0, p * bp);
                    s0 = T.FusedMultiplyAdd(x, bpj, s0);
                    s1 = T.FusedMultiplyAdd(x, Unsafe.Add(ref bpj, bj), s1);
                    s2 = T.FusedMultiplyAdd(x, Unsafe.Add(ref bpj, 2 * bj), s2);
                    s3 = T.FusedMultiplyAdd(x, Unsafe.Add(ref bpj, 3 * bj), s3);
                }
                Unsafe.Add(ref crow, j) = s0;
                Unsafe.Add(ref crow, j + 1) = s1;
                Unsafe.Add(ref crow, j + 2) = s2;
                Unsafe.Add(ref crow, j + 3) = s3;
            }
            for (; j < n; j++)
            {
                ref T b0 = ref Unsafe.Add(ref rb, j * bj);
                T s = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    s = T.FusedMultiplyAdd(Unsafe.Add(ref arow, p * ap), Unsafe.Add(ref b0, p * bp), s);
                }
                Unsafe.Add(ref crow, j) = s;
            }
        }
    }

    /// <summary>
    /// Row i's columns [j, …) in whole vectors of <typeparamref name="TVec"/> while they fit, from B's rows (bj = 1);
    /// returns the first column not done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Columns<T, TVec>(ref T arow, nint ap, ref T rb, nint bp, ref T crow, int j, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T>
    {
        int w = TVec.Count;
        for (; j + 2 * w <= n; j += 2 * w)
        {
            TVec s0 = TVec.Zero, s1 = TVec.Zero;
            ref T bpj = ref Unsafe.Add(ref rb, j);
            for (int p = 0; p < k; p++)
            {
                TVec x = TVec.Create(Unsafe.Add(ref arow, p * ap));
                s0 = TVec.MultiplyAdd(x, TVec.Load(ref bpj, 0), s0);
                s1 = TVec.MultiplyAdd(x, TVec.Load(ref bpj, (nuint)w), s1);
                bpj = ref Unsafe.Add(ref bpj, bp);
            }
            TVec.Store(s0, ref crow, (nuint)j);
            TVec.Store(s1, ref crow, (nuint)(j + w));
        }
        for (; j + w <= n; j += w)
        {
            TVec s = TVec.Zero;
            ref T bpj = ref Unsafe.Add(ref rb, j);
            for (int p = 0; p < k; p++)
            {
                s = TVec.MultiplyAdd(TVec.Create(Unsafe.Add(ref arow, p * ap)), TVec.Load(ref bpj, 0), s);
                bpj = ref Unsafe.Add(ref bpj, bp);
            }
            TVec.Store(s, ref crow, (nuint)j);
        }
        return j;
    }
}
