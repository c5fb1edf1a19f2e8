using System.Diagnostics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// Whether a plan step that can split its work across threads (<see cref="RowBandsStep{T}"/>,
/// <see cref="IndependentStepsStep{T}"/>) should, measured on the step itself: every <see cref="DecidedRuns"/> runs it
/// times <see cref="ProbeRuns"/> runs each way, alternately (alone, then split), and runs the way whose fastest run was
/// faster until it measures again. Why: whether a second thread pays for a 20–100 µs stretch depends on the machine —
/// on session thirteen's Zen 3 VM row bands took 0.79–0.90 of the one-thread time at (64, 64-128-10), on session
/// fourteen's AVX-512 VM 1.10 — and on what else the machine runs; a fixed threshold cannot know. The fastest run of
/// each way, not the mean, so a run that another process interrupted does not decide; measuring again every
/// <see cref="DecidedRuns"/> runs follows the machine's load and the JIT's later tiers. The results are the same bits
/// either way, so the choice changes only the time.
/// </summary>
internal struct SplitTiming
{
    /// <summary>Runs timed each way per measurement.</summary>
    public const int ProbeRuns = 8;

    /// <summary>Runs on a choice before measuring again.</summary>
    public const int DecidedRuns = 1024;

    private int runs;
    private long fastestAlone, fastestSplit;
    private bool alone;

    /// <summary>True when this run is to run alone: alternately while measuring (odd runs alone), then the faster way.</summary>
    public readonly bool Alone() => runs < 2 * ProbeRuns ? (runs & 1) == 1 : alone;

    /// <summary>Records a run: whether it ran alone, and its time in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public void Record(bool ranAlone, long ticks)
    {
        if (runs == 0)
        {
            (fastestAlone, fastestSplit) = (long.MaxValue, long.MaxValue);
        }
        if (runs < 2 * ProbeRuns)
        {
            if (ranAlone)
            {
                fastestAlone = Math.Min(fastestAlone, ticks);
            }
            else
            {
                fastestSplit = Math.Min(fastestSplit, ticks);
            }
            if (++runs == 2 * ProbeRuns)
            {
                alone = fastestAlone <= fastestSplit;
            }
            return;
        }
        if (++runs == 2 * ProbeRuns + DecidedRuns)
        {
            runs = 0;
        }
    }

    /// <summary>For the plan's description and tests: the current choice, once measured ("alone", "split"), or "measuring".</summary>
    public readonly string Choice => runs < 2 * ProbeRuns ? "measuring" : alone ? "alone" : "split";
}

/// <summary>
/// How a step that can split its work across threads (<see cref="RowBandsStep{T}"/>, <see cref="IndependentStepsStep{T}"/>)
/// decides each run at more than one thread, in one place: alone while <see cref="BackOff"/> says so (its caller slept
/// in an earlier split run), else, where the plan times its splits (<see cref="RowBands.TimesSplits"/>), as
/// <see cref="SplitTiming"/> says; <see cref="Finish"/> then tells both what the run did.
/// </summary>
internal struct SplitDecision(bool timed)
{
    private readonly bool timed = timed;
    private BackOff backOff;
    private SplitTiming timing;
    private bool ranAlone;
    private long start;

    /// <summary>
    /// Runs <paramref name="step"/> at up to <paramref name="threads"/> threads: whole on this thread at one thread or
    /// when <see cref="Alone"/> says so, else split; then <see cref="Finish"/>.
    /// </summary>
    public void Run<TStep>(TStep step, int threads) where TStep : ISplitStep
    {
        if (threads < 2)
        {
            step.RunAlone();
            return;
        }
        if (Alone())
        {
            step.RunAlone();
        }
        else
        {
            step.RunSplit(threads);
        }
        Finish(step.Work);
    }

    /// <summary>True when this run is to run alone; the run's clock starts here. Call <see cref="Finish"/> after the run.</summary>
    public bool Alone()
    {
        ranAlone = backOff.Alone() || (timed && timing.Alone());
        start = timed ? Stopwatch.GetTimestamp() : 0;
        return ranAlone;
    }

    /// <summary>After the run <see cref="Alone"/> decided: a split run's <paramref name="work"/> tells the back-off whether the caller slept; a timed run is recorded.</summary>
    public void Finish(ParallelWork work)
    {
        if (!ranAlone)
        {
            backOff.After(work);
        }
        if (timed)
        {
            timing.Record(ranAlone, Stopwatch.GetTimestamp() - start);
        }
    }

    /// <summary>For tests: "measuring", "alone", "split", or "split, untimed" (a plan built in a test's scope).</summary>
    public readonly string Choice => timed ? timing.Choice : "split, untimed";
}

/// <summary>A plan step that runs its steps either whole on this thread or split across threads (<see cref="SplitDecision.Run"/>).</summary>
internal interface ISplitStep
{
    /// <summary>Every step whole, one after the other, on this thread.</summary>
    void RunAlone();

    /// <summary>The work split across <paramref name="threads"/> threads (at least 2), through <see cref="Work"/>.</summary>
    void RunSplit(int threads);

    /// <summary>The parallel loop <see cref="RunSplit"/> runs (whether its caller slept tells the back-off).</summary>
    ParallelWork Work { get; }
}
