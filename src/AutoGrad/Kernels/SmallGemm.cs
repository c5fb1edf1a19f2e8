using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// C = op(A)·op(B) for products small enough that the packed kernel's blocking, packing of A and scratch buffers cost
/// more than they save. op(A) is read in place, one broadcast element at a time (Aᵀ costs nothing: only the element's
/// address differs). op(B) is read as rows of vectors: B itself, or — when B is transposed or n is not a whole number
/// of vectors — a copy of op(B) with its rows padded with zeros to whole vectors, made once per call in the caller's
/// scratch (<see cref="ScratchLength"/>). At 256 bits with k &gt; 4, columns are first taken four vectors at a time by
/// 2-row tiles (<see cref="Panel2x4"/>); then two vectors at a time by 4-row tiles (eight accumulators: the FMA
/// latency × throughput of the machine) and a last single vector by 8-row tiles, so a narrow result (n of one vector
/// or less) still keeps eight independent chains in flight. At 256 bits the full-width panels are written on
/// <see cref="System.Runtime.Intrinsics.Vector256{T}"/> itself (the <c>…256</c> methods): through the
/// <typeparamref name="TVec"/> wrapper the JIT followed many multiply-adds with a register move. Edge tiles read duplicated rows and padded columns
/// and store only the valid part. Every element is the chain of fused multiply-adds p = 0, 1, …, k−1 from zero — the
/// chain the packed kernel computes when k fits in one slice — so for k ≤ 256 both kernels give the same bits.
/// </summary>
[SkipLocalsInit] // an edge tile's buffer is always written before it is read
internal static class SmallGemm<T, TVec>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct, ISimdMath<TVec, T>
{
    /// <summary>Products with at most this many multiply-adds (m·n·k) take this kernel whatever their inner dimension.</summary>
    public const long MaxWork = 1 << 16;

    /// <summary>Elements of scratch a product needs for its copy of op(B): k rows padded to whole vectors, or 0 if B is read in place.</summary>
    public static int ScratchLength(int k, int n, bool transposeB) => SmallGemm.ScratchLength(k, n, transposeB, TVec.Count);

    private static int PaddedWidth(int n) => SmallGemm.PaddedWidth(n, TVec.Count);

    /// <summary>
    /// C = op(A)·op(B); <paramref name="scratch"/> (at least <see cref="ScratchLength"/> elements, the caller's) holds
    /// the copy of op(B), or null to rent it. With <paramref name="parallel"/>, blocks of rows go to different threads
    /// (each element is still one chain computed by one thread: the same bits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc, T[]? scratch = null,
        bool parallel = false) =>
        Multiply<NoEpilogue<T>>(a, sa, transposeA, b, sb, transposeB, c, sc, scratch, parallel, [], []);

    /// <summary>
    /// C = E(op(A)·op(B), row): <see cref="Multiply(T[], Shape, bool, T[], Shape, bool, T[], Shape, T[], bool)"/> with the
    /// epilogue <typeparamref name="TEpilogue"/> applied to every vector of the result in registers, before it is stored,
    /// with the matching vector of <paramref name="row"/> (1 × n) or of <paramref name="operand"/> (m × n, the result's
    /// shape). n must be a whole number of vectors (every panel is then full width, and the row and operand are read
    /// within their values); on one thread. Returns true if the epilogue flagged a lane (<see cref="IGemmEpilogue{T}.ApplyAt"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Multiply<TEpilogue>(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc, T[]? scratch,
        bool parallel, T[] row, T[] operand)
        where TEpilogue : struct, IGemmEpilogue<T>
    {
        if ((TEpilogue.HasRow || TEpilogue.HasOperand) && (sc.Cols % TVec.Count != 0 || parallel
            || (TEpilogue.HasRow && row.Length < sc.Cols) || (TEpilogue.HasOperand && operand.Length < sc.Length)))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"A product's epilogue needs whole vectors of columns and one thread: {sc} result, row of {row.Length}, operand of {operand.Length} (internal error)."), nameof(row));
        }
        TVec flags = TVec.Zero;
        int m = sc.Rows, n = sc.Cols, k = transposeA ? sa.Rows : sa.Cols;
        int copyLength = ScratchLength(k, n, transposeB);
        T[]? rented = null;
        try
        {
            T[] rows = b;
            int ldb = n;
            if (copyLength > 0)
            {
                rows = scratch ?? (rented = ArrayPool<T>.Shared.Rent(copyLength));
                ldb = PaddedWidth(n);
                CopyRows(b, sb, transposeB, k, n, rows, ldb);
            }
            int blocks = (m + 7) / 8;
            if (parallel && blocks > 1)
            {
                TilesInParallel(a, transposeA, m, n, k, rows, ldb, c, blocks);
            }
            else
            {
                Tiles<TEpilogue>(a, transposeA, m, n, k, ref MemoryMarshal.GetArrayDataReference(rows), ldb, c, 0, m, row, operand, ref flags);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }
        return !TVec.IsAllBitsZero(flags);
    }

    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of <see cref="Multiply{TEpilogue}"/>'s result, on this thread: the same tiles over those rows, so each element is the same chain, with the same
    /// epilogue. <paramref name="scratch"/> (<see cref="ScratchLength"/> elements, or null to rent) must be this call's
    /// own: bands running at once each copy op(B). Returns true if the epilogue flagged a lane in these rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool MultiplyRows<TEpilogue>(T[] a, Shape sa, bool transposeA, T[] b, Shape sb, bool transposeB, T[] c, Shape sc, T[]? scratch,
        T[] row, T[] operand, int rowStart, int rowEnd)
        where TEpilogue : struct, IGemmEpilogue<T>
    {
        if ((uint)rowStart > (uint)rowEnd || rowEnd > sc.Rows || ((TEpilogue.HasRow || TEpilogue.HasOperand) && (sc.Cols % TVec.Count != 0
            || (TEpilogue.HasRow && row.Length < sc.Cols) || (TEpilogue.HasOperand && operand.Length < sc.Length))))
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"A product's rows [{rowStart}, {rowEnd}) of a {sc} result, A transposed: {transposeA}, row of {row.Length}, operand of {operand.Length} (internal error)."), nameof(rowStart));
        }
        TVec flags = TVec.Zero;
        int m = sc.Rows, n = sc.Cols, k = transposeA ? sa.Rows : sa.Cols;
        int copyLength = ScratchLength(k, n, transposeB);
        T[]? rented = null;
        try
        {
            T[] rows = b;
            int ldb = n;
            if (copyLength > 0)
            {
                rows = scratch ?? (rented = ArrayPool<T>.Shared.Rent(copyLength));
                ldb = PaddedWidth(n);
                CopyRows(b, sb, transposeB, k, n, rows, ldb);
            }
            Tiles<TEpilogue>(a, transposeA, m, n, k, ref MemoryMarshal.GetArrayDataReference(rows), ldb, c, rowStart, rowEnd, row, operand, ref flags);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }
        return !TVec.IsAllBitsZero(flags);
    }

    /// <summary>dst[p·ldb + j] = op(B)[p, j] for j &lt; n, zero for n ≤ j &lt; ldb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRows(T[] b, Shape sb, bool transposeB, int k, int n, T[] dst, int ldb)
    {
        ref T d = ref MemoryMarshal.GetArrayDataReference(dst);
        for (int p = 0; p < k; p++)
        {
            // fewer than one vector of padding per row
            for (int pad = n; pad < ldb; pad++)
            {
                Unsafe.Add(ref d, p * ldb + pad) = T.Zero;
            }
        }
        if (!transposeB)
        {
            for (int p = 0; p < k; p++)
            {
                b.AsSpan(p * n, n).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref d, p * ldb), n));
            }
            return;
        }
        // op(B)[p, j] = B[j, p]: read four rows of B side by side, write four neighbours of each row of the copy
        ref T s = ref MemoryMarshal.GetArrayDataReference(b);
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            ref T r0 = ref Unsafe.Add(ref s, j * k);
            ref T r1 = ref Unsafe.Add(ref r0, k);
            ref T r2 = ref Unsafe.Add(ref r1, k);
            ref T r3 = ref Unsafe.Add(ref r2, k);
            int p = TransposedCopy.FourRows(ref r0, k, k, ref Unsafe.Add(ref d, j), ldb);
            ref T column = ref Unsafe.Add(ref d, p * ldb + j);
            for (; p < k; p++, column = ref Unsafe.Add(ref column, ldb))
            {
                column = Unsafe.Add(ref r0, p);
                Unsafe.Add(ref column, 1) = Unsafe.Add(ref r1, p);
                Unsafe.Add(ref column, 2) = Unsafe.Add(ref r2, p);
                Unsafe.Add(ref column, 3) = Unsafe.Add(ref r3, p);
            }
        }
        for (; j < n; j++)
        {
            ref T row = ref Unsafe.Add(ref s, j * k);
            ref T column = ref Unsafe.Add(ref d, j);
            for (int p = 0; p < k; p++, column = ref Unsafe.Add(ref column, ldb))
            {
                column = Unsafe.Add(ref row, p);
            }
        }
    }

    private static void TilesInParallel(T[] a, bool transposeA, int m, int n, int k, T[] rows, int ldb, T[] c, int blocks)
    {
        TilesWork work = WorkCache<TilesWork>.Take();
        int chunks = Math.Min(blocks, Parallelism.ThreadsForThisCall);
        work.Set(a, transposeA, m, n, k, rows, ldb, c, blocks, chunks);
        work.RunAll(chunks, chunks);
        WorkCache<TilesWork>.Give(work);
    }

    /// <summary>Chunk i of the 8-row blocks of C, for the worker pool.</summary>
    private sealed class TilesWork : ParallelWork
    {
        private T[] a = [], rows = [], c = [];
        private bool transposeA;
        private int m, n, k, ldb, blocks, chunks;

        public void Set(T[] a, bool transposeA, int m, int n, int k, T[] rows, int ldb, T[] c, int blocks, int chunks) =>
            (this.a, this.transposeA, this.m, this.n, this.k, this.rows, this.ldb, this.c, this.blocks, this.chunks) =
            (a, transposeA, m, n, k, rows, ldb, c, blocks, chunks);

        protected override void Run(int index)
        {
            // whole 8-row blocks per chunk, so every chunk but the last runs full tiles only
            int start = (int)((long)blocks * index / chunks) * 8;
            int end = Math.Min(m, (int)((long)blocks * (index + 1) / chunks) * 8);
            TVec none = TVec.Zero;
            Tiles<NoEpilogue<T>>(a, transposeA, m, n, k, ref MemoryMarshal.GetArrayDataReference(rows), ldb, c, start, end, [], [], ref none);
        }

        protected override void Clear() => a = rows = c = [];
    }

    /// <summary>Rows [rowStart, rowEnd) of C = op(A)·R, where R is k rows of ldb values (whole vectors; columns from n on are zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // one call less per product: the panels are where the time goes
    private static void Tiles<TE>(T[] a, bool transposeA, int m, int n, int k, ref T b, int ldb, T[] c, int rowStart, int rowEnd, T[] row,
        T[] operand, ref TVec flags)
        where TE : struct, IGemmEpilogue<T>
    {
        ref T rowRef = ref MemoryMarshal.GetArrayDataReference(row);
        ref T operandRef = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(operand), TE.HasOperand ? rowStart * n : 0);
        // op(A)[i, p] = a[i · rowStep + p · innerStep]
        nint rowStep = transposeA ? 1 : k, innerStep = transposeA ? m : 1;
        ref T aRef = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), rowStart * rowStep);
        ref T cRef = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c), rowStart * n);
        m = rowEnd - rowStart;
        int lanes = TVec.Count;
        int vectors = ldb / lanes;
        int j = 0;
        // Column panels outermost: a panel of R (k rows of four or two vectors) stays in L1 while every row block uses it.
        if (k > ShortInner && typeof(TVec) == typeof(Math256<T>))
        {
            for (; j + 4 * lanes <= n; j += 4 * lanes)
            {
                Panel2x4<TE>(ref aRef, rowStep, innerStep, m, ref Unsafe.Add(ref b, j), ldb, k, ref Unsafe.Add(ref cRef, j), n, ref Unsafe.Add(ref rowRef, j),
                    ref Unsafe.Add(ref operandRef, j), ref flags);
            }
        }
        for (int v = j / lanes; v + 2 <= vectors; v += 2, j += 2 * lanes)
        {
            int width = Math.Min(2 * lanes, n - j);
            if (k <= ShortInner && width == 2 * lanes && typeof(TVec) == typeof(Math256<T>))
            {
                PanelShortInner256<TE>(ref aRef, rowStep, innerStep, m, ref Unsafe.Add(ref b, j), ldb, k, ref Unsafe.Add(ref cRef, j), n, ref Unsafe.Add(ref rowRef, j),
                    ref Unsafe.Add(ref operandRef, j), ref flags);
            }
            else if (k <= ShortInner && width == 2 * lanes)
            {
                PanelShortInner<TE>(ref aRef, rowStep, innerStep, m, ref Unsafe.Add(ref b, j), ldb, k, ref Unsafe.Add(ref cRef, j), n, ref Unsafe.Add(ref rowRef, j),
                    ref Unsafe.Add(ref operandRef, j), ref flags);
            }
            else if (width == 2 * lanes && typeof(TVec) == typeof(Math256<T>))
            {
                Panel4x2Full256<TE>(ref aRef, rowStep, innerStep, m, ref Unsafe.Add(ref b, j), ldb, k, ref Unsafe.Add(ref cRef, j), n, ref Unsafe.Add(ref rowRef, j),
                    ref Unsafe.Add(ref operandRef, j), ref flags);
            }
            else
            {
                Panel4x2<TE>(ref aRef, rowStep, innerStep, m, ref Unsafe.Add(ref b, j), ldb, k, ref Unsafe.Add(ref cRef, j), n, width, ref Unsafe.Add(ref rowRef, j),
                    ref Unsafe.Add(ref operandRef, j), ref flags);
            }
        }
        if (j + lanes == n && typeof(TVec) == typeof(Math256<T>))
        {
            Panel8x1Full256<TE>(ref aRef, rowStep, innerStep, m, ref Unsafe.Add(ref b, j), ldb, k, ref Unsafe.Add(ref cRef, j), n, ref Unsafe.Add(ref rowRef, j),
                ref Unsafe.Add(ref operandRef, j), ref flags);
        }
        else if (j < n)
        {
            Panel8x1<TE>(ref aRef, rowStep, innerStep, m, ref Unsafe.Add(ref b, j), ldb, k, ref Unsafe.Add(ref cRef, j), n, n - j, ref Unsafe.Add(ref rowRef, j),
                ref Unsafe.Add(ref operandRef, j), ref flags);
        }
    }

    /// <summary>Inner dimensions up to this take <see cref="PanelShortInner"/> for their full two-vector panels.</summary>
    internal const int ShortInner = 4;

    /// <summary>
    /// C[0..m, 0..2 vectors) = op(A) · R[:, 0..2 vectors) for k ≤ <see cref="ShortInner"/>: the panel of R (at most 4 × 2
    /// vectors) stays in registers and the loop runs over single rows, two chains of k multiply-adds each — the same
    /// chains from zero as the tiles, so the same bits. With k = 4 a 4 × 2 tile spends as long setting up, clearing and
    /// storing its eight accumulators as multiplying (a (32, 16-32-4) step's ∂H = ∂Z₂·W₂, 32×32×4); here consecutive
    /// rows are independent, so the core overlaps them.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // the same code whether tiering has run or not
    private static void PanelShortInner<TE>(ref T a, nint rowStep, nint innerStep, int m, ref T b, int ldb, int k, ref T c, int ldc, ref T epilogueRow,
        ref T operand, ref TVec flags)
        where TE : struct, IGemmEpilogue<T>
    {
        TVec f = flags;
        nuint lanes = (nuint)TVec.Count, row = (nuint)ldb;
        TVec e0 = TE.HasRow ? TVec.Load(ref epilogueRow, 0) : TVec.Zero, e1 = TE.HasRow ? TVec.Load(ref epilogueRow, lanes) : TVec.Zero;
        TVec b00 = TVec.Load(ref b, 0), b01 = TVec.Load(ref b, lanes);
        TVec b10 = k > 1 ? TVec.Load(ref b, row) : TVec.Zero, b11 = k > 1 ? TVec.Load(ref b, row + lanes) : TVec.Zero;
        TVec b20 = k > 2 ? TVec.Load(ref b, 2 * row) : TVec.Zero, b21 = k > 2 ? TVec.Load(ref b, 2 * row + lanes) : TVec.Zero;
        TVec b30 = k > 3 ? TVec.Load(ref b, 3 * row) : TVec.Zero, b31 = k > 3 ? TVec.Load(ref b, 3 * row + lanes) : TVec.Zero;
        for (int i = 0; i < m; i++, a = ref Unsafe.Add(ref a, rowStep), c = ref Unsafe.Add(ref c, ldc))
        {
            TVec x = TVec.Create(a);
            TVec c0 = TVec.MultiplyAdd(x, b00, TVec.Zero), c1 = TVec.MultiplyAdd(x, b01, TVec.Zero);
            if (k > 1)
            {
                x = TVec.Create(Unsafe.Add(ref a, innerStep));
                c0 = TVec.MultiplyAdd(x, b10, c0);
                c1 = TVec.MultiplyAdd(x, b11, c1);
                if (k > 2)
                {
                    x = TVec.Create(Unsafe.Add(ref a, 2 * innerStep));
                    c0 = TVec.MultiplyAdd(x, b20, c0);
                    c1 = TVec.MultiplyAdd(x, b21, c1);
                    if (k > 3)
                    {
                        x = TVec.Create(Unsafe.Add(ref a, 3 * innerStep));
                        c0 = TVec.MultiplyAdd(x, b30, c0);
                        c1 = TVec.MultiplyAdd(x, b31, c1);
                    }
                }
            }
            if (TE.HasOperand)
            {
                TVec y0 = TVec.Load(ref operand, 0), y1 = TVec.Load(ref operand, lanes);
                f |= TE.FlagAt(y0) | TE.FlagAt(y1);
                c0 = TE.ApplyAt(c0, y0);
                c1 = TE.ApplyAt(c1, y1);
                operand = ref Unsafe.Add(ref operand, ldc);
            }
            TVec.Store(TE.Apply(c0, e0), ref c, 0);
            TVec.Store(TE.Apply(c1, e1), ref c, lanes);
        }
        flags = f;
    }

    /// <summary>
    /// C[0..m, 0..4 vectors) = op(A) · R[:, 0..4 vectors) (every column valid) at 256 bits, in tiles of two rows with
    /// eight accumulators; the second row of a last one-row tile repeats the first (read, never stored). Each element is
    /// the same chain from zero as in the other tiles: the same bits. Two reasons it beats the 4 × 2 tile on the benchmark
    /// machine (Zen 3; 32×32×16 and 32×16×32 products, benchmarks/README.md, session eleven): two broadcasts of op(A)
    /// per eight multiply-adds instead of four, and it is written on <see cref="Vector256{T}"/> itself — through the
    /// <typeparamref name="TVec"/> wrapper the JIT computes each multiply-add whose operand of R dies into that operand's
    /// register and copies it to the accumulator's (five register moves per eight multiply-adds), which made the loop
    /// as long as the core's dispatch width allows.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // the same code whether tiering has run or not
    private static void Panel2x4<TE>(ref T a, nint rowStep, nint innerStep, int m, ref T b, int ldb, int k, ref T c, int ldc, ref T epilogueRow,
        ref T operand, ref TVec flags)
        where TE : struct, IGemmEpilogue<T>
    {
        Math256<T> f = Math256<T>.Zero; // the flags at this width (TVec is Math256<T>: the caller checks)
        nuint lanes = (nuint)Vector256<T>.Count;
        for (int i = 0; i < m; i += 2, a = ref Unsafe.Add(ref a, 2 * rowStep), c = ref Unsafe.Add(ref c, 2 * ldc))
        {
            bool two = i + 1 < m;
            Vector256<T> c00 = default, c01 = default, c02 = default, c03 = default;
            Vector256<T> c10 = default, c11 = default, c12 = default, c13 = default;
            ref T a1 = ref Unsafe.Add(ref a, two ? rowStep : 0);
            ref T bp = ref b;
            nint ap = 0;
            for (int p = 0; p < k; p++, ap += innerStep, bp = ref Unsafe.Add(ref bp, ldb))
            {
                Vector256<T> b0 = Vector256.LoadUnsafe(ref bp, 0), b1 = Vector256.LoadUnsafe(ref bp, lanes);
                Vector256<T> b2 = Vector256.LoadUnsafe(ref bp, 2 * lanes), b3 = Vector256.LoadUnsafe(ref bp, 3 * lanes);
                Vector256<T> ai = Vector256.Create(Unsafe.Add(ref a, ap));
                c00 = MultiplyAdd(ai, b0, c00); c01 = MultiplyAdd(ai, b1, c01); c02 = MultiplyAdd(ai, b2, c02); c03 = MultiplyAdd(ai, b3, c03);
                ai = Vector256.Create(Unsafe.Add(ref a1, ap));
                c10 = MultiplyAdd(ai, b0, c10); c11 = MultiplyAdd(ai, b1, c11); c12 = MultiplyAdd(ai, b2, c12); c13 = MultiplyAdd(ai, b3, c13);
            }
            // the epilogue on the wrapper, in registers
            Math256<T> d00 = new(c00), d01 = new(c01), d02 = new(c02), d03 = new(c03);
            Math256<T> d10 = new(c10), d11 = new(c11), d12 = new(c12), d13 = new(c13);
            if (TE.HasRow)
            {
                Math256<T> e0 = Math256<T>.Load(ref epilogueRow, 0), e1 = Math256<T>.Load(ref epilogueRow, lanes);
                Math256<T> e2 = Math256<T>.Load(ref epilogueRow, 2 * lanes), e3 = Math256<T>.Load(ref epilogueRow, 3 * lanes);
                d00 = TE.Apply(d00, e0); d01 = TE.Apply(d01, e1); d02 = TE.Apply(d02, e2); d03 = TE.Apply(d03, e3);
                d10 = TE.Apply(d10, e0); d11 = TE.Apply(d11, e1); d12 = TE.Apply(d12, e2); d13 = TE.Apply(d13, e3);
            }
            if (TE.HasOperand)
            {
                // the operand's rows of this tile (a missing second row repeats the first: read, never stored)
                ref T o = ref Unsafe.Add(ref operand, i * ldc);
                nuint o1 = two ? (nuint)ldc : 0;
                Math256<T> y00 = Math256<T>.Load(ref o, 0), y01 = Math256<T>.Load(ref o, lanes), y02 = Math256<T>.Load(ref o, 2 * lanes), y03 = Math256<T>.Load(ref o, 3 * lanes);
                Math256<T> y10 = Math256<T>.Load(ref o, o1), y11 = Math256<T>.Load(ref o, o1 + lanes), y12 = Math256<T>.Load(ref o, o1 + 2 * lanes), y13 = Math256<T>.Load(ref o, o1 + 3 * lanes);
                f |= TE.FlagAt(y00) | TE.FlagAt(y01) | TE.FlagAt(y02) | TE.FlagAt(y03) | TE.FlagAt(y10) | TE.FlagAt(y11) | TE.FlagAt(y12) | TE.FlagAt(y13);
                d00 = TE.ApplyAt(d00, y00); d01 = TE.ApplyAt(d01, y01); d02 = TE.ApplyAt(d02, y02); d03 = TE.ApplyAt(d03, y03);
                d10 = TE.ApplyAt(d10, y10); d11 = TE.ApplyAt(d11, y11); d12 = TE.ApplyAt(d12, y12); d13 = TE.ApplyAt(d13, y13);
            }
            Math256<T>.Store(d00, ref c, 0); Math256<T>.Store(d01, ref c, lanes); Math256<T>.Store(d02, ref c, 2 * lanes); Math256<T>.Store(d03, ref c, 3 * lanes);
            if (two)
            {
                nuint row = (nuint)ldc;
                Math256<T>.Store(d10, ref c, row); Math256<T>.Store(d11, ref c, row + lanes); Math256<T>.Store(d12, ref c, row + 2 * lanes); Math256<T>.Store(d13, ref c, row + 3 * lanes);
            }
        }
        flags = Unsafe.BitCast<Math256<T>, TVec>(f | Unsafe.BitCast<TVec, Math256<T>>(flags));
    }

    /// <summary>
    /// <see cref="PanelShortInner"/> at 256 bits, written on <see cref="Vector256{T}"/> as <see cref="Panel2x4"/> is (for
    /// the same reason: through the wrapper the JIT added a register move to most multiply-adds). The same chains.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // the same code whether tiering has run or not
    private static void PanelShortInner256<TE>(ref T a, nint rowStep, nint innerStep, int m, ref T b, int ldb, int k, ref T c, int ldc, ref T epilogueRow,
        ref T operand, ref TVec flags)
        where TE : struct, IGemmEpilogue<T>
    {
        Math256<T> f = Math256<T>.Zero;
        nuint lanes = (nuint)Vector256<T>.Count, row = (nuint)ldb;
        Math256<T> e0 = TE.HasRow ? Math256<T>.Load(ref epilogueRow, 0) : Math256<T>.Zero, e1 = TE.HasRow ? Math256<T>.Load(ref epilogueRow, lanes) : Math256<T>.Zero;
        Vector256<T> b00 = Vector256.LoadUnsafe(ref b, 0), b01 = Vector256.LoadUnsafe(ref b, lanes);
        Vector256<T> b10 = k > 1 ? Vector256.LoadUnsafe(ref b, row) : default, b11 = k > 1 ? Vector256.LoadUnsafe(ref b, row + lanes) : default;
        Vector256<T> b20 = k > 2 ? Vector256.LoadUnsafe(ref b, 2 * row) : default, b21 = k > 2 ? Vector256.LoadUnsafe(ref b, 2 * row + lanes) : default;
        Vector256<T> b30 = k > 3 ? Vector256.LoadUnsafe(ref b, 3 * row) : default, b31 = k > 3 ? Vector256.LoadUnsafe(ref b, 3 * row + lanes) : default;
        for (int i = 0; i < m; i++, a = ref Unsafe.Add(ref a, rowStep), c = ref Unsafe.Add(ref c, ldc))
        {
            Vector256<T> x = Vector256.Create(a);
            Vector256<T> c0 = MultiplyAdd(x, b00, default), c1 = MultiplyAdd(x, b01, default);
            if (k > 1)
            {
                x = Vector256.Create(Unsafe.Add(ref a, innerStep));
                c0 = MultiplyAdd(x, b10, c0);
                c1 = MultiplyAdd(x, b11, c1);
                if (k > 2)
                {
                    x = Vector256.Create(Unsafe.Add(ref a, 2 * innerStep));
                    c0 = MultiplyAdd(x, b20, c0);
                    c1 = MultiplyAdd(x, b21, c1);
                    if (k > 3)
                    {
                        x = Vector256.Create(Unsafe.Add(ref a, 3 * innerStep));
                        c0 = MultiplyAdd(x, b30, c0);
                        c1 = MultiplyAdd(x, b31, c1);
                    }
                }
            }
            Math256<T> d0 = new(c0), d1 = new(c1);
            if (TE.HasOperand)
            {
                Math256<T> y0 = Math256<T>.Load(ref operand, 0), y1 = Math256<T>.Load(ref operand, lanes);
                f |= TE.FlagAt(y0) | TE.FlagAt(y1);
                d0 = TE.ApplyAt(d0, y0);
                d1 = TE.ApplyAt(d1, y1);
                operand = ref Unsafe.Add(ref operand, ldc);
            }
            Math256<T>.Store(TE.Apply(d0, e0), ref c, 0);
            Math256<T>.Store(TE.Apply(d1, e1), ref c, lanes);
        }
        flags = Unsafe.BitCast<Math256<T>, TVec>(f | Unsafe.BitCast<TVec, Math256<T>>(flags));
    }

    /// <summary>
    /// <see cref="Panel8x1"/> for a last panel of exactly one whole vector at 256 bits, written on <see cref="Vector256{T}"/>
    /// as <see cref="Panel2x4"/> is: through the wrapper the JIT followed every multiply-add of this loop with a register
    /// move (eight per eight multiply-adds). The same chains; an edge tile through <see cref="StoreEdge"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // the same code whether tiering has run or not
    private static void Panel8x1Full256<TE>(ref T a, nint rowStep, nint innerStep, int m, ref T b, int ldb, int k, ref T c, int ldc, ref T epilogueRow,
        ref T operand, ref TVec flags)
        where TE : struct, IGemmEpilogue<T>
    {
        Math256<T> f = Math256<T>.Zero;
        for (int i = 0; i < m; i += 8, a = ref Unsafe.Add(ref a, 8 * rowStep), c = ref Unsafe.Add(ref c, 8 * ldc))
        {
            int rows = Math.Min(8, m - i);
            Vector256<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            ref T a1 = ref Unsafe.Add(ref a, rows > 1 ? rowStep : 0);
            ref T a2 = ref Unsafe.Add(ref a, rows > 2 ? 2 * rowStep : 0);
            ref T a3 = ref Unsafe.Add(ref a, rows > 3 ? 3 * rowStep : 0);
            ref T a4 = ref Unsafe.Add(ref a, rows > 4 ? 4 * rowStep : 0);
            ref T a5 = ref Unsafe.Add(ref a, rows > 5 ? 5 * rowStep : 0);
            ref T a6 = ref Unsafe.Add(ref a, rows > 6 ? 6 * rowStep : 0);
            ref T a7 = ref Unsafe.Add(ref a, rows > 7 ? 7 * rowStep : 0);
            ref T bp = ref b;
            nint ap = 0;
            for (int p = 0; p < k; p++, ap += innerStep, bp = ref Unsafe.Add(ref bp, ldb))
            {
                Vector256<T> b0 = Vector256.LoadUnsafe(ref bp);
                c0 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a, ap)), b0, c0);
                c1 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a1, ap)), b0, c1);
                c2 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a2, ap)), b0, c2);
                c3 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a3, ap)), b0, c3);
                c4 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a4, ap)), b0, c4);
                c5 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a5, ap)), b0, c5);
                c6 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a6, ap)), b0, c6);
                c7 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a7, ap)), b0, c7);
            }
            Math256<T> d0 = new(c0), d1 = new(c1), d2 = new(c2), d3 = new(c3), d4 = new(c4), d5 = new(c5), d6 = new(c6), d7 = new(c7);
            if (TE.HasRow)
            {
                Math256<T> e = Math256<T>.Load(ref epilogueRow, 0);
                d0 = TE.Apply(d0, e); d1 = TE.Apply(d1, e); d2 = TE.Apply(d2, e); d3 = TE.Apply(d3, e);
                d4 = TE.Apply(d4, e); d5 = TE.Apply(d5, e); d6 = TE.Apply(d6, e); d7 = TE.Apply(d7, e);
            }
            if (TE.HasOperand)
            {
                // the operand's rows of this tile (a missing row of an edge tile repeats the last valid one: read, never stored)
                ref T o = ref Unsafe.Add(ref operand, i * ldc);
                nuint row = (nuint)ldc;
                nuint o1 = rows > 1 ? row : 0, o2 = rows > 2 ? 2 * row : o1, o3 = rows > 3 ? 3 * row : o2, o4 = rows > 4 ? 4 * row : o3;
                nuint o5 = rows > 5 ? 5 * row : o4, o6 = rows > 6 ? 6 * row : o5, o7 = rows > 7 ? 7 * row : o6;
                Math256<T> y0 = Math256<T>.Load(ref o, 0), y1 = Math256<T>.Load(ref o, o1), y2 = Math256<T>.Load(ref o, o2), y3 = Math256<T>.Load(ref o, o3);
                Math256<T> y4 = Math256<T>.Load(ref o, o4), y5 = Math256<T>.Load(ref o, o5), y6 = Math256<T>.Load(ref o, o6), y7 = Math256<T>.Load(ref o, o7);
                f |= TE.FlagAt(y0) | TE.FlagAt(y1) | TE.FlagAt(y2) | TE.FlagAt(y3) | TE.FlagAt(y4) | TE.FlagAt(y5) | TE.FlagAt(y6) | TE.FlagAt(y7);
                d0 = TE.ApplyAt(d0, y0); d1 = TE.ApplyAt(d1, y1); d2 = TE.ApplyAt(d2, y2); d3 = TE.ApplyAt(d3, y3);
                d4 = TE.ApplyAt(d4, y4); d5 = TE.ApplyAt(d5, y5); d6 = TE.ApplyAt(d6, y6); d7 = TE.ApplyAt(d7, y7);
            }
            if (rows == 8)
            {
                nuint row = (nuint)ldc;
                Math256<T>.Store(d0, ref c, 0);
                Math256<T>.Store(d1, ref c, row);
                Math256<T>.Store(d2, ref c, 2 * row);
                Math256<T>.Store(d3, ref c, 3 * row);
                Math256<T>.Store(d4, ref c, 4 * row);
                Math256<T>.Store(d5, ref c, 5 * row);
                Math256<T>.Store(d6, ref c, 6 * row);
                Math256<T>.Store(d7, ref c, 7 * row);
                continue;
            }
            Unsafe.SkipInit(out EightVectors tile);
            tile[0] = Unsafe.BitCast<Math256<T>, TVec>(d0); tile[1] = Unsafe.BitCast<Math256<T>, TVec>(d1);
            tile[2] = Unsafe.BitCast<Math256<T>, TVec>(d2); tile[3] = Unsafe.BitCast<Math256<T>, TVec>(d3);
            tile[4] = Unsafe.BitCast<Math256<T>, TVec>(d4); tile[5] = Unsafe.BitCast<Math256<T>, TVec>(d5);
            tile[6] = Unsafe.BitCast<Math256<T>, TVec>(d6); tile[7] = Unsafe.BitCast<Math256<T>, TVec>(d7);
            StoreEdge(ref Unsafe.As<EightVectors, T>(ref tile), Vector256<T>.Count, rows, Vector256<T>.Count, ref c, ldc);
        }
        flags = Unsafe.BitCast<Math256<T>, TVec>(f | Unsafe.BitCast<TVec, Math256<T>>(flags));
    }

    /// <summary>
    /// <see cref="Panel4x2"/> for a full two-vector panel at 256 bits, written on <see cref="Vector256{T}"/> as
    /// <see cref="Panel2x4"/> is (through the wrapper the JIT added five register moves per eight multiply-adds). The
    /// same chains; an edge tile through <see cref="StoreEdge"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // the same code whether tiering has run or not
    private static void Panel4x2Full256<TE>(ref T a, nint rowStep, nint innerStep, int m, ref T b, int ldb, int k, ref T c, int ldc, ref T epilogueRow,
        ref T operand, ref TVec flags)
        where TE : struct, IGemmEpilogue<T>
    {
        Math256<T> f = Math256<T>.Zero;
        nuint lanes = (nuint)Vector256<T>.Count;
        for (int i = 0; i < m; i += 4, a = ref Unsafe.Add(ref a, 4 * rowStep), c = ref Unsafe.Add(ref c, 4 * ldc))
        {
            int rows = Math.Min(4, m - i);
            Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector256<T> c20 = default, c21 = default, c30 = default, c31 = default;
            ref T a1 = ref Unsafe.Add(ref a, rows > 1 ? rowStep : 0);
            ref T a2 = ref Unsafe.Add(ref a, rows > 2 ? 2 * rowStep : 0);
            ref T a3 = ref Unsafe.Add(ref a, rows > 3 ? 3 * rowStep : 0);
            ref T bp = ref b;
            nint ap = 0;
            for (int p = 0; p < k; p++, ap += innerStep, bp = ref Unsafe.Add(ref bp, ldb))
            {
                Vector256<T> b0 = Vector256.LoadUnsafe(ref bp, 0), b1 = Vector256.LoadUnsafe(ref bp, lanes);
                Vector256<T> ai = Vector256.Create(Unsafe.Add(ref a, ap));
                c00 = MultiplyAdd(ai, b0, c00); c01 = MultiplyAdd(ai, b1, c01);
                ai = Vector256.Create(Unsafe.Add(ref a1, ap));
                c10 = MultiplyAdd(ai, b0, c10); c11 = MultiplyAdd(ai, b1, c11);
                ai = Vector256.Create(Unsafe.Add(ref a2, ap));
                c20 = MultiplyAdd(ai, b0, c20); c21 = MultiplyAdd(ai, b1, c21);
                ai = Vector256.Create(Unsafe.Add(ref a3, ap));
                c30 = MultiplyAdd(ai, b0, c30); c31 = MultiplyAdd(ai, b1, c31);
            }
            Math256<T> d00 = new(c00), d01 = new(c01), d10 = new(c10), d11 = new(c11), d20 = new(c20), d21 = new(c21), d30 = new(c30), d31 = new(c31);
            if (TE.HasRow)
            {
                Math256<T> e0 = Math256<T>.Load(ref epilogueRow, 0), e1 = Math256<T>.Load(ref epilogueRow, lanes);
                d00 = TE.Apply(d00, e0); d01 = TE.Apply(d01, e1);
                d10 = TE.Apply(d10, e0); d11 = TE.Apply(d11, e1);
                d20 = TE.Apply(d20, e0); d21 = TE.Apply(d21, e1);
                d30 = TE.Apply(d30, e0); d31 = TE.Apply(d31, e1);
            }
            if (TE.HasOperand)
            {
                // the operand's rows of this tile (a missing row of an edge tile repeats the last valid one: read, never stored)
                ref T o = ref Unsafe.Add(ref operand, i * ldc);
                nuint o1 = rows > 1 ? (nuint)ldc : 0, o2 = rows > 2 ? 2 * (nuint)ldc : o1, o3 = rows > 3 ? 3 * (nuint)ldc : o2;
                Math256<T> y00 = Math256<T>.Load(ref o, 0), y01 = Math256<T>.Load(ref o, lanes), y10 = Math256<T>.Load(ref o, o1), y11 = Math256<T>.Load(ref o, o1 + lanes);
                Math256<T> y20 = Math256<T>.Load(ref o, o2), y21 = Math256<T>.Load(ref o, o2 + lanes), y30 = Math256<T>.Load(ref o, o3), y31 = Math256<T>.Load(ref o, o3 + lanes);
                f |= TE.FlagAt(y00) | TE.FlagAt(y01) | TE.FlagAt(y10) | TE.FlagAt(y11) | TE.FlagAt(y20) | TE.FlagAt(y21) | TE.FlagAt(y30) | TE.FlagAt(y31);
                d00 = TE.ApplyAt(d00, y00); d01 = TE.ApplyAt(d01, y01); d10 = TE.ApplyAt(d10, y10); d11 = TE.ApplyAt(d11, y11);
                d20 = TE.ApplyAt(d20, y20); d21 = TE.ApplyAt(d21, y21); d30 = TE.ApplyAt(d30, y30); d31 = TE.ApplyAt(d31, y31);
            }
            if (rows == 4)
            {
                nuint row = (nuint)ldc;
                Math256<T>.Store(d00, ref c, 0); Math256<T>.Store(d01, ref c, lanes);
                Math256<T>.Store(d10, ref c, row); Math256<T>.Store(d11, ref c, row + lanes);
                Math256<T>.Store(d20, ref c, 2 * row); Math256<T>.Store(d21, ref c, 2 * row + lanes);
                Math256<T>.Store(d30, ref c, 3 * row); Math256<T>.Store(d31, ref c, 3 * row + lanes);
                continue;
            }
            Unsafe.SkipInit(out EightVectors tile);
            tile[0] = Unsafe.BitCast<Math256<T>, TVec>(d00); tile[1] = Unsafe.BitCast<Math256<T>, TVec>(d01);
            tile[2] = Unsafe.BitCast<Math256<T>, TVec>(d10); tile[3] = Unsafe.BitCast<Math256<T>, TVec>(d11);
            tile[4] = Unsafe.BitCast<Math256<T>, TVec>(d20); tile[5] = Unsafe.BitCast<Math256<T>, TVec>(d21);
            tile[6] = Unsafe.BitCast<Math256<T>, TVec>(d30); tile[7] = Unsafe.BitCast<Math256<T>, TVec>(d31);
            StoreEdge(ref Unsafe.As<EightVectors, T>(ref tile), 2 * Vector256<T>.Count, rows, 2 * Vector256<T>.Count, ref c, ldc);
        }
        flags = Unsafe.BitCast<Math256<T>, TVec>(f | Unsafe.BitCast<TVec, Math256<T>>(flags));
    }

    /// <summary>a·b + c rounded once, on <see cref="Vector256{T}"/> (for <see cref="Panel2x4"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => typeof(T) == typeof(double)
        ? Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
        : Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();

    /// <summary>
    /// C[0..m, 0..width) = op(A) · R[:, 0..width) for width ≤ two vectors, in tiles of four rows with eight
    /// accumulators in registers; the rows missing from the last tile repeat its last valid row (read, never stored).
    /// One call per panel, not per tile: with a short inner dimension the set-up of a call would cost as much as the tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // the same code whether tiering has run or not
    private static void Panel4x2<TE>(ref T a, nint rowStep, nint innerStep, int m, ref T b, int ldb, int k, ref T c, int ldc, int width, ref T epilogueRow,
        ref T operand, ref TVec flags)
        where TE : struct, IGemmEpilogue<T>
    {
        TVec f = flags;
        nuint lanes = (nuint)TVec.Count;
        bool fullWidth = width == 2 * TVec.Count;
        for (int i = 0; i < m; i += 4, a = ref Unsafe.Add(ref a, 4 * rowStep), c = ref Unsafe.Add(ref c, 4 * ldc))
        {
            int rows = Math.Min(4, m - i);
            TVec c00 = TVec.Zero, c01 = TVec.Zero, c10 = TVec.Zero, c11 = TVec.Zero;
            TVec c20 = TVec.Zero, c21 = TVec.Zero, c30 = TVec.Zero, c31 = TVec.Zero;
            ref T a1 = ref Unsafe.Add(ref a, rows > 1 ? rowStep : 0);
            ref T a2 = ref Unsafe.Add(ref a, rows > 2 ? 2 * rowStep : 0);
            ref T a3 = ref Unsafe.Add(ref a, rows > 3 ? 3 * rowStep : 0);
            ref T bp = ref b;
            nint ap = 0;
            for (int p = 0; p < k; p++, ap += innerStep, bp = ref Unsafe.Add(ref bp, ldb))
            {
                TVec b0 = TVec.Load(ref bp, 0);
                TVec b1 = TVec.Load(ref bp, lanes);
                TVec ai = TVec.Create(Unsafe.Add(ref a, ap));
                c00 = TVec.MultiplyAdd(ai, b0, c00); c01 = TVec.MultiplyAdd(ai, b1, c01);
                ai = TVec.Create(Unsafe.Add(ref a1, ap));
                c10 = TVec.MultiplyAdd(ai, b0, c10); c11 = TVec.MultiplyAdd(ai, b1, c11);
                ai = TVec.Create(Unsafe.Add(ref a2, ap));
                c20 = TVec.MultiplyAdd(ai, b0, c20); c21 = TVec.MultiplyAdd(ai, b1, c21);
                ai = TVec.Create(Unsafe.Add(ref a3, ap));
                c30 = TVec.MultiplyAdd(ai, b0, c30); c31 = TVec.MultiplyAdd(ai, b1, c31);
            }
            if (TE.HasRow)
            {
                TVec e0 = TVec.Load(ref epilogueRow, 0), e1 = TVec.Load(ref epilogueRow, lanes);
                c00 = TE.Apply(c00, e0); c01 = TE.Apply(c01, e1);
                c10 = TE.Apply(c10, e0); c11 = TE.Apply(c11, e1);
                c20 = TE.Apply(c20, e0); c21 = TE.Apply(c21, e1);
                c30 = TE.Apply(c30, e0); c31 = TE.Apply(c31, e1);
            }
            if (TE.HasOperand)
            {
                // the operand's rows of this tile (a missing row of an edge tile repeats the last valid one: read, never stored)
                ref T o = ref Unsafe.Add(ref operand, i * ldc);
                nuint o1 = rows > 1 ? (nuint)ldc : 0, o2 = rows > 2 ? 2 * (nuint)ldc : o1, o3 = rows > 3 ? 3 * (nuint)ldc : o2;
                TVec y00 = TVec.Load(ref o, 0), y01 = TVec.Load(ref o, lanes), y10 = TVec.Load(ref o, o1), y11 = TVec.Load(ref o, o1 + lanes);
                TVec y20 = TVec.Load(ref o, o2), y21 = TVec.Load(ref o, o2 + lanes), y30 = TVec.Load(ref o, o3), y31 = TVec.Load(ref o, o3 + lanes);
                f |= TE.FlagAt(y00) | TE.FlagAt(y01) | TE.FlagAt(y10) | TE.FlagAt(y11) | TE.FlagAt(y20) | TE.FlagAt(y21) | TE.FlagAt(y30) | TE.FlagAt(y31);
                c00 = TE.ApplyAt(c00, y00); c01 = TE.ApplyAt(c01, y01); c10 = TE.ApplyAt(c10, y10); c11 = TE.ApplyAt(c11, y11);
                c20 = TE.ApplyAt(c20, y20); c21 = TE.ApplyAt(c21, y21); c30 = TE.ApplyAt(c30, y30); c31 = TE.ApplyAt(c31, y31);
            }
            if (rows == 4 && fullWidth)
            {
                nuint row = (nuint)ldc;
                TVec.Store(c00, ref c, 0); TVec.Store(c01, ref c, lanes);
                TVec.Store(c10, ref c, row); TVec.Store(c11, ref c, row + lanes);
                TVec.Store(c20, ref c, 2 * row); TVec.Store(c21, ref c, 2 * row + lanes);
                TVec.Store(c30, ref c, 3 * row); TVec.Store(c31, ref c, 3 * row + lanes);
                continue;
            }
            // An edge tile: through a buffer, stored by a method of its own — a call here would make the JIT keep the
            // accumulators on the stack inside the loop (no vector register survives a call).
            Unsafe.SkipInit(out EightVectors tile);
            tile[0] = c00; tile[1] = c01; tile[2] = c10; tile[3] = c11;
            tile[4] = c20; tile[5] = c21; tile[6] = c30; tile[7] = c31;
            StoreEdge(ref Unsafe.As<EightVectors, T>(ref tile), 2 * TVec.Count, rows, width, ref c, ldc);
        }
        flags = f;
    }

    /// <summary>
    /// C[0..m, 0..width) = op(A) · R[:, 0..width) for width ≤ one vector — the last, single-vector panel — in tiles
    /// of eight rows, so eight chains are in flight.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // the same code whether tiering has run or not
    private static void Panel8x1<TE>(ref T a, nint rowStep, nint innerStep, int m, ref T b, int ldb, int k, ref T c, int ldc, int width, ref T epilogueRow,
        ref T operand, ref TVec flags)
        where TE : struct, IGemmEpilogue<T>
    {
        TVec f = flags;
        bool fullWidth = width == TVec.Count;
        for (int i = 0; i < m; i += 8, a = ref Unsafe.Add(ref a, 8 * rowStep), c = ref Unsafe.Add(ref c, 8 * ldc))
        {
            int rows = Math.Min(8, m - i);
            TVec c0 = TVec.Zero, c1 = TVec.Zero, c2 = TVec.Zero, c3 = TVec.Zero;
            TVec c4 = TVec.Zero, c5 = TVec.Zero, c6 = TVec.Zero, c7 = TVec.Zero;
            ref T a1 = ref Unsafe.Add(ref a, rows > 1 ? rowStep : 0);
            ref T a2 = ref Unsafe.Add(ref a, rows > 2 ? 2 * rowStep : 0);
            ref T a3 = ref Unsafe.Add(ref a, rows > 3 ? 3 * rowStep : 0);
            ref T a4 = ref Unsafe.Add(ref a, rows > 4 ? 4 * rowStep : 0);
            ref T a5 = ref Unsafe.Add(ref a, rows > 5 ? 5 * rowStep : 0);
            ref T a6 = ref Unsafe.Add(ref a, rows > 6 ? 6 * rowStep : 0);
            ref T a7 = ref Unsafe.Add(ref a, rows > 7 ? 7 * rowStep : 0);
            ref T bp = ref b;
            nint ap = 0;
            for (int p = 0; p < k; p++, ap += innerStep, bp = ref Unsafe.Add(ref bp, ldb))
            {
                TVec b0 = TVec.Load(ref bp, 0);
                c0 = TVec.MultiplyAdd(TVec.Create(Unsafe.Add(ref a, ap)), b0, c0);
                c1 = TVec.MultiplyAdd(TVec.Create(Unsafe.Add(ref a1, ap)), b0, c1);
                c2 = TVec.MultiplyAdd(TVec.Create(Unsafe.Add(ref a2, ap)), b0, c2);
                c3 = TVec.MultiplyAdd(TVec.Create(Unsafe.Add(ref a3, ap)), b0, c3);
                c4 = TVec.MultiplyAdd(TVec.Create(Unsafe.Add(ref a4, ap)), b0, c4);
                c5 = TVec.MultiplyAdd(TVec.Create(Unsafe.Add(ref a5, ap)), b0, c5);
                c6 = TVec.MultiplyAdd(TVec.Create(Unsafe.Add(ref a6, ap)), b0, c6);
                c7 = TVec.MultiplyAdd(TVec.Create(Unsafe.Add(ref a7, ap)), b0, c7);
            }
            if (TE.HasRow)
            {
                TVec e = TVec.Load(ref epilogueRow, 0);
                c0 = TE.Apply(c0, e); c1 = TE.Apply(c1, e); c2 = TE.Apply(c2, e); c3 = TE.Apply(c3, e);
                c4 = TE.Apply(c4, e); c5 = TE.Apply(c5, e); c6 = TE.Apply(c6, e); c7 = TE.Apply(c7, e);
            }
            if (TE.HasOperand)
            {
                // the operand's rows of this tile (a missing row of an edge tile repeats the last valid one: read, never stored)
                ref T o = ref Unsafe.Add(ref operand, i * ldc);
                nuint row = (nuint)ldc;
                nuint o1 = rows > 1 ? row : 0, o2 = rows > 2 ? 2 * row : o1, o3 = rows > 3 ? 3 * row : o2, o4 = rows > 4 ? 4 * row : o3;
                nuint o5 = rows > 5 ? 5 * row : o4, o6 = rows > 6 ? 6 * row : o5, o7 = rows > 7 ? 7 * row : o6;
                TVec y0 = TVec.Load(ref o, 0), y1 = TVec.Load(ref o, o1), y2 = TVec.Load(ref o, o2), y3 = TVec.Load(ref o, o3);
                TVec y4 = TVec.Load(ref o, o4), y5 = TVec.Load(ref o, o5), y6 = TVec.Load(ref o, o6), y7 = TVec.Load(ref o, o7);
                f |= TE.FlagAt(y0) | TE.FlagAt(y1) | TE.FlagAt(y2) | TE.FlagAt(y3) | TE.FlagAt(y4) | TE.FlagAt(y5) | TE.FlagAt(y6) | TE.FlagAt(y7);
                c0 = TE.ApplyAt(c0, y0); c1 = TE.ApplyAt(c1, y1); c2 = TE.ApplyAt(c2, y2); c3 = TE.ApplyAt(c3, y3);
                c4 = TE.ApplyAt(c4, y4); c5 = TE.ApplyAt(c5, y5); c6 = TE.ApplyAt(c6, y6); c7 = TE.ApplyAt(c7, y7);
            }
            if (rows == 8 && fullWidth)
            {
                nuint row = (nuint)ldc;
                TVec.Store(c0, ref c, 0);
                TVec.Store(c1, ref c, row);
                TVec.Store(c2, ref c, 2 * row);
                TVec.Store(c3, ref c, 3 * row);
                TVec.Store(c4, ref c, 4 * row);
                TVec.Store(c5, ref c, 5 * row);
                TVec.Store(c6, ref c, 6 * row);
                TVec.Store(c7, ref c, 7 * row);
                continue;
            }
            Unsafe.SkipInit(out EightVectors tile);
            tile[0] = c0; tile[1] = c1; tile[2] = c2; tile[3] = c3;
            tile[4] = c4; tile[5] = c5; tile[6] = c6; tile[7] = c7;
            StoreEdge(ref Unsafe.As<EightVectors, T>(ref tile), TVec.Count, rows, width, ref c, ldc);
        }
        flags = f;
    }

    /// <summary>The valid <paramref name="rows"/> × <paramref name="width"/> corner of a tile whose rows lie <paramref name="stride"/> values apart.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreEdge(ref T tile, int stride, int rows, int width, ref T c, int ldc)
    {
        // at most 8 × 32 values: a call to copy each row would cost more than the copy
        for (int r = 0; r < rows; r++)
        {
            ref T source = ref Unsafe.Add(ref tile, r * stride);
            ref T destination = ref Unsafe.Add(ref c, r * ldc);
            for (int j = 0; j < width; j++)
            {
                Unsafe.Add(ref destination, j) = Unsafe.Add(ref source, j);
            }
        }
    }

    /// <summary>The eight accumulators of an edge tile, side by side.</summary>
    [InlineArray(8)]
    private struct EightVectors
    {
#pragma warning disable CS0169, IDE0051 // never read by name: the buffer is addressed by index
        private TVec element;
#pragma warning restore CS0169, IDE0051
    }
}

/// <summary>The size of <see cref="SmallGemm{T, TVec}"/>'s copy of op(B), for a width known only at run time.</summary>
internal static class SmallGemm
{
    /// <summary>Elements of the copy of op(B) (k rows padded to whole vectors of <paramref name="lanes"/>), or 0 if B is read in place.</summary>
    public static int ScratchLength(int k, int n, bool transposeB, int lanes) =>
        transposeB || n % lanes != 0 ? k * PaddedWidth(n, lanes) : 0;

    /// <summary>n rounded up to whole vectors.</summary>
    public static int PaddedWidth(int n, int lanes) => (n + lanes - 1) / lanes * lanes;
}

/// <summary>
/// What a product does to each vector of its result in registers, before storing it (<see cref="SmallGemm{T, TVec}"/>):
/// nothing, or an element-wise operation with the matching vector of a row (a bias add run on the product's tile).
/// </summary>
internal interface IGemmEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>False for the plain product (the row is never read).</summary>
    static abstract bool HasRow { get; }

    /// <summary>The stored vector, from the product's <paramref name="c"/> and the row's <paramref name="row"/>.</summary>
    static abstract TVec Apply<TVec>(TVec c, TVec row) where TVec : struct, ISimdMath<TVec, T>;

    /// <summary>False unless the epilogue reads an operand of the result's shape at the result's positions (<see cref="ApplyAt"/>).</summary>
    static virtual bool HasOperand => false;

    /// <summary>The stored vector, from the product's <paramref name="c"/> and the operand's vector at the same place.</summary>
    static virtual TVec ApplyAt<TVec>(TVec c, TVec operand) where TVec : struct, ISimdMath<TVec, T> => c;

    /// <summary>A mask of the lanes (all bits set) whose <see cref="ApplyAt"/> value the caller must compute another way (the product then reports it).</summary>
    static virtual TVec FlagAt<TVec>(TVec operand) where TVec : struct, ISimdMath<TVec, T> => TVec.Zero;
}

/// <summary>The plain product.</summary>
internal readonly struct NoEpilogue<T> : IGemmEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool HasRow => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TVec>(TVec c, TVec row) where TVec : struct, ISimdMath<TVec, T> => c;
}

/// <summary>
/// f(C, row) or f(row, C) with a binary operator that is one IEEE 754 operation (+, −, ×, ÷), through its own vector
/// form: correctly rounded, so the same bits as the operation run on the stored product.
/// </summary>
internal readonly struct RowEpilogue<T, TOp, TOrder> : IGemmEpilogue<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IBinaryFunction<TOp>
    where TOrder : struct, IOperandOrder
{
    public static bool HasRow => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TVec>(TVec c, TVec row) where TVec : struct, ISimdMath<TVec, T> =>
        TOrder.ProductFirst ? TOp.Invoke<T, TVec>(c, row) : TOp.Invoke<T, TVec>(row, c);
}

/// <summary>Which operand of an epilogue's operator the product is.</summary>
internal interface IOperandOrder
{
    /// <summary>True for f(C, row), false for f(row, C).</summary>
    static abstract bool ProductFirst { get; }
}

/// <summary>f(C, row).</summary>
internal readonly struct ProductOnTheLeft : IOperandOrder
{
    public static bool ProductFirst => true;
}

/// <summary>f(row, C).</summary>
internal readonly struct ProductOnTheRight : IOperandOrder
{
    public static bool ProductFirst => false;
}

/// <summary>
/// A unary operation's one-pass gradient g ⊙ f′ with g the product (a compiled step's ∂H = ∂Z·W followed by σ′): its
/// own vector form from g and the saved y (<see cref="IUnaryFunction{TSelf}.GradientVector"/>), which flags the lanes
/// its span kernel would correct (σ′ far left); the caller then runs the product and the span kernel as two steps.
/// </summary>
internal readonly struct GradientEpilogue<T, TOp> : IGemmEpilogue<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IUnaryFunction<TOp>
{
    public static bool HasRow => false;

    public static bool HasOperand => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TVec>(TVec c, TVec row) where TVec : struct, ISimdMath<TVec, T> => c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ApplyAt<TVec>(TVec c, TVec operand) where TVec : struct, ISimdMath<TVec, T> => TOp.GradientVector<T, TVec>(c, operand);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec FlagAt<TVec>(TVec operand) where TVec : struct, ISimdMath<TVec, T> => TOp.GradientFlags<T, TVec>(operand);
}
