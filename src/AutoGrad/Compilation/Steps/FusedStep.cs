using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// A chain of element-wise steps with one result shape, run band by band: each band of rows (about
/// <see cref="TileElements"/> elements) goes through every step of the chain in turn while it is in L1, instead of
/// each step streaming the whole array. Each step is the operation's own kernel on a slice, so an element's value is
/// the eager one provided the kernel's result for an element does not depend on where it sits in the span. That holds
/// for correctly rounded arithmetic at any length; for the SIMD transcendental kernels it holds for spans at least a
/// few vectors long, so no band is shorter than <see cref="MinTileElements"/> unless the whole array is.
/// </summary>
internal sealed class FusedStep<T> : PlanStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>About 2 KiB of doubles per buffer: a chain of four or five buffers stays within a 32 KiB L1.</summary>
    public const int TileElements = 256;

    /// <summary>Eight 512-bit vectors of double, four of float: every kernel takes its full-vector path on a band this long.</summary>
    public const int MinTileElements = 64;

    private readonly PlanStep<T>[] chain;
    private readonly int[] bandStarts; // band b covers rows [bandStarts[b], bandStarts[b + 1])

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
            int first = starts[b], count = starts[b + 1] - first;
            for (int s = 0; s < steps.Length; s++)
            {
                steps[s].RunRows(first, count);
            }
        }
    }

    public override string Describe() =>
        $"fused, {bandStarts.Length - 1} band(s) of ≤ {bandStarts[1] * Shape.Cols} elements   {Shape}" +
        string.Concat(chain.Select(s => Environment.NewLine + "    " + s.Describe()));

    /// <summary>Row boundaries of the bands: whole rows, about <see cref="TileElements"/> elements each, none below the minimum.</summary>
    private static int[] Bands(Shape shape)
    {
        int rowsPerBand = Math.Max(1, TileElements / shape.Cols);
        var starts = new List<int> { 0 };
        int row = 0;
        while (row < shape.Rows)
        {
            int next = Math.Min(shape.Rows, row + rowsPerBand);
            if (next < shape.Rows && (shape.Rows - next) * shape.Cols < MinTileElements)
            {
                next = shape.Rows; // a short last band joins this one
            }
            starts.Add(next);
            row = next;
        }
        return [.. starts];
    }
}
