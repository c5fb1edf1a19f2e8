using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// One kernel call of a compiled plan, over buffers fixed when the plan was built. Steps create no tensors and
/// allocate nothing: a call of the plan is a loop over its steps.
/// </summary>
internal abstract class PlanStep<T>(string name, PlanBuffer<T>[] reads, PlanBuffer<T> writes, Shape shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The operation's name, as the eager tape names it.</summary>
    public string Name { get; } = name;

    /// <summary>The buffers the step reads.</summary>
    public PlanBuffer<T>[] Reads { get; } = reads;

    /// <summary>The buffer the step writes.</summary>
    public PlanBuffer<T> Writes { get; } = writes;

    /// <summary>The shape of the result.</summary>
    public Shape Shape { get; } = shape;

    /// <summary>Runs the step over its whole result.</summary>
    public abstract void Run();

    /// <summary>
    /// True when element k of the result depends only on element k (or the matching row or column of a broadcast
    /// operand) of the inputs, so the step can run on a band of elements (<see cref="RunRange"/>) inside a fused loop.
    /// </summary>
    public virtual bool IsElementwise => false;

    /// <summary>
    /// True when the step checks the call's values and may refuse it (a label that is not a class): the optimizer's
    /// updates then come after it, so a refused call changes no parameter.
    /// </summary>
    public virtual bool MayRefuse => false;

    /// <summary>Runs the step on the result's elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) only.</summary>
    public virtual void RunRange(int start, int length) =>
        throw new InvalidOperationException($"Compiled plan: {Name} is not element-wise and cannot run on a band (internal error).");

    /// <summary>
    /// True when the result's rows can be computed apart (<see cref="RunRows"/>): rows [s, e) of the result read only
    /// rows [s, e) of each buffer <see cref="ReadsByRow"/> names, anything of the other reads, and are computed with the
    /// bits of a whole run wherever the band starts. A <see cref="RowBandsStep{T}"/> runs such steps on bands of rows
    /// on several threads at once. Element-wise steps are, by <see cref="RunRange"/>.
    /// </summary>
    public virtual bool RunsByRows => IsElementwise;

    /// <summary>
    /// True when row r of the result reads only row r of <paramref name="buffer"/> (<see cref="RunsByRows"/> steps).
    /// An element-wise step reads an operand of its own shape that way (with at least two rows, only an operand of the
    /// result's shape has the result's number of elements); broadcast rows, columns and scalars it reads whole.
    /// </summary>
    public virtual bool ReadsByRow(PlanBuffer<T> buffer) =>
        IsElementwise && Shape.Rows >= 2 && buffer.Array.Length == Shape.Length && Array.IndexOf(Reads, buffer) >= 0;

    /// <summary>
    /// Runs the step on rows [<paramref name="start"/>, <paramref name="end"/>) of its result only, on band number
    /// <paramref name="band"/> (which working memory to use: bands may run at once); <see cref="RunsByRows"/> steps only.
    /// </summary>
    public virtual void RunRows(int start, int end, int band) => RunRange(start * Shape.Cols, (end - start) * Shape.Cols);

    /// <summary>Gives the step working memory for <paramref name="bands"/> bands running at once (before <see cref="RunRows"/>).</summary>
    public virtual void PrepareBands(int bands)
    {
    }

    /// <summary>
    /// The simple steps this one runs, each with its own reads and writes (a fused chain's links, a product and the
    /// operation in its epilogue): what a band may touch, for <see cref="RowBands"/>' checks.
    /// </summary>
    public virtual IEnumerable<PlanStep<T>> Parts => [this];

    /// <summary>"t3 = Sigmoid(t2)   4×8": one line of a plan listing.</summary>
    public virtual string Describe() => $"{Writes} = {Name}({string.Join(", ", Reads.Select(r => r.Label))})   {Shape}";

    /// <summary>Elements [start, start + length) of a buffer.</summary>
    protected static Span<T> Band(PlanBuffer<T> buffer, int start, int length) => buffer.Array.AsSpan(start, length);
}
