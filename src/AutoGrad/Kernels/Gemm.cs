using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGrad.Kernels;

/// <summary>
/// Matrix products C = op(A) · op(B), where op is the identity or the transpose. With SIMD, small and medium products
/// (up to 2²⁰ multiply-adds with an inner dimension of at most 256) take <see cref="SmallGemm{T, TVec}"/> (no packing)
/// and larger ones <see cref="PackedGemm{T, TVec}"/> (blocked, packed); both split rows across threads when large. Tiny
/// products take <see cref="Tiny"/>; the rest of the products too small to vectorise, and every product without SIMD,
/// rows on TensorPrimitives. The transposed forms AᵀB and ABᵀ are absorbed
/// by the kernels' reads and packing: the caller never materialises a transpose. Each element of C is computed by
/// one thread in a fixed order, so results are bit-for-bit the same whatever the number of threads.
/// </summary>
internal static class Gemm
{
    /// <summary>Products with fewer multiply-adds than this run on the calling thread.</summary>
    internal const long ParallelThreshold = 1L << 18;

    // Below these sizes (e.g. the 1×8 products of a batch-1 step) the dot products of the row kernel on
    // TensorPrimitives cost less than the SIMD kernels' set-up: renting a buffer, transposing, orienting.
    private const int VectorisedMinElements = 32;
    private const int VectorisedMinInner = 4;

    /// <summary>
    /// Products with an inner dimension the packed kernel takes in one slice (so both kernels compute the same chains,
    /// hence the same bits) and at most this many multiply-adds take the unpacked kernel: measured on AVX2 (stopwatch
    /// A/B, benchmarks/README.md) it is 1.2–2× faster than the packed one up to about 100³ and on products with one short
    /// side (10×256×256), and 1.1–1.3× slower from 128³ on, where packing pays for itself.
    /// </summary>
    private const long SmallMaxWorkInOneSlice = 1L << 20;

    /// <summary>The packed kernel's slice depth: beyond it, its chains are split and summed, so the kernels differ in bits.</summary>
    private const int SmallMaxInner = 256;

    /// <summary>Products below the vectorised sizes with at most this many multiply-adds take <see cref="Tiny"/>.</summary>
    private const long TinyMaxWork = 256;

    /// <summary>… and an inner dimension at most this long (each element is a dependent chain of k multiply-adds).</summary>
    private const int TinyMaxInner = 32;

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
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"MatMul: {left} · {right}: inner dimensions {oa.Cols} and {ob.Rows} differ."));
        }
        // The operands' text is formatted only for the error: formatting it on every call cost more than a small product.
        return Shape.FitsArray(oa.Rows, ob.Cols)
            ? new Shape(oa.Rows, ob.Cols)
            : Shape.CheckSize("MatMul", oa.Rows, ob.Cols, $"({a}){(transposeA ? "ᵀ" : "")} · ({b}){(transposeB ? "ᵀ" : "")}", paramName: null); // both operands set it
    }

    /// <summary>Overwrites <paramref name="c"/> with op(A)·op(B).</summary>
    public static void Multiply<T>(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(Choose<T>(sa, transposeA, sc), a, sa, transposeA, b, sb, transposeB, c, sc, null, null);

    /// <summary>
    /// The kernel <see cref="Multiply"/> runs for a product of these shapes. It depends on the shapes alone (and the
    /// machine's SIMD width), so a compiled plan chooses once and calls <see cref="Run"/> with it: the same kernel,
    /// hence the same bits, as the eager product, without the choice on every call.
    /// </summary>
    public static GemmChoice Choose<T>(Shape sa, bool transposeA, Shape sc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = sc.Rows, n = sc.Cols, k = transposeA ? sa.Rows : sa.Cols;
        long work = (long)m * n * k;
        int lanes = Math512<T>.IsSupported ? Math512<T>.Count : Math256<T>.IsSupported ? Math256<T>.Count : 0;
        if (lanes == 0 || (long)m * n < VectorisedMinElements || k < VectorisedMinInner)
        {
            return new(work <= TinyMaxWork && k <= TinyMaxInner ? GemmKernel.Tiny : GemmKernel.Rows, false, false);
        }
        bool small = work <= SmallGemm<T, Math256<T>>.MaxWork || (k <= SmallMaxInner && work <= SmallMaxWorkInOneSlice);
        // The unpacked kernel keeps eight chains in flight even for a single vector of columns, and pads a partial
        // one, so only a result a quarter of a vector wide (or less) is worth transposing there; the packed kernel's
        // tiles are two vectors wide.
        bool transposedResult = small ? 2 * n <= lanes && m > n : n < 2 * lanes && m > n;
        return new(small ? GemmKernel.Small : GemmKernel.Packed, Math512<T>.IsSupported, transposedResult, lanes);
    }

    /// <summary>
    /// Runs the chosen kernel. <paramref name="resultScratch"/> (<see cref="GemmChoice.ResultScratch"/> elements) and
    /// <paramref name="operandScratch"/> (<see cref="GemmChoice.OperandScratch"/>) are working memory a caller that
    /// owns some passes in; null rents it from the shared pool.
    /// </summary>
    public static void Run<T>(GemmChoice choice, T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc,
        T[]? resultScratch, T[]? operandScratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (transposeA && transposeB)
        {
            // Aᵀ·Bᵀ = (B·A)ᵀ: rare (second-order passes only), so compute B·A and transpose it.
            var ba = new T[sc.Length];
            Multiply(b, sb, false, a, sa, false, ba, sc.Transposed);
            TransposeKernel.Transpose<T>(ba, sc.Transposed, c);
            return;
        }
        switch (choice.Kernel)
        {
            case GemmKernel.Tiny:
                Tiny(a, sa, transposeA, b, transposeB, c, sc);
                return;
            case GemmKernel.Rows:
                int inner = transposeA ? sa.Rows : sa.Cols;
                if (sc.Rows < 2 || !RunsInParallel(sc, inner))
                {
                    MultiplyRows(a, sa, transposeA, b, sb, transposeB, c, sc, 0, sc.Rows);
                }
                else
                {
                    MultiplyRowsInParallel(a, sa, transposeA, b, sb, transposeB, c, sc);
                }
                return;
            default:
                if (choice.Wide512)
                {
                    Vectorised<T, Math512<T>>(choice, a, sa, transposeA, b, sb, transposeB, c, sc, resultScratch, operandScratch);
                }
                else
                {
                    Vectorised<T, Math256<T>>(choice, a, sa, transposeA, b, sb, transposeB, c, sc, resultScratch, operandScratch);
                }
                return;
        }
    }

    /// <summary>
    /// True when <see cref="RunRows"/> can compute rows of op(A)·op(B) apart with <paramref name="choice"/>'s bits: a
    /// kernel whose every element is a chain of its own — the tiny, row and unpacked kernels (the packed kernel blocks
    /// rows into panels of A; it is left whole) — and not both operands transposed.
    /// </summary>
    public static bool RunsByRows(GemmChoice choice, bool transposeA, bool transposeB) =>
        !(transposeA && transposeB) && choice.Kernel is GemmKernel.Tiny or GemmKernel.Rows or GemmKernel.Small;

    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of C = op(A)·op(B), on this thread, with the bits
    /// <see cref="Run"/> gives them under <paramref name="choice"/>: the tiny and row kernels on those rows; for the
    /// unpacked kernel its tiles on those rows, C computed as it is even where the choice computes Cᵀ (every element is
    /// the same chain of fused multiply-adds either way). <paramref name="scratch"/>: the unpacked kernel's copy of op(B),
    /// <see cref="GemmChoice.BandScratch"/> elements, this band's own.
    /// </summary>
    public static void RunRows<T>(GemmChoice choice, T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc, T[]? scratch,
        int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (choice.Kernel)
        {
            case GemmKernel.Tiny:
                TinyGemm.Multiply(a, sa, transposeA, b, transposeB, c, sc, rowStart, rowEnd);
                return;
            case GemmKernel.Rows:
                MultiplyRows(a, sa, transposeA, b, sb, transposeB, c, sc, rowStart, rowEnd);
                return;
            case GemmKernel.Small when choice.Wide512:
                SmallGemm<T, Math512<T>>.MultiplyRows<NoEpilogue<T>>(a, sa, transposeA, b, sb, transposeB, c, sc, scratch, [], [], rowStart, rowEnd);
                return;
            case GemmKernel.Small:
                SmallGemm<T, Math256<T>>.MultiplyRows<NoEpilogue<T>>(a, sa, transposeA, b, sb, transposeB, c, sc, scratch, [], [], rowStart, rowEnd);
                return;
            default:
                throw new InvalidOperationException($"MatMul: the {choice.Kernel} kernel does not run by rows (internal error).");
        }
    }

    private static bool RunsInParallel(Shape sc, int inner) =>
        (long)sc.Rows * sc.Cols * inner >= ParallelThreshold && Parallelism.ThreadsForThisCall > 1;

    /// <summary>
    /// Tiny products (at most <see cref="TinyMaxWork"/> multiply-adds, inner dimension at most
    /// <see cref="TinyMaxInner"/>), such as the 1×8 and 8×4 products of a batch-1 step: loops reading op(A) and op(B)
    /// in place, no call per row or dot product (<see cref="TinyGemm"/>). Each element is the chain of fused
    /// multiply-adds p = 0, 1, …, k−1 from zero, the chain the SIMD kernels compute, so it has their bits.
    /// </summary>
    public static void Tiny<T>(T[] a, Shape sa, bool transposeA, T[] b, bool transposeB, T[] c, Shape sc)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        TinyGemm.Multiply(a, sa, transposeA, b, transposeB, c, sc);

    private static void MultiplyRowsInParallel<T>(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RowsWork<T> work = WorkCache<RowsWork<T>>.Take();
        int threads = Parallelism.ThreadsForThisCall;
        int chunks = Math.Min(sc.Rows, threads * 4);
        work.Set(a, sa, transposeA, b, sb, transposeB, c, sc, chunks);
        work.RunAll(chunks, threads);
        WorkCache<RowsWork<T>>.Give(work);
    }

    /// <summary>Chunk i of the rows of C on <see cref="MultiplyRows"/>, for the worker pool.</summary>
    private sealed class RowsWork<T> : ParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        private T[] a = [], b = [], c = [];
        private Shape sa, sb, sc;
        private bool transposeA, transposeB;
        private int chunks;

        public void Set(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc, int chunks) =>
            (this.a, this.sa, this.transposeA, this.b, this.sb, this.transposeB, this.c, this.sc, this.chunks) =
            (a, sa, transposeA, b, sb, transposeB, c, sc, chunks);

        protected override void Run(int index)
        {
            int start = (int)((long)sc.Rows * index / chunks);
            int end = (int)((long)sc.Rows * (index + 1) / chunks);
            MultiplyRows(a, sa, transposeA, b, sb, transposeB, c, sc, start, end);
        }

        protected override void Clear() => a = b = c = [];
    }

    /// <summary>
    /// The SIMD kernels, in the better orientation: a result much narrower than the kernel's tiles (two vectors of
    /// columns for the packed kernel, half a vector for the unpacked one, whose last panel is a single vector) would
    /// leave most of every tile empty, while its transpose is wide. C = op(A)·op(B) ⇔ Cᵀ = op(B)ᵀ·op(A)ᵀ; the kernels
    /// read either operand transposed, and Cᵀ is transposed back. Every element is the same sum of the same fused
    /// multiply-adds in the same order (FMA is symmetric in its factors), so both orientations give the same bits.
    /// </summary>
    private static void Vectorised<T, TVec>(GemmChoice choice, T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc,
        T[]? resultScratch, T[]? operandScratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T>
    {
        int inner = transposeA ? sa.Rows : sa.Cols;
        if (choice.TransposedResult)
        {
            T[] transposed = resultScratch ?? System.Buffers.ArrayPool<T>.Shared.Rent(sc.Length);
            try
            {
                Kernel<T, TVec>(choice, b, sb, !transposeB, a, sa, !transposeA, transposed, sc.Transposed, inner, operandScratch);
                TransposeKernel.Transpose<T>(transposed.AsSpan(0, sc.Length), sc.Transposed, c);
            }
            finally
            {
                if (resultScratch is null)
                {
                    System.Buffers.ArrayPool<T>.Shared.Return(transposed);
                }
            }
            return;
        }
        Kernel<T, TVec>(choice, a, sa, transposeA, b, sb, transposeB, c, sc, inner, operandScratch);
    }

    private static void Kernel<T, TVec>(GemmChoice choice, T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc,
        int inner, T[]? operandScratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct, ISimdMath<TVec, T>
    {
        if (choice.Kernel == GemmKernel.Small)
        {
            SmallGemm<T, TVec>.Multiply(a, sa, transposeA, b, sb, transposeB, c, sc, operandScratch, RunsInParallel(sc, inner));
        }
        else
        {
            PackedGemm<T, TVec>.Multiply(a, sa, transposeA, b, sb, transposeB, c, sc, RunsInParallel(sc, inner));
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
                    ci[j] = LaneSums.Dot(ai, bsp.Slice(j * k, k)); // not TensorPrimitives.Dot: its order follows the machine's vector width
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

/// <summary>The kernels of <see cref="Gemm"/>.</summary>
internal enum GemmKernel
{
    /// <summary>Plain loops for tiny products (<see cref="Gemm.Tiny"/>).</summary>
    Tiny,

    /// <summary>Row by row on TensorPrimitives: small outputs or inner dimensions that are not tiny, or no SIMD.</summary>
    Rows,

    /// <summary>The unpacked SIMD kernel for small and medium products (<see cref="SmallGemm{T, TVec}"/>).</summary>
    Small,

    /// <summary>The blocked, packed SIMD kernel (<see cref="PackedGemm{T, TVec}"/>).</summary>
    Packed,
}

/// <summary>
/// A kernel choice of <see cref="Gemm.Choose"/>: the kernel, whether its vectors are 512 bits wide, whether it
/// computes Cᵀ (and transposes it back), and the values per vector of the SIMD kernels (0 for the others).
/// </summary>
internal readonly record struct GemmChoice(GemmKernel Kernel, bool Wide512, bool TransposedResult, int Lanes = 0)
{
    /// <summary>Elements of working memory for Cᵀ, if the kernel computes it.</summary>
    public int ResultScratch(Shape sc) => TransposedResult ? sc.Length : 0;

    /// <summary>Elements of working memory for <see cref="Gemm.RunRows"/>'s copy of op(B) (the unpacked kernel computing C as it is).</summary>
    public int BandScratch(Shape sa, bool transposeA, bool transposeB, Shape sc) =>
        Kernel == GemmKernel.Small ? SmallGemm.ScratchLength(transposeA ? sa.Rows : sa.Cols, sc.Cols, transposeB, Lanes) : 0;

    /// <summary>Elements of working memory for the unpacked kernel's padded copy of its right operand, if it makes one.</summary>
    public int OperandScratch(Shape sa, bool transposeA, bool transposeB, Shape sc)
    {
        if (Kernel != GemmKernel.Small)
        {
            return 0;
        }
        int k = transposeA ? sa.Rows : sa.Cols;
        // Cᵀ = op(B)ᵀ·op(A)ᵀ: the right operand is then A, transposed unless transposeA, and Cᵀ has m columns
        (int n, bool transposed) = TransposedResult ? (sc.Rows, !transposeA) : (sc.Cols, transposeB);
        return SmallGemm.ScratchLength(k, n, transposed, Lanes);
    }
}
