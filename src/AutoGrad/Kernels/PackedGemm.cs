using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad.Kernels;

/// <summary>
/// A blocked, packed GEMM in the style of BLIS/GotoBLAS: C = op(A)·op(B) is cut into KC-deep slices; each
/// slice of op(B) is packed into NR-wide column panels, each MC-row block of op(A) into MR-row panels, and an
/// MR×NR register-blocked micro-kernel of fused multiply-adds accumulates one tile of C. Transposes are
/// absorbed by the packing. Rows of C are split across threads by MC blocks; every element of C is summed in
/// the same order whatever the split, so results are bit-for-bit independent of the thread count.
/// </summary>
[SkipLocalsInit] // the edge-tile scratch is always written before it is read
internal static class PackedGemm<T, TVec>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct, ISimdMath<TVec, T>
{
    /// <summary>
    /// Rows per micro-kernel tile. With 512-bit vectors (32 registers) 8: 16 accumulators, more than the FMA latency ×
    /// throughput (4 × 2) needs. With 256-bit vectors there are only 16 registers, and 8 rows × 2 vectors of
    /// accumulators + 2 of op(B) + 1 broadcast = 19 made the JIT keep three accumulators on the stack — each a
    /// store-to-load round trip in the loop's dependency chain — so 6 (OpenBLAS's and BLIS's Haswell sgemm/dgemm tile):
    /// 12 accumulators + 3 = 15 registers. The tile height does not change any element's chain of multiply-adds, only
    /// which elements are computed side by side, so both heights give the same bits. A JIT-time constant.
    /// </summary>
    private static int MR => typeof(TVec) == typeof(Math512<T>) ? 8 : 6;

    /// <summary>Columns per tile, two vectors: each broadcast element of op(A) feeds two FMAs.</summary>
    private static readonly int NR = 2 * TVec.Count;

    /// <summary>Depth of a slice: the MR×KC panel of A and the KC×NR panel of B of one tile (2 × 16 KB in double with AVX2) fit a 32–48 KB L1.</summary>
    private const int KC = 256;

    /// <summary>
    /// Rows of a packed block of op(A): MC×KC doubles (128–144 KB) stay in L2 while the B panels stream past; also the
    /// unit of the thread split. A whole number of tiles: 64 = 8 × 8, 72 = 12 × 6.
    /// </summary>
    private static int MC => MR == 8 ? 64 : 72;

    /// <summary>
    /// A slice of op(A) this large or smaller (half the 512 KB L2 of a Zen 3 core; 256 rows × 256 floats) is packed whole
    /// on one thread, and op(B) one panel at a time (<see cref="MultiplyPanelByPanel"/>).
    /// </summary>
    private const int WholeABytes = 256 * 1024;

    /// <summary>Slices of op(B) at least this large are packed by all threads; smaller ones cost less than a fork.</summary>
    private const int ParallelPackMinElements = 1 << 17;

    public static void Multiply(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc, bool parallel)
    {
        int m = sc.Rows, n = sc.Cols, k = transposeA ? sa.Rows : sa.Cols;
        int nPanels = (n + NR - 1) / NR;
        // Slices of equal depth, at most KC: k = 784 is four slices of 196, not three of 256 and one of 16 — a
        // slice that shallow loads and stores its C tiles for only 16 multiply-adds each.
        int slices = (k + KC - 1) / KC;
        int sliceDepth = (k + slices - 1) / slices;
        int blocks = (m + MC - 1) / MC;
        if ((!parallel || blocks == 1) && (long)m * sliceDepth * Unsafe.SizeOf<T>() <= WholeABytes)
        {
            MultiplyPanelByPanel(a, sa, transposeA, b, sb, transposeB, c, m, n, k, sliceDepth);
            return;
        }
        T[] packedB = PackingBuffers<T>.Rent(nPanels * NR * sliceDepth);
        try
        {
            for (int pc = 0; pc < k; pc += sliceDepth)
            {
                int kc = Math.Min(sliceDepth, k - pc);
                bool first = pc == 0;
                if (parallel && blocks > 1)
                {
                    SliceInParallel(a, sa, transposeA, b, sb, transposeB, c, m, n, pc, kc, first, nPanels, packedB);
                }
                else
                {
                    PackB(b, sb, transposeB, pc, kc, n, packedB, 0, nPanels);
                    for (int block = 0; block < blocks; block++)
                    {
                        MultiplyBlock(a, sa, transposeA, packedB, c, n, pc, kc, block * MC, Math.Min(MC, m - block * MC), first);
                    }
                }
            }
        }
        finally
        {
            PackingBuffers<T>.Return(packedB);
        }
    }

    private static void SliceInParallel(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c,
        int m, int n, int pc, int kc, bool first, int nPanels, T[] packedB)
    {
        SliceWork work = WorkCache<SliceWork>.Take();
        work.Set(a, sa, transposeA, b, sb, transposeB, c, m, n, pc, kc, first, nPanels, packedB);
        int threads = Parallelism.ThreadsForThisCall;
        if ((long)kc * n >= ParallelPackMinElements)
        {
            // Each thread packs its share of the panels: a serial packing would leave the others idle.
            work.Shares = Math.Min(threads, nPanels);
            work.Packing = true;
            work.RunAll(work.Shares, threads);
        }
        else
        {
            PackB(b, sb, transposeB, pc, kc, n, packedB, 0, nPanels);
        }
        work.Set(a, sa, transposeA, b, sb, transposeB, c, m, n, pc, kc, first, nPanels, packedB);
        work.Packing = false;
        work.RunAll((m + MC - 1) / MC, threads);
        WorkCache<SliceWork>.Give(work);
    }

    /// <summary>One slice's work for the worker pool: share i of the packing of op(B), or block i of rows of C.</summary>
    private sealed class SliceWork : ParallelWork
    {
        private T[] a = [], b = [], c = [], packedB = [];
        private Shape sa, sb;
        private bool transposeA, transposeB, first;
        private int m, n, pc, kc, nPanels;

        public bool Packing { get; set; }

        public int Shares { get; set; }

        public void Set(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c,
            int m, int n, int pc, int kc, bool first, int nPanels, T[] packedB)
        {
            (this.a, this.sa, this.transposeA, this.b, this.sb, this.transposeB, this.c) = (a, sa, transposeA, b, sb, transposeB, c);
            (this.m, this.n, this.pc, this.kc, this.first, this.nPanels, this.packedB) = (m, n, pc, kc, first, nPanels, packedB);
        }

        protected override void Run(int index)
        {
            if (Packing)
            {
                PackB(b, sb, transposeB, pc, kc, n, packedB, nPanels * index / Shares, nPanels * (index + 1) / Shares);
            }
            else
            {
                MultiplyBlock(a, sa, transposeA, packedB, c, n, pc, kc, index * MC, Math.Min(MC, m - index * MC), first);
            }
        }

        protected override void Clear() => a = b = c = packedB = [];
    }

    /// <summary>Panels [firstPanel, endPanel) of op(B)[pc..pc+kc, 0..n) into <paramref name="packed"/>, panel j at j·NR·kc.</summary>
    private static void PackB(T[] b, Shape sb, bool transposeB, int pc, int kc, int n, T[] packed, int firstPanel, int endPanel)
    {
        for (int panel = firstPanel; panel < endPanel; panel++)
        {
            PackPanel(b, sb, transposeB, pc, kc, n, panel * NR, packed.AsSpan(panel * NR * kc, NR * kc));
        }
    }

    /// <summary>The panel op(B)[pc..pc+kc, j0..j0+NR) into <paramref name="dst"/>: kc rows of NR values, zero-padded.</summary>
    private static void PackPanel(T[] b, Shape sb, bool transposeB, int pc, int kc, int n, int j0, Span<T> dst)
    {
        int ldb = sb.Cols;
        ref T source = ref MemoryMarshal.GetArrayDataReference(b);
        int width = Math.Min(NR, n - j0);
        if (width < NR)
        {
            dst.Clear();
        }
        ref T d = ref MemoryMarshal.GetReference(dst);
        if (!transposeB && width == NR)
        {
            // op(B)[p, j] = B[p, j]: two vectors of row pc + p
            nuint lanes = (nuint)TVec.Count;
            ref T row = ref Unsafe.Add(ref source, pc * ldb + j0);
            for (int p = 0; p < kc; p++, row = ref Unsafe.Add(ref row, ldb))
            {
                TVec.Store(TVec.Load(ref row, 0), ref d, (nuint)(p * NR));
                TVec.Store(TVec.Load(ref row, lanes), ref d, (nuint)(p * NR) + lanes);
            }
        }
        else if (!transposeB)
        {
            for (int p = 0; p < kc; p++)
            {
                // op(B)[p, j] = B[p, j]: a contiguous piece of row pc + p
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref source, (pc + p) * ldb + j0), width)
                    .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref d, p * NR), width));
            }
        }
        else
        {
            // op(B)[p, j] = B[j0 + j, pc + p]: the panel's rows of B, read side by side, become its columns
            Gather(ref Unsafe.Add(ref source, j0 * ldb + pc), ldb, width, kc, ref d, NR);
        }
    }

    /// <summary>8 values, copied as one block.</summary>
    private struct EightValues
    {
#pragma warning disable CS0169 // never read by name: the struct exists to be copied whole
        private T v0, v1, v2, v3, v4, v5, v6, v7;
#pragma warning restore CS0169
    }

    /// <summary>6 values, copied as one block.</summary>
    private struct SixValues
    {
#pragma warning disable CS0169 // never read by name: the struct exists to be copied whole
        private T v0, v1, v2, v3, v4, v5;
#pragma warning restore CS0169
    }

    /// <summary>op(A)[i0..i0+mc, pc..pc+kc) into panels of MR rows: panel i holds kc columns of MR values, zero-padded.</summary>
    private static void PackA(T[] a, Shape sa, bool transposeA, int i0, int mc, int pc, int kc, Span<T> packed)
    {
        int lda = sa.Cols;
        ref T source = ref MemoryMarshal.GetArrayDataReference(a);
        for (int r0 = 0, panel = 0; r0 < mc; r0 += MR, panel++)
        {
            int height = Math.Min(MR, mc - r0);
            Span<T> dst = packed.Slice(panel * MR * kc, MR * kc);
            if (height < MR)
            {
                dst.Clear();
            }
            ref T d = ref MemoryMarshal.GetReference(dst);
            if (transposeA)
            {
                // op(A)[i, p] = A[p, i]: a contiguous piece of row pc + p
                ref T piece = ref Unsafe.Add(ref source, pc * lda + i0 + r0);
                for (int p = 0; p < kc; p++, piece = ref Unsafe.Add(ref piece, lda))
                {
                    if (height == MR && MR == 8)
                    {
                        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref d, p * MR)), Unsafe.ReadUnaligned<EightValues>(ref Unsafe.As<T, byte>(ref piece)));
                    }
                    else if (height == MR)
                    {
                        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref d, p * MR)), Unsafe.ReadUnaligned<SixValues>(ref Unsafe.As<T, byte>(ref piece)));
                    }
                    else
                    {
                        MemoryMarshal.CreateReadOnlySpan(ref piece, height).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref d, p * MR), height));
                    }
                }
            }
            else
            {
                // op(A)[i, p] = A[i0 + r0 + i, pc + p]: the panel's rows, read side by side, written in order
                Gather(ref Unsafe.Add(ref source, (i0 + r0) * lda + pc), lda, height, kc, ref d, MR);
            }
        }
    }

    /// <summary>
    /// dst[p·stride + r] = row r of <paramref name="rows"/> rows (<paramref name="ld"/> apart) at column p, for p in
    /// [0, kc): packs an A panel (stride MR) or a Bᵀ panel (stride NR). Four rows at a time are transposed in registers
    /// (<see cref="TransposedCopy"/>), then a pair, then single rows; the columns past the last block of four one by one.
    /// </summary>
    private static void Gather(ref T row0, int ld, int rows, int kc, ref T dst, int stride)
    {
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            ref T band = ref Unsafe.Add(ref row0, r * ld);
            ref T column = ref Unsafe.Add(ref dst, r);
            for (int p = TransposedCopy.FourRows(ref band, ld, kc, ref column, stride); p < kc; p++)
            {
                ref T to = ref Unsafe.Add(ref column, p * stride);
                to = Unsafe.Add(ref band, p);
                Unsafe.Add(ref to, 1) = Unsafe.Add(ref band, ld + p);
                Unsafe.Add(ref to, 2) = Unsafe.Add(ref band, 2 * ld + p);
                Unsafe.Add(ref to, 3) = Unsafe.Add(ref band, 3 * ld + p);
            }
        }
        if (r + 2 <= rows)
        {
            ref T band = ref Unsafe.Add(ref row0, r * ld);
            ref T column = ref Unsafe.Add(ref dst, r);
            for (int p = TransposedCopy.TwoRows(ref band, ld, kc, ref column, stride); p < kc; p++)
            {
                Unsafe.Add(ref column, p * stride) = Unsafe.Add(ref band, p);
                Unsafe.Add(ref column, p * stride + 1) = Unsafe.Add(ref band, ld + p);
            }
            r += 2;
        }
        for (; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref row0, r * ld);
            for (int p = 0; p < kc; p++)
            {
                Unsafe.Add(ref dst, p * stride + r) = Unsafe.Add(ref row, p);
            }
        }
    }

    /// <summary>
    /// One thread, op(A) short enough to stay packed in L2 for a whole slice (m·kc values within <see cref="WholeABytes"/>):
    /// each slice of op(A) is packed once, then each NR-wide panel of op(B) is packed into a small buffer that stays in
    /// L1 and multiplied by every panel of A at once. The slice of op(B) is never packed whole: for ∂W₁ = ∂Z₁ᵀ·X (op(B) =
    /// X, 256 × 784) a whole packed slice (800 KB in float) is larger than L2 and was written out and read back once per
    /// 72-row block of A; here X is read once and its panels never leave L1. The same tiles compute the same chains, in
    /// another order: the same bits.
    /// </summary>
    private static void MultiplyPanelByPanel(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c,
        int m, int n, int k, int sliceDepth)
    {
        T[] packedA = PackingBuffers<T>.Rent((m + MR - 1) / MR * MR * sliceDepth);
        T[] panel = PackingBuffers<T>.Rent(NR * sliceDepth);
        Span<T> edge = stackalloc T[MR * 64];
        try
        {
            for (int pc = 0; pc < k; pc += sliceDepth)
            {
                int kc = Math.Min(sliceDepth, k - pc);
                PackA(a, sa, transposeA, 0, m, pc, kc, packedA);
                for (int j0 = 0; j0 < n; j0 += NR)
                {
                    PackPanel(b, sb, transposeB, pc, kc, n, j0, panel.AsSpan(0, NR * kc));
                    MultiplyPanel(packedA, ref MemoryMarshal.GetArrayDataReference(panel), c, n, j0, kc, 0, m, pc == 0, edge);
                }
            }
        }
        finally
        {
            PackingBuffers<T>.Return(panel);
            PackingBuffers<T>.Return(packedA);
        }
    }

    private static void MultiplyBlock(T[] a, Shape sa, bool transposeA, T[] packedB, T[] c, int n, int pc, int kc, int i0, int mc, bool first)
    {
        int aPanels = (mc + MR - 1) / MR;
        T[] packedA = PackingBuffers<T>.Rent(aPanels * MR * kc);
        Span<T> edge = stackalloc T[MR * 64];
        try
        {
            PackA(a, sa, transposeA, i0, mc, pc, kc, packedA);
            for (int j0 = 0, bp = 0; j0 < n; j0 += NR, bp++)
            {
                MultiplyPanel(packedA, ref packedB[bp * NR * kc], c, n, j0, kc, i0, mc, first, edge);
            }
        }
        finally
        {
            PackingBuffers<T>.Return(packedA);
        }
    }

    /// <summary>C[i0..i0+mc, j0..j0+NR) (+)= the packed rows of A · one packed panel of op(B), tile by tile.</summary>
    private static void MultiplyPanel(T[] packedA, ref T bPanel, T[] c, int n, int j0, int kc, int i0, int mc, bool first, Span<T> edge)
    {
        int width = Math.Min(NR, n - j0);
        for (int r0 = 0, ap = 0; r0 < mc; r0 += MR, ap++)
        {
            int height = Math.Min(MR, mc - r0);
            ref T aPanel = ref packedA[ap * MR * kc];
            if (height == MR && width == NR)
            {
                MicroKernel(ref aPanel, ref bPanel, kc, ref c[(i0 + r0) * n + j0], n, first);
            }
            else
            {
                // an edge tile: compute the full MR×NR tile into a scratch buffer, then add the valid part
                Span<T> tile = edge[..(MR * NR)];
                MicroKernel(ref aPanel, ref bPanel, kc, ref MemoryMarshal.GetReference(tile), NR, first: true);
                for (int r = 0; r < height; r++)
                {
                    Span<T> cRow = c.AsSpan((i0 + r0 + r) * n + j0, width);
                    ReadOnlySpan<T> tRow = tile.Slice(r * NR, width);
                    if (first)
                    {
                        tRow.CopyTo(cRow);
                    }
                    else
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(cRow, tRow, cRow);
                    }
                }
            }
        }
    }

    /// <summary>C[0..MR, 0..NR) (+)= Apanel · Bpanel over kc steps, in the tile of <see cref="MR"/> rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel(ref T a, ref T b, int kc, ref T c, int ldc, bool first)
    {
        if (MR == 8)
        {
            MicroKernel8(ref a, ref b, kc, ref c, ldc, first);
        }
        else
        {
            MicroKernel6(ref a, ref b, kc, ref c, ldc, first);
        }
    }

    /// <summary>C[0..6, 0..NR) (+)= Apanel · Bpanel over kc steps, 12 accumulators held in registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel6(ref T a, ref T b, int kc, ref T c, int ldc, bool first)
    {
        PrefetchTile(ref c, ldc);
        TVec c00 = TVec.Zero, c01 = TVec.Zero, c10 = TVec.Zero, c11 = TVec.Zero;
        TVec c20 = TVec.Zero, c21 = TVec.Zero, c30 = TVec.Zero, c31 = TVec.Zero;
        TVec c40 = TVec.Zero, c41 = TVec.Zero, c50 = TVec.Zero, c51 = TVec.Zero;
        nuint lanes = (nuint)TVec.Count;
        nuint nr = 2 * lanes;
        nuint aOffset = 0, bOffset = 0;
        TVec b0, b1, ai;
        int p = 0;
        // two steps of p per iteration: half the loop's counter updates and branches, which share the core's issue slots with the FMAs
        for (; p + 2 <= kc; p += 2)
        {
            b0 = TVec.Load(ref b, bOffset);
            b1 = TVec.Load(ref b, bOffset + lanes);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset));
            c00 = TVec.MultiplyAdd(ai, b0, c00); c01 = TVec.MultiplyAdd(ai, b1, c01);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 1));
            c10 = TVec.MultiplyAdd(ai, b0, c10); c11 = TVec.MultiplyAdd(ai, b1, c11);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 2));
            c20 = TVec.MultiplyAdd(ai, b0, c20); c21 = TVec.MultiplyAdd(ai, b1, c21);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 3));
            c30 = TVec.MultiplyAdd(ai, b0, c30); c31 = TVec.MultiplyAdd(ai, b1, c31);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 4));
            c40 = TVec.MultiplyAdd(ai, b0, c40); c41 = TVec.MultiplyAdd(ai, b1, c41);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 5));
            c50 = TVec.MultiplyAdd(ai, b0, c50); c51 = TVec.MultiplyAdd(ai, b1, c51);
            b0 = TVec.Load(ref b, bOffset + nr);
            b1 = TVec.Load(ref b, bOffset + nr + lanes);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 6));
            c00 = TVec.MultiplyAdd(ai, b0, c00); c01 = TVec.MultiplyAdd(ai, b1, c01);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 7));
            c10 = TVec.MultiplyAdd(ai, b0, c10); c11 = TVec.MultiplyAdd(ai, b1, c11);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 8));
            c20 = TVec.MultiplyAdd(ai, b0, c20); c21 = TVec.MultiplyAdd(ai, b1, c21);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 9));
            c30 = TVec.MultiplyAdd(ai, b0, c30); c31 = TVec.MultiplyAdd(ai, b1, c31);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 10));
            c40 = TVec.MultiplyAdd(ai, b0, c40); c41 = TVec.MultiplyAdd(ai, b1, c41);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 11));
            c50 = TVec.MultiplyAdd(ai, b0, c50); c51 = TVec.MultiplyAdd(ai, b1, c51);
            aOffset += 12;
            bOffset += 2 * nr;
        }
        if (p < kc)
        {
            b0 = TVec.Load(ref b, bOffset);
            b1 = TVec.Load(ref b, bOffset + lanes);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset));
            c00 = TVec.MultiplyAdd(ai, b0, c00); c01 = TVec.MultiplyAdd(ai, b1, c01);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 1));
            c10 = TVec.MultiplyAdd(ai, b0, c10); c11 = TVec.MultiplyAdd(ai, b1, c11);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 2));
            c20 = TVec.MultiplyAdd(ai, b0, c20); c21 = TVec.MultiplyAdd(ai, b1, c21);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 3));
            c30 = TVec.MultiplyAdd(ai, b0, c30); c31 = TVec.MultiplyAdd(ai, b1, c31);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 4));
            c40 = TVec.MultiplyAdd(ai, b0, c40); c41 = TVec.MultiplyAdd(ai, b1, c41);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 5));
            c50 = TVec.MultiplyAdd(ai, b0, c50); c51 = TVec.MultiplyAdd(ai, b1, c51);
        }
        nuint row = (nuint)ldc;
        Write(ref c, 0 * row, lanes, c00, c01, first);
        Write(ref c, 1 * row, lanes, c10, c11, first);
        Write(ref c, 2 * row, lanes, c20, c21, first);
        Write(ref c, 3 * row, lanes, c30, c31, first);
        Write(ref c, 4 * row, lanes, c40, c41, first);
        Write(ref c, 5 * row, lanes, c50, c51, first);
    }

    /// <summary>C[0..8, 0..NR) (+)= Apanel · Bpanel over kc steps, 16 accumulators held in registers (512-bit vectors only).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel8(ref T a, ref T b, int kc, ref T c, int ldc, bool first)
    {
        PrefetchTile(ref c, ldc);
        TVec c00 = TVec.Zero, c01 = TVec.Zero, c10 = TVec.Zero, c11 = TVec.Zero;
        TVec c20 = TVec.Zero, c21 = TVec.Zero, c30 = TVec.Zero, c31 = TVec.Zero;
        TVec c40 = TVec.Zero, c41 = TVec.Zero, c50 = TVec.Zero, c51 = TVec.Zero;
        TVec c60 = TVec.Zero, c61 = TVec.Zero, c70 = TVec.Zero, c71 = TVec.Zero;
        nuint lanes = (nuint)TVec.Count;
        nuint nr = 2 * lanes;
        nuint aOffset = 0, bOffset = 0;
        TVec b0, b1, ai;
        int p = 0;
        // two steps of p per iteration: half the loop's counter updates and branches, which share the core's issue slots with the FMAs
        for (; p + 2 <= kc; p += 2)
        {
            b0 = TVec.Load(ref b, bOffset);
            b1 = TVec.Load(ref b, bOffset + lanes);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset));
            c00 = TVec.MultiplyAdd(ai, b0, c00); c01 = TVec.MultiplyAdd(ai, b1, c01);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 1));
            c10 = TVec.MultiplyAdd(ai, b0, c10); c11 = TVec.MultiplyAdd(ai, b1, c11);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 2));
            c20 = TVec.MultiplyAdd(ai, b0, c20); c21 = TVec.MultiplyAdd(ai, b1, c21);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 3));
            c30 = TVec.MultiplyAdd(ai, b0, c30); c31 = TVec.MultiplyAdd(ai, b1, c31);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 4));
            c40 = TVec.MultiplyAdd(ai, b0, c40); c41 = TVec.MultiplyAdd(ai, b1, c41);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 5));
            c50 = TVec.MultiplyAdd(ai, b0, c50); c51 = TVec.MultiplyAdd(ai, b1, c51);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 6));
            c60 = TVec.MultiplyAdd(ai, b0, c60); c61 = TVec.MultiplyAdd(ai, b1, c61);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 7));
            c70 = TVec.MultiplyAdd(ai, b0, c70); c71 = TVec.MultiplyAdd(ai, b1, c71);
            b0 = TVec.Load(ref b, bOffset + nr);
            b1 = TVec.Load(ref b, bOffset + nr + lanes);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 8));
            c00 = TVec.MultiplyAdd(ai, b0, c00); c01 = TVec.MultiplyAdd(ai, b1, c01);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 9));
            c10 = TVec.MultiplyAdd(ai, b0, c10); c11 = TVec.MultiplyAdd(ai, b1, c11);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 10));
            c20 = TVec.MultiplyAdd(ai, b0, c20); c21 = TVec.MultiplyAdd(ai, b1, c21);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 11));
            c30 = TVec.MultiplyAdd(ai, b0, c30); c31 = TVec.MultiplyAdd(ai, b1, c31);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 12));
            c40 = TVec.MultiplyAdd(ai, b0, c40); c41 = TVec.MultiplyAdd(ai, b1, c41);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 13));
            c50 = TVec.MultiplyAdd(ai, b0, c50); c51 = TVec.MultiplyAdd(ai, b1, c51);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 14));
            c60 = TVec.MultiplyAdd(ai, b0, c60); c61 = TVec.MultiplyAdd(ai, b1, c61);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 15));
            c70 = TVec.MultiplyAdd(ai, b0, c70); c71 = TVec.MultiplyAdd(ai, b1, c71);
            aOffset += 16;
            bOffset += 2 * nr;
        }
        if (p < kc)
        {
            b0 = TVec.Load(ref b, bOffset);
            b1 = TVec.Load(ref b, bOffset + lanes);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset));
            c00 = TVec.MultiplyAdd(ai, b0, c00); c01 = TVec.MultiplyAdd(ai, b1, c01);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 1));
            c10 = TVec.MultiplyAdd(ai, b0, c10); c11 = TVec.MultiplyAdd(ai, b1, c11);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 2));
            c20 = TVec.MultiplyAdd(ai, b0, c20); c21 = TVec.MultiplyAdd(ai, b1, c21);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 3));
            c30 = TVec.MultiplyAdd(ai, b0, c30); c31 = TVec.MultiplyAdd(ai, b1, c31);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 4));
            c40 = TVec.MultiplyAdd(ai, b0, c40); c41 = TVec.MultiplyAdd(ai, b1, c41);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 5));
            c50 = TVec.MultiplyAdd(ai, b0, c50); c51 = TVec.MultiplyAdd(ai, b1, c51);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 6));
            c60 = TVec.MultiplyAdd(ai, b0, c60); c61 = TVec.MultiplyAdd(ai, b1, c61);
            ai = TVec.Create(Unsafe.Add(ref a, aOffset + 7));
            c70 = TVec.MultiplyAdd(ai, b0, c70); c71 = TVec.MultiplyAdd(ai, b1, c71);
        }
        nuint row = (nuint)ldc;
        Write(ref c, 0 * row, lanes, c00, c01, first);
        Write(ref c, 1 * row, lanes, c10, c11, first);
        Write(ref c, 2 * row, lanes, c20, c21, first);
        Write(ref c, 3 * row, lanes, c30, c31, first);
        Write(ref c, 4 * row, lanes, c40, c41, first);
        Write(ref c, 5 * row, lanes, c50, c51, first);
        Write(ref c, 6 * row, lanes, c60, c61, first);
        Write(ref c, 7 * row, lanes, c70, c71, first);
    }

    /// <summary>
    /// Asks for the MR rows of the C tile while the kc loop runs: a tile of a large C is far from the core, and
    /// waiting for it after the loop costs about a tenth of the kernel's time. A hint only: it never faults.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchTile(ref T c, int ldc)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }
        byte* row = (byte*)Unsafe.AsPointer(ref c);
        nint stride = ldc * sizeof(T);
        nint last = NR * sizeof(T) - 1;
        for (int r = 0; r < MR; r++, row += stride)
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(row);
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + 64);
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + last);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(ref T c, nuint offset, nuint lanes, TVec left, TVec right, bool first)
    {
        if (!first)
        {
            left += TVec.Load(ref c, offset);
            right += TVec.Load(ref c, offset + lanes);
        }
        TVec.Store(left, ref c, offset);
        TVec.Store(right, ref c, offset + lanes);
    }
}
