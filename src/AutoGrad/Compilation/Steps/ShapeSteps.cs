using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// C = op(A) · op(B) with the kernel the eager product would run for these shapes (<see cref="Gemm.Choose"/>, made
/// once when the plan is built; same blocking, same threads, same bits), with working memory of its own instead of
/// the shared pool's.
/// </summary>
internal sealed class MatMulStep<T> : PlanStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PlanBuffer<T> a, b;
    private readonly Shape sa, sb;
    private readonly bool ta, tb;
    private readonly GemmChoice choice;
    private readonly T[]? resultScratch, operandScratch;

    public MatMulStep(string name, PlanBuffer<T> a, Shape sa, bool ta, PlanBuffer<T> b, Shape sb, bool tb, PlanBuffer<T> c, Shape sc)
        : base(name, [a, b], c, sc)
    {
        (this.a, this.sa, this.ta, this.b, this.sb, this.tb) = (a, sa, ta, b, sb, tb);
        choice = Gemm.Choose<T>(sa, ta, sc);
        int results = choice.ResultScratch(sc), operands = choice.OperandScratch(sa, ta, tb, sc);
        resultScratch = results > 0 ? new T[results] : null;
        operandScratch = operands > 0 ? new T[operands] : null;
    }

    public override void Run()
    {
        if (choice.Kernel == GemmKernel.Tiny && !(ta && tb))
        {
            Gemm.Tiny(a.Array, sa, ta, b.Array, tb, Writes.Array, Shape);
            return;
        }
        Gemm.Run(choice, a.Array, sa, ta, b.Array, sb, tb, Writes.Array, Shape, resultScratch, operandScratch);
    }

    public override string Describe() => $"{base.Describe()}   [{choice.Kernel}{(choice.TransposedResult ? ", computes Cᵀ" : "")}]";

    /// <summary>m·n·k: the product's work.</summary>
    public long MultiplyAdds => (long)Shape.Rows * Shape.Cols * (ta ? sa.Rows : sa.Cols);

    /// <summary>Rows of C computed apart with a kernel whose elements do not depend on the rows around them (<see cref="Gemm.RunsByRows"/>).</summary>
    public override bool RunsByRows => Gemm.RunsByRows(choice, ta, tb);

    /// <summary>Row i of C reads row i of A alone (A not transposed; B is read whole).</summary>
    public override bool ReadsByRow(PlanBuffer<T> buffer) => RunsByRows && !ta && ReferenceEquals(buffer, a) && !ReferenceEquals(buffer, b);

    public override void PrepareBands(int bands) => bandScratch = new T[]?[bands];

    public override void RunRows(int start, int end, int band) =>
        Gemm.RunRows(choice, a.Array, sa, ta, b.Array, sb, tb, Writes.Array, Shape, BandScratch(bandScratch, band, choice, sa, ta, tb, Shape), start, end);

    /// <summary>
    /// Band <paramref name="band"/>'s copy of op(B) for <see cref="Gemm.RunRows"/> (null if the kernel reads B in place),
    /// allocated on the band's first use: a plan prepared for many bands but run on two holds two copies. Each band
    /// only touches its own slot.
    /// </summary>
    internal static T[]? BandScratch(T[]?[] scratch, int band, GemmChoice choice, Shape sa, bool ta, bool tb, Shape sc)
    {
        if (scratch[band] is { } own)
        {
            return own;
        }
        int length = choice.BandScratch(sa, ta, tb, sc);
        return length > 0 ? scratch[band] = new T[length] : null;
    }

    private T[]?[] bandScratch = [];

    /// <summary>
    /// True when an element-wise operation can run on this product's result in registers (<see cref="IGemmEpilogue{T}"/>):
    /// the unpacked kernel, C computed as it is (not Cᵀ), n a whole number of its vectors, and too small a product to be
    /// split across threads.
    /// </summary>
    public bool TakesEpilogue => choice.Kernel == GemmKernel.Small && !choice.TransposedResult && !(ta && tb)
        && choice.Lanes > 0 && Shape.Cols % choice.Lanes == 0 && (long)Shape.Rows * Shape.Cols * (ta ? sa.Rows : sa.Cols) < Gemm.ParallelThreshold;

    /// <summary>
    /// This product followed by the element-wise step <paramref name="next"/> (described as <paramref name="then"/>) as one
    /// step writing <paramref name="next"/>'s result, the epilogue <typeparamref name="TEpilogue"/> reading
    /// <paramref name="row"/> or <paramref name="operand"/>; where the epilogue flags a lane, the step runs this product
    /// and <paramref name="next"/> as they are instead (<see cref="TakesEpilogue"/> must hold).
    /// </summary>
    public PlanStep<T> WithEpilogue<TEpilogue>(string then, PlanStep<T> next, PlanBuffer<T>? row, PlanBuffer<T>? operand)
        where TEpilogue : struct, IGemmEpilogue<T> =>
        new MatMulEpilogueStep<T, TEpilogue>(this, next, then, a, sa, ta, b, sb, tb, row, operand, choice, operandScratch);
}

/// <summary>
/// C = op(A)·op(B) followed by an element-wise operation that alone reads C, run on the product's result vectors in
/// registers before they are stored (<see cref="IGemmEpilogue{T}"/>): with a row, f(C, row) or f(row, C) (a bias add),
/// or a unary operation's gradient with C as g (σ′ after ∂H = ∂Z·W). C is not written out, and the operation takes no
/// pass of its own. Each element gets the bits of the two steps run one after the other: the row's operator is one
/// IEEE 754 operation, and the gradient's vector form is its span kernel's arithmetic — except in lanes that kernel
/// corrects, which the epilogue flags: the step then runs the two steps as they are (the product into its own buffer).
/// </summary>
internal sealed class MatMulEpilogueStep<T, TEpilogue>(MatMulStep<T> product, PlanStep<T> next, string then, PlanBuffer<T> a, Shape sa, bool ta,
    PlanBuffer<T> b, Shape sb, bool tb, PlanBuffer<T>? row, PlanBuffer<T>? operand, GemmChoice choice, T[]? operandScratch)
    : PlanStep<T>($"{product.Name} → {next.Name}", [.. product.Reads.Concat(next.Reads.Where(r => !ReferenceEquals(r, product.Writes))).Distinct()], next.Writes, product.Shape)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TEpilogue : struct, IGemmEpilogue<T>
{
    public override void Run()
    {
        T[] r = row?.Array ?? [], o = operand?.Array ?? [];
        bool flagged = choice.Wide512
            ? SmallGemm<T, Math512<T>>.Multiply<TEpilogue>(a.Array, sa, ta, b.Array, sb, tb, Writes.Array, Shape, operandScratch, false, r, o)
            : SmallGemm<T, Math256<T>>.Multiply<TEpilogue>(a.Array, sa, ta, b.Array, sb, tb, Writes.Array, Shape, operandScratch, false, r, o);
        if (flagged)
        {
            product.Run();
            next.Run();
        }
    }

    public override string Describe() =>
        $"{Writes} = {product.Name}({a.Label}, {b.Label}), then {then} in its epilogue   {Shape}   [{choice.Kernel}]";

    public override bool RunsByRows => product.RunsByRows && next.RunsByRows;

    /// <summary>What a band may touch: the product and the operation, run one after the other where a lane is flagged.</summary>
    public override IEnumerable<PlanStep<T>> Parts => [product, next];

    public override bool ReadsByRow(PlanBuffer<T> buffer) =>
        Array.IndexOf(Reads, buffer) >= 0 && (!Array.Exists(product.Reads, r => ReferenceEquals(r, buffer)) || product.ReadsByRow(buffer))
        && (!Array.Exists(next.Reads, r => ReferenceEquals(r, buffer)) || next.ReadsByRow(buffer));

    public override void PrepareBands(int bands)
    {
        bandScratch = new T[]?[bands];
        product.PrepareBands(bands);
        next.PrepareBands(bands);
    }

    /// <summary>Rows [start, end) with the epilogue; where it flags a lane in them, the product and the operation on those rows.</summary>
    public override void RunRows(int start, int end, int band)
    {
        T[] r = row?.Array ?? [], o = operand?.Array ?? [];
        T[]? scratch = MatMulStep<T>.BandScratch(bandScratch, band, choice, sa, ta, tb, Shape);
        bool flagged = choice.Wide512
            ? SmallGemm<T, Math512<T>>.MultiplyRows<TEpilogue>(a.Array, sa, ta, b.Array, sb, tb, Writes.Array, Shape, scratch, r, o, start, end)
            : SmallGemm<T, Math256<T>>.MultiplyRows<TEpilogue>(a.Array, sa, ta, b.Array, sb, tb, Writes.Array, Shape, scratch, r, o, start, end);
        if (flagged)
        {
            product.RunRows(start, end, band);
            next.RunRows(start, end, band);
        }
    }

    private T[]?[] bandScratch = [];
}

/// <summary>s = Σ x, a 1×1 result.</summary>
internal sealed class SumStep<T>(PlanBuffer<T> x, PlanBuffer<T> s) : PlanStep<T>("Sum", [x], s, new Shape(1, 1))
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => Writes.Array[0] = Kernels.Summation.Sum<T>(x.Array);
}

/// <summary>Sum along axis 0 (a row) or 1 (a column).</summary>
internal sealed class SumAxisStep<T>(string name, PlanBuffer<T> x, Shape sx, int axis, PlanBuffer<T> s, Shape ss)
    : PlanStep<T>(name, [x], s, ss)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run()
    {
        if (axis == 0)
        {
            Reductions.SumRows<T>(x.Array, sx, Writes.Array);
        }
        else
        {
            Reductions.SumCols<T>(x.Array, sx, Writes.Array);
        }
    }
}

/// <summary>Repeats a row, column or scalar to the result's shape.</summary>
internal sealed class BroadcastToStep<T>(PlanBuffer<T> x, Shape sx, PlanBuffer<T> d, Shape sd) : PlanStep<T>("BroadcastTo", [x], d, sd)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => Reductions.BroadcastTo<T>(x.Array, sx, Writes.Array, Shape);
}

/// <summary>d = xᵀ.</summary>
internal sealed class TransposeStep<T>(PlanBuffer<T> x, Shape sx, PlanBuffer<T> d) : PlanStep<T>("Transpose", [x], d, sx.Transposed)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => TransposeKernel.Transpose<T>(x.Array, sx, Writes.Array);
}
