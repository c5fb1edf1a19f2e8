using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// A chain of element-wise steps with one result shape, run band by band: each band of <see cref="TileElements"/>
/// elements goes through every step of the chain in turn while it is in L1, instead of each step streaming the whole
/// array. Each step is the operation's own kernel on a slice, so an element gets the eager value provided the kernel
/// computes it the same way wherever the span starts. Bands start at multiples of 256 elements, so a kernel's vector
/// chunks fall where they fall in the eager whole-array call (a multiple of every vector width), and the last band
/// ends where the array ends, with the eager tail: the SIMD transcendental kernels and the vector/scalar gradient
/// loops then compute every element exactly as the eager call does. A band that cuts a broadcast row in two splits
/// only +, −, ×, ÷ calls, which are correctly rounded wherever they run.
/// </summary>
internal sealed class FusedStep<T> : PlanStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>2 KiB of doubles per buffer, so a chain of four or five buffers stays within a 32 KiB L1; a multiple of every vector width.</summary>
    public const int TileElements = 256;

    /// <summary>A shorter remainder joins the band before it: a band this long takes every kernel's full-vector path.</summary>
    public const int MinTileElements = 64;

    private readonly PlanStep<T>[] chain;
    private readonly int[] bandStarts; // band b covers elements [bandStarts[b], bandStarts[b + 1])

    public FusedStep(PlanStep<T>[] chain)
        : base($"Fused[{string.Join(" → ", chain.Select(s => s.Name))}]", [.. chain.SelectMany(s => s.Reads).Distinct()], chain[^1].Writes, chain[0].Shape)
    {
        this.chain = chain;
        bandStarts = Bands(Shape);
    }

    /// <summary>The steps of the chain, in order.</summary>
    public IReadOnlyList<PlanStep<T>> Chain => chain;

    public override void Run()
    {
        PlanStep<T>[] steps = chain;
        int[] starts = bandStarts;
        for (int b = 0; b < starts.Length - 1; b++)
        {
            int start = starts[b], length = starts[b + 1] - start;
            for (int s = 0; s < steps.Length; s++)
            {
                steps[s].RunRange(start, length);
            }
        }
    }

    public override bool RunsByRows => true;

    public override IEnumerable<PlanStep<T>> Parts => chain;

    /// <summary>
    /// The whole run's bands cut to rows [<paramref name="start"/>, <paramref name="end"/>): each link runs on the same
    /// slices as in <see cref="Run"/>, cut once more where the rows start and end (<see cref="RowBands"/> cuts only at
    /// multiples of <see cref="RowBands.ElementAlignment"/> elements).
    /// </summary>
    public override void RunRows(int start, int end, int band)
    {
        PlanStep<T>[] steps = chain;
        int[] starts = bandStarts;
        int first = start * Shape.Cols, last = end * Shape.Cols;
        for (int b = 0; b < starts.Length - 1; b++)
        {
            int from = Math.Max(first, starts[b]), to = Math.Min(last, starts[b + 1]);
            if (from >= to)
            {
                continue;
            }
            for (int s = 0; s < steps.Length; s++)
            {
                steps[s].RunRange(from, to - from);
            }
        }
    }

    public override string Describe() =>
        $"fused, {bandStarts.Length - 1} band(s) of ≤ {bandStarts[1]} elements   {Shape}" +
        string.Concat(chain.Select(s => Environment.NewLine + "    " + s.Describe()));

    /// <summary>Band boundaries: every <see cref="TileElements"/> elements, a remainder below the minimum joining the last band.</summary>
    private static int[] Bands(Shape shape)
    {
        int n = shape.Length;
        var starts = new List<int> { 0 };
        int start = 0;
        while (start < n)
        {
            int next = Math.Min(n, start + TileElements);
            if (n - next < MinTileElements)
            {
                next = n;
            }
            starts.Add(next);
            start = next;
        }
        return [.. starts];
    }
}
