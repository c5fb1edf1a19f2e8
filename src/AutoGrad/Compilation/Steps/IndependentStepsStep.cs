using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// Plan steps that do not depend on one another (<see cref="IndependentSteps"/>), run as pieces that several threads
/// claim one at a time, largest first: a step that runs by rows as bands of its result's rows, the others whole. Each
/// element is computed by one piece with its step's whole-run bits (<see cref="PlanStep{T}.RunRows"/>), so the results
/// are the same bits at any thread count; at one thread the steps run one after the other, whole.
/// </summary>
internal sealed class IndependentStepsStep<T> : PlanStep<T>, ISplitStep where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PlanStep<T>[] steps;
    private readonly Piece[][] pieces; // pieces[t − 2]: the pieces for t threads, largest first
    private readonly PiecesWork work;
    private SplitDecision split = new(RowBands.TimesSplits);

    /// <summary>A step whole (<see cref="Start"/> &lt; 0) or rows [Start, End) of it, on band number <see cref="Band"/> (its working memory).</summary>
    internal readonly record struct Piece(PlanStep<T> Step, int Start, int End, int Band);

    /// <param name="steps">The steps, in order.</param>
    /// <param name="cuts">For each step cut into bands of rows, its cuts for 2, 3, … bands (<see cref="RowBands.Starts"/>); empty for a step run whole.</param>
    public IndependentStepsStep(PlanStep<T>[] steps, int[][][] cuts)
        : base("Independent", [.. steps.SelectMany(s => s.Reads).Distinct()], steps[^1].Writes, steps[^1].Shape)
    {
        this.steps = steps;
        int most = Math.Max(2, cuts.Max(c => c.Length + 1));
        pieces = new Piece[most - 1][];
        for (int i = 0; i < steps.Length; i++)
        {
            if (cuts[i].Length > 0)
            {
                steps[i].PrepareBands(cuts[i].Length + 1);
            }
        }
        for (int threads = 2; threads <= most; threads++)
        {
            var list = new List<(Piece Piece, double Work)>();
            for (int i = 0; i < steps.Length; i++)
            {
                double work = steps[i].Parts.Sum(RowBands.Work);
                if (cuts[i].Length == 0)
                {
                    list.Add((new Piece(steps[i], -1, -1, 0), work));
                    continue;
                }
                int[] cut = cuts[i][Math.Min(threads, cuts[i].Length + 1) - 2];
                for (int b = 0; b + 1 < cut.Length; b++)
                {
                    list.Add((new Piece(steps[i], cut[b], cut[b + 1], b), work * (cut[b + 1] - cut[b]) / steps[i].Shape.Rows));
                }
            }
            pieces[threads - 2] = [.. list.OrderByDescending(p => p.Work).Select(p => p.Piece)];
        }
        work = new PiecesWork();
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<PlanStep<T>> Steps => steps;

    /// <summary>The most threads the pieces are cut for (one more than the most bands of a step cut into bands, at least 2); <see cref="Run"/> uses no more.</summary>
    internal int MostThreads => pieces.Length + 1;

    public override void Run() => split.Run(this, Math.Min(Parallelism.ThreadsForThisCall, MostThreads));

    public void RunAlone()
    {
        PlanStep<T>[] all = steps;
        for (int i = 0; i < all.Length; i++)
        {
            all[i].Run();
        }
    }

    public void RunSplit(int threads)
    {
        Piece[] these = pieces[threads - 2];
        work.Pieces = these;
        work.RunAll(these.Length, threads);
    }

    ParallelWork ISplitStep.Work => work;

    /// <summary>For tests: how the step runs at more than one thread — "measuring", "alone", "split", or "split, untimed" (a test's scope).</summary>
    internal string SplitChoice => split.Choice;

    public override string Describe() =>
        $"independent steps, {pieces[0].Length} pieces on 2 threads" +
        string.Concat(pieces[0].Select(p => Environment.NewLine + "  ‖ " + (p.Start < 0 ? "" : $"rows {p.Start}–{p.End - 1} of ") + p.Step.Describe().Split(Environment.NewLine)[0]));

    /// <summary>The pieces, for the worker pool: item i is piece i.</summary>
    private sealed class PiecesWork : ParallelWork
    {
        public Piece[] Pieces { get; set; } = [];

        protected override void Run(int index)
        {
            Piece p = Pieces[index];
            if (p.Start < 0)
            {
                p.Step.Run();
            }
            else
            {
                p.Step.RunRows(p.Start, p.End, p.Band);
            }
        }

        protected override void Clear()
        {
        }
    }
}
