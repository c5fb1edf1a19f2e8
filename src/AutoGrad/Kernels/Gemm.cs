using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGrad.Kernels;

/// <summary>
/// Matrix products C = op(A) · op(B), where op is the identity or the transpose. With SIMD, products that fit in L1
/// take <see cref="SmallGemm{T, TVec}"/> (no packing) and larger ones <see cref="PackedGemm{T, TVec}"/> (blocked,
/// packed, split across threads); tiny products, and every product without SIMD, rows on TensorPrimitives. The transposed forms AᵀB and ABᵀ are absorbed
/// by the kernels' reads and packing: the caller never materialises a transpose. Each element of C is computed by
/// one thread in a fixed order, so results are bit-for-bit the same whatever the number of threads.
/// </summary>
internal static class Gemm
{
    /// <summary>Products with fewer multiply-adds than this run on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 18;

    // Below these sizes (e.g. the 1×8 products of a batch-1 step) the dot products of the row kernel on
    // TensorPrimitives cost less than the SIMD kernels' set-up: renting a buffer, transposing, orienting.
    private const int VectorisedMinElements = 32;
    private const int VectorisedMinInner = 4;

    /// <summary>The shape of op(A)·op(B), or an exception naming both shapes.</summary>
    public static Shape ResultShape(Shape a, bool transposeA, Shape b, bool transposeB)
    {
        Shape oa = transposeA ? a.Transposed : a;
        Shape ob = transposeB ? b.Transposed : b;
        if (oa.Cols != ob.Rows)
        {
            string left = transposeA ? $"({a})ᵀ" : $"({a})";
            string right = transposeB ? $"({b})ᵀ" : $"({b})";
            throw new ArgumentException(
                $"MatMul: {left} · {right}: inner dimensions {oa.Cols} and {ob.Rows} differ.");
        }
        // The operands' text is formatted only for the error: formatting it on every call cost more than a small product.
        return Shape.FitsArray(oa.Rows, ob.Cols)
            ? new Shape(oa.Rows, ob.Cols)
            : Shape.CheckSize("MatMul", oa.Rows, ob.Cols, $"({a}){(transposeA ? "ᵀ" : "")} · ({b}){(transposeB ? "ᵀ" : "")}");
    }

    /// <summary>Overwrites <paramref name="c"/> with op(A)·op(B).</summary>
    public static void Multiply<T>(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inner = transposeA ? sa.Rows : sa.Cols;
        long work = (long)sc.Rows * sc.Cols * inner;
        if (transposeA && transposeB)
        {
            // Aᵀ·Bᵀ = (B·A)ᵀ: rare (second-order passes only), so compute B·A and transpose it.
            var ba = new T[sc.Length];
            Multiply(b, sb, false, a, sa, false, ba, sc.Transposed);
            TransposeKernel.Transpose<T>(ba, sc.Transposed, c);
            return;
        }
        int rows = sc.Rows;
        bool parallel = work >= ParallelThreshold && Parallelism.ThreadsForThisCall > 1;
        if ((long)rows * sc.Cols >= VectorisedMinElements && inner >= VectorisedMinInner)
        {
            if (Simd512<T>.IsSupported)
            {
                Vectorised<T, Simd512<T>>(a, sa, transposeA, b, sb, transposeB, c, sc, parallel);
                return;
            }
            if (Simd256<T>.IsSupported)
            {
                Vectorised<T, Simd256<T>>(a, sa, transposeA, b, sb, transposeB, c, sc, parallel);
                return;
            }
        }
        if (!parallel || rows < 2)
        {
            MultiplyRows(a, sa, transposeA, b, sb, transposeB, c, sc, 0, rows);
            return;
        }
        MultiplyRowsInParallel(a, sa, transposeA, b, sb, transposeB, c, sc);
    }

    // Its own method: a lambda capturing Multiply's parameters would allocate its closure on every call, parallel or
    // not (a compiled step asserts it allocates nothing).
    private static void MultiplyRowsInParallel<T>(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = sc.Rows;
        int chunks = Math.Min(rows, Parallelism.ThreadsForThisCall * 4);
        Parallel.For(0, chunks, Parallelism.Options, chunk =>
        {
            int start = (int)((long)rows * chunk / chunks);
            int end = (int)((long)rows * (chunk + 1) / chunks);
            MultiplyRows(a, sa, transposeA, b, sb, transposeB, c, sc, start, end);
        });
    }

    /// <summary>
    /// The SIMD kernels, in the better orientation: a result narrower than one register tile (two vectors of
    /// columns) would leave most of every tile empty, while its transpose is wide. C = op(A)·op(B) ⇔
    /// Cᵀ = op(B)ᵀ·op(A)ᵀ; the kernels read either operand transposed, and Cᵀ is transposed back. Every element is
    /// the same sum of the same fused multiply-adds in the same order (FMA is symmetric in its factors), so both
    /// orientations give the same bits. Products that fit in L1 take the unpacked kernel, the rest the packed one.
    /// </summary>
    private static void Vectorised<T, TVec>(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc, bool parallel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdVector<TVec, T>
    {
        if (sc.Cols < 2 * TVec.Count && sc.Rows > sc.Cols)
        {
            T[] transposed = System.Buffers.ArrayPool<T>.Shared.Rent(sc.Length);
            try
            {
                Kernel<T, TVec>(b, sb, !transposeB, a, sa, !transposeA, transposed, sc.Transposed, parallel);
                TransposeKernel.Transpose<T>(transposed.AsSpan(0, sc.Length), sc.Transposed, c);
            }
            finally
            {
                System.Buffers.ArrayPool<T>.Shared.Return(transposed);
            }
            return;
        }
        Kernel<T, TVec>(a, sa, transposeA, b, sb, transposeB, c, sc, parallel);
    }

    private static void Kernel<T, TVec>(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc, bool parallel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdVector<TVec, T>
    {
        long work = (long)sc.Rows * sc.Cols * (transposeA ? sa.Rows : sa.Cols);
        if (work <= SmallGemm<T, TVec>.MaxWork)
        {
            SmallGemm<T, TVec>.Multiply(a, sa, transposeA, b, sb, transposeB, c, sc);
        }
        else
        {
            PackedGemm<T, TVec>.Multiply(a, sa, transposeA, b, sb, transposeB, c, sc, parallel);
        }
    }

    private static void MultiplyRows<T>(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB,
        T[] c, Shape sc, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = sc.Cols;
        int k = transposeA ? sa.Rows : sa.Cols;
        Span<T> cs = c;
        ReadOnlySpan<T> asp = a, bsp = b;
        if (transposeB)
        {
            // C[i, j] = A[i, :] · B[j, :]
            for (int i = rowStart; i < rowEnd; i++)
            {
                ReadOnlySpan<T> ai = asp.Slice(i * k, k);
                Span<T> ci = cs.Slice(i * n, n);
                for (int j = 0; j < n; j++)
                {
                    ci[j] = TensorPrimitives.Dot(ai, bsp.Slice(j * k, k));
                }
            }
            return;
        }
        for (int i = rowStart; i < rowEnd; i++)
        {
            Span<T> ci = cs.Slice(i * n, n);
            ci.Clear();
            for (int p = 0; p < k; p++)
            {
                // C[i, :] += op(A)[i, p] · B[p, :]
                T aip = transposeA ? asp[p * sa.Cols + i] : asp[i * k + p];
                TensorPrimitives.MultiplyAdd(bsp.Slice(p * n, n), aip, ci, ci);
            }
        }
    }
}
