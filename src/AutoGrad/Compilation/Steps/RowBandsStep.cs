using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// A run of plan steps whose results share a number of rows and can be computed band of rows by band of rows
/// (<see cref="PlanStep{T}.RunsByRows"/>), run on several threads at once: each band goes through every step on its
/// own rows with no wait between steps, and the threads meet once, at the end. In a batch-first network this is the
/// whole stretch from the input batch to the first batch-reducing product (X·Wᵀ + b, σ, the output layer, the loss's
/// gradient, ∂Z·W with σ′), every row of which depends only on the same row of the batch. Steps of the stretch that
/// cannot run by rows but that no later step of it needs (the loss's sum) are moved after it (<see cref="RowBands"/>
/// checks that nothing in the bands reads their results or overwrites what they read). At one thread
/// (<see cref="Parallelism.MaxThreads"/> = 1, or inside <see cref="Parallelism.Serial"/>) the steps run one after
/// the other, whole; at more, the step times itself both ways now and then and runs the faster (<see cref="SplitTiming"/>).
/// Each element is computed by one thread with its step's whole-run bits, so the results
/// are the same bits at any thread count.
/// </summary>
internal sealed class RowBandsStep<T> : PlanStep<T>, ISplitStep where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PlanStep<T>[] banded;
    private readonly int[][] starts; // starts[b]: the first rows of b + 2 bands, and the row count at the end
    private readonly BandsWork work;
    private SplitDecision split = new(RowBands.TimesSplits);

    /// <param name="banded">The steps, in order.</param>
    /// <param name="starts">For 2, 3, … bands: each band's first row, then the number of rows.</param>
    public RowBandsStep(PlanStep<T>[] banded, int[][] starts)
        : base("RowBands", [.. banded.SelectMany(s => s.Reads).Distinct()], banded[^1].Writes, banded[^1].Shape)
    {
        (this.banded, this.starts) = (banded, starts);
        foreach (PlanStep<T> step in banded)
        {
            step.PrepareBands(starts.Length + 1);
        }
        work = new BandsWork(this);
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<PlanStep<T>> Steps => banded;

    /// <summary>The most bands the rows are cut into.</summary>
    public int MaxBands => starts.Length + 1;

    public override void Run() => split.Run(this, Math.Min(Parallelism.ThreadsForThisCall, MaxBands));

    public void RunAlone()
    {
        PlanStep<T>[] all = banded;
        for (int i = 0; i < all.Length; i++)
        {
            all[i].Run();
        }
    }

    public void RunSplit(int threads)
    {
        work.Bands = threads;
        work.RunAll(threads, threads);
    }

    ParallelWork ISplitStep.Work => work;

    /// <summary>For tests: how the step runs at more than one thread — "measuring", "alone", "split", or "split, untimed" (a test's scope).</summary>
    internal string SplitChoice => split.Choice;

    /// <summary>Band <paramref name="band"/> of <paramref name="bands"/>: every banded step on its rows, in order.</summary>
    private void RunBand(int band, int bands)
    {
        int[] cut = starts[bands - 2];
        int start = cut[band], end = cut[band + 1];
        PlanStep<T>[] steps = banded;
        for (int i = 0; i < steps.Length; i++)
        {
            steps[i].RunRows(start, end, band);
        }
    }

    public override string Describe()
    {
        int[] two = starts[0];
        string rows = string.Join(", ", two.Zip(two.Skip(1), (s, e) => $"{s}–{e - 1}"));
        return $"row bands (2 threads: rows {rows}; up to {MaxBands} bands)   {Shape.Rows} rows" +
            string.Concat(banded.Select(s => Environment.NewLine + "  ‖ " + s.Describe().Replace(Environment.NewLine, Environment.NewLine + "    ", StringComparison.Ordinal)));
    }

    /// <summary>The bands, for the worker pool: item i is band i.</summary>
    private sealed class BandsWork(RowBandsStep<T> owner) : ParallelWork
    {
        public int Bands { get; set; }

        protected override void Run(int index) => owner.RunBand(index, Bands);

        protected override void Clear()
        {
        }
    }
}
