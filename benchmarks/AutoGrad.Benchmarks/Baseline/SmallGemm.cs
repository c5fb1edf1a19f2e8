// A frozen copy of the library's kernel file at main 9da3893 (session seven's start): the "old" side of the
// stopwatch A/B in GemmStepComparison.cs. Not used by anything else; do not edit.
using AutoGrad.Kernels;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad.Benchmarks.Baseline;

/// <summary>
/// C = op(A)·op(B) for products small enough to live in L1 (at most <see cref="MaxWork"/> multiply-adds), where the
/// packed kernel's packing, blocking and scratch buffers cost more than the arithmetic. No packing: op(A) is read in
/// place; op(B) is read as rows — B itself, or Bᵀ copied once into a pooled buffer. Each 4-row × 2-vector tile of C
/// keeps eight accumulators in registers while p runs over the whole inner dimension.
/// Every element is the chain of fused multiply-adds p = 0, 1, …, k−1 from zero — the same chain the packed kernel
/// computes when k fits in one slice — so for k ≤ 256 both kernels give the same bits.
/// </summary>
internal static class SmallGemm<T, TVec>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct, ISimdMath<TVec, T>
{
    /// <summary>Products with at most this many multiply-adds (m·n·k) take this kernel.</summary>
    public const long MaxWork = 1 << 16;

    /// <summary>Rows of C computed together: each vector loaded from B feeds four FMAs.</summary>
    private const int Rows = 4;

    /// <summary>C = op(A)·op(B); <paramref name="scratch"/> (at least k·n elements, the caller's) holds the copy of Bᵀ, or null to rent it.</summary>
    public static void Multiply(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc, T[]? scratch = null)
    {
        int m = sc.Rows, n = sc.Cols, k = transposeA ? sa.Rows : sa.Cols;
        T[]? rented = null;
        try
        {
            ReadOnlySpan<T> bRows = b;
            if (transposeB)
            {
                T[] copy = scratch ?? (rented = ArrayPool<T>.Shared.Rent(k * n));
                TransposeKernel.Transpose<T>(b, sb, copy);
                bRows = copy;
            }
            // op(A)[i, p] = a[i · rowStep + p · innerStep]
            nint rowStep = transposeA ? 1 : k, innerStep = transposeA ? m : 1;
            ref T aRef = ref MemoryMarshal.GetArrayDataReference(a);
            ref T bRef = ref MemoryMarshal.GetReference(bRows);
            ref T cRef = ref MemoryMarshal.GetArrayDataReference(c);
            int lanes = TVec.Count;
            int i = 0;
            for (; i + Rows <= m; i += Rows)
            {
                ref T aRow = ref Unsafe.Add(ref aRef, i * rowStep);
                ref T cRow = ref Unsafe.Add(ref cRef, i * n);
                int j = 0;
                for (; j + 2 * lanes <= n; j += 2 * lanes)
                {
                    Tile(ref aRow, rowStep, innerStep, ref Unsafe.Add(ref bRef, j), n, k, ref Unsafe.Add(ref cRow, j), n);
                }
                for (int r = 0; r < Rows; r++)
                {
                    RowTail(ref Unsafe.Add(ref aRow, r * rowStep), innerStep, ref bRef, n, k, ref Unsafe.Add(ref cRow, r * n), j);
                }
            }
            for (; i < m; i++)
            {
                RowTail(ref Unsafe.Add(ref aRef, i * rowStep), innerStep, ref bRef, n, k, ref Unsafe.Add(ref cRef, i * n), 0);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }
    }

    /// <summary>C[0..4, 0..2·lanes) = op(A)[0..4, :] · op(B)[:, 0..2·lanes), eight accumulators in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(ref T a, nint rowStep, nint innerStep, ref T b, int ldb, int k, ref T c, int ldc)
    {
        TVec c00 = TVec.Zero, c01 = TVec.Zero, c10 = TVec.Zero, c11 = TVec.Zero;
        TVec c20 = TVec.Zero, c21 = TVec.Zero, c30 = TVec.Zero, c31 = TVec.Zero;
        nuint lanes = (nuint)TVec.Count;
        ref T a1 = ref Unsafe.Add(ref a, rowStep);
        ref T a2 = ref Unsafe.Add(ref a1, rowStep);
        ref T a3 = ref Unsafe.Add(ref a2, rowStep);
        nint ap = 0;
        for (int p = 0; p < k; p++, ap += innerStep, b = ref Unsafe.Add(ref b, ldb))
        {
            TVec b0 = TVec.Load(ref b, 0);
            TVec b1 = TVec.Load(ref b, lanes);
            TVec ai = TVec.Create(Unsafe.Add(ref a, ap));
            c00 = TVec.MultiplyAdd(ai, b0, c00); c01 = TVec.MultiplyAdd(ai, b1, c01);
            ai = TVec.Create(Unsafe.Add(ref a1, ap));
            c10 = TVec.MultiplyAdd(ai, b0, c10); c11 = TVec.MultiplyAdd(ai, b1, c11);
            ai = TVec.Create(Unsafe.Add(ref a2, ap));
            c20 = TVec.MultiplyAdd(ai, b0, c20); c21 = TVec.MultiplyAdd(ai, b1, c21);
            ai = TVec.Create(Unsafe.Add(ref a3, ap));
            c30 = TVec.MultiplyAdd(ai, b0, c30); c31 = TVec.MultiplyAdd(ai, b1, c31);
        }
        TVec.Store(c00, ref c, 0); TVec.Store(c01, ref c, lanes);
        c = ref Unsafe.Add(ref c, ldc);
        TVec.Store(c10, ref c, 0); TVec.Store(c11, ref c, lanes);
        c = ref Unsafe.Add(ref c, ldc);
        TVec.Store(c20, ref c, 0); TVec.Store(c21, ref c, lanes);
        c = ref Unsafe.Add(ref c, ldc);
        TVec.Store(c30, ref c, 0); TVec.Store(c31, ref c, lanes);
    }

    /// <summary>One row of C from column <paramref name="j"/> on: whole vectors, then one value at a time.</summary>
    private static void RowTail(ref T a, nint innerStep, ref T b, int n, int k, ref T c, int j)
    {
        int lanes = TVec.Count;
        for (; j + lanes <= n; j += lanes)
        {
            TVec sum = TVec.Zero;
            ref T bp = ref Unsafe.Add(ref b, j);
            nint ap = 0;
            for (int p = 0; p < k; p++, ap += innerStep, bp = ref Unsafe.Add(ref bp, n))
            {
                sum = TVec.MultiplyAdd(TVec.Create(Unsafe.Add(ref a, ap)), TVec.Load(ref bp, 0), sum);
            }
            TVec.Store(sum, ref c, (nuint)j);
        }
        for (; j < n; j++)
        {
            T sum = T.Zero;
            ref T bp = ref Unsafe.Add(ref b, j);
            nint ap = 0;
            for (int p = 0; p < k; p++, ap += innerStep, bp = ref Unsafe.Add(ref bp, n))
            {
                sum = T.FusedMultiplyAdd(Unsafe.Add(ref a, ap), bp, sum);
            }
            Unsafe.Add(ref c, j) = sum;
        }
    }
}
