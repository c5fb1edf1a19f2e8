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

    /// <summary>
    /// True when an element-wise operation with a row (1 × n) can run on this product's result in registers
    /// (<see cref="IGemmEpilogue{T}"/>): the unpacked kernel, C computed as it is (not Cᵀ), n a whole number of its
    /// vectors, and too small a product to be split across threads.
    /// </summary>
    public bool TakesRowEpilogue => choice.Kernel == GemmKernel.Small && !choice.TransposedResult && !(ta && tb)
        && choice.Lanes > 0 && Shape.Cols % choice.Lanes == 0 && (long)Shape.Rows * Shape.Cols * (ta ? sa.Rows : sa.Cols) < Gemm.ParallelThreshold;

    /// <summary>
    /// This product followed by <paramref name="then"/> = f(C, row) or f(row, C) as one step writing <paramref name="d"/>
    /// (<see cref="TakesRowEpilogue"/> must hold).
    /// </summary>
    public PlanStep<T> WithRowEpilogue<TEpilogue>(string then, PlanBuffer<T> row, PlanBuffer<T> d) where TEpilogue : struct, IGemmEpilogue<T> =>
        new MatMulEpilogueStep<T, TEpilogue>(Name, then, a, sa, ta, b, sb, tb, row, d, Shape, choice, operandScratch);
}

/// <summary>
/// C = op(A)·op(B) followed by an element-wise operation with a row, f(C, row) or f(row, C) (a bias add), run on the
/// product's result vectors in registers before they are stored (<see cref="IGemmEpilogue{T}"/>): the product is never
/// written out, and the operation takes no pass of its own. The operator is one IEEE 754 operation, so each element
/// gets the bits of the product stored and then combined with the row, as the eager pair computes it.
/// </summary>
internal sealed class MatMulEpilogueStep<T, TEpilogue>(string name, string then, PlanBuffer<T> a, Shape sa, bool ta, PlanBuffer<T> b, Shape sb, bool tb,
    PlanBuffer<T> row, PlanBuffer<T> d, Shape sc, GemmChoice choice, T[]? operandScratch)
    : PlanStep<T>($"{name} → {then}", [a, b, row], d, sc)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TEpilogue : struct, IGemmEpilogue<T>
{
    public override void Run()
    {
        if (choice.Wide512)
        {
            SmallGemm<T, Math512<T>>.Multiply<TEpilogue>(a.Array, sa, ta, b.Array, sb, tb, Writes.Array, Shape, operandScratch, false, row.Array);
        }
        else
        {
            SmallGemm<T, Math256<T>>.Multiply<TEpilogue>(a.Array, sa, ta, b.Array, sb, tb, Writes.Array, Shape, operandScratch, false, row.Array);
        }
    }

    public override string Describe() => $"{Writes} = {name}({a.Label}, {b.Label}), then {then} in its epilogue   {Shape}   [{choice.Kernel}]";
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
