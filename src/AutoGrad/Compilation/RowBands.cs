using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// Finds the stretches of a plan that can run on bands of rows on several threads (<see cref="RowBandsStep{T}"/>): a
/// maximal run of steps that <see cref="PlanStep{T}.RunsByRows"/> with one number of rows, together with the steps
/// between them that cannot but that nothing later in the run needs, which move after the bands. The checks, on every
/// simple step (<see cref="PlanStep{T}.Parts"/>) of the run: a buffer written in the bands is read in them only row by
/// row (<see cref="PlanStep{T}.ReadsByRow"/>), so two bands never touch the same element of it; a moved step's result
/// is neither read nor written by a later banded step, nor is anything it reads written by one. A run takes bands only
/// when its work pays for the threads' meeting (<see cref="MinimumWork"/>) and its rows can be cut where every
/// element-wise kernel's vectors fall as in a whole run (<see cref="ElementAlignment"/>).
/// </summary>
internal static class RowBands
{
    /// <summary>
    /// Bands start at multiples of this many elements of every element-wise result, so each kernel's vectors fall where
    /// they fall in the whole run (a multiple of every vector width), as <see cref="FusedStep{T}"/>'s bands do.
    /// </summary>
    public const int DefaultElementAlignment = 64;

    [ThreadStatic] private static int alignmentOverride;
    [ThreadStatic] private static long? minimumWorkOverride;

    /// <summary>The alignment this thread's plans use: <see cref="DefaultElementAlignment"/> unless a test's <see cref="Everywhere"/> says otherwise.</summary>
    public static int ElementAlignment => alignmentOverride > 0 ? alignmentOverride : DefaultElementAlignment;

    /// <summary>Most bands a run is cut into.</summary>
    internal const int MaxBands = 16;

    /// <summary>
    /// A run's work (multiply-adds, and <see cref="ElementCost"/> per element of each element-wise result) below which it
    /// stays on one thread: measured on the benchmark machine (benchmarks/README.md, session thirteen).
    /// </summary>
    public const long MinimumWork = 131_072;

    /// <summary>The minimum work for plans built on this thread (<see cref="MinimumWork"/> unless a scope of <see cref="WithMinimumWork"/> says otherwise).</summary>
    internal static long CurrentMinimumWork => minimumWorkOverride ?? MinimumWork;

    /// <summary>
    /// For tests: until the scope closes, plans built on this thread take bands wherever the checks allow, whatever the
    /// work, cut at multiples of <paramref name="elementAlignment"/> elements (1: at any row, which also tests that the
    /// element-wise kernels give an element the same bits wherever a span starts).
    /// </summary>
    internal static IDisposable Everywhere(int elementAlignment = DefaultElementAlignment) => WithMinimumWork(0, elementAlignment);

    /// <summary>
    /// For tests and benchmarks: until the scope closes, plans built on this thread take bands from
    /// <paramref name="work"/> on (<see cref="long.MaxValue"/>: never, the plan of a build without bands), cut at
    /// multiples of <paramref name="elementAlignment"/> elements.
    /// </summary>
    internal static IDisposable WithMinimumWork(long work, int elementAlignment = DefaultElementAlignment, bool independentSteps = true)
    {
        (long? savedWork, int savedAlignment, bool savedWithout) = (minimumWorkOverride, alignmentOverride, withoutIndependentSteps);
        (minimumWorkOverride, alignmentOverride, withoutIndependentSteps) = (work, elementAlignment, !independentSteps);
        return new GradMode.Scope(() => (minimumWorkOverride, alignmentOverride, withoutIndependentSteps) = (savedWork, savedAlignment, savedWithout));
    }

    /// <summary>
    /// Whether plans built on this thread time their splits (<see cref="SplitTiming"/>): yes, except inside a test's or
    /// benchmark's <see cref="WithMinimumWork"/> scope, whose plans split whenever they can so that the split is what runs.
    /// </summary>
    internal static bool TimesSplits => minimumWorkOverride is null;

    /// <summary>For benchmarks: row bands without <see cref="IndependentSteps"/> after them.</summary>
    [ThreadStatic] private static bool withoutIndependentSteps;

    /// <summary>An element-wise element's work in multiply-adds (σ costs about as much as 20, a sum less than one).</summary>
    private const int ElementCost = 4;

    /// <summary>
    /// The plan's steps with each run that can take bands replaced by one <see cref="RowBandsStep{T}"/> followed by the
    /// steps moved after it; then runs of independent steps grouped (<see cref="IndependentSteps.Group"/>).
    /// </summary>
    public static List<PlanStep<T>> Group<T>(List<PlanStep<T>> steps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new List<PlanStep<T>>();
        int i = 0;
        while (i < steps.Count)
        {
            if (Candidate(steps[i], steps[i].Shape.Rows) && Section(steps, i) is { } section)
            {
                result.Add(section.Step);
                result.AddRange(section.Moved);
                i = section.End;
            }
            else
            {
                result.Add(steps[i]);
                i++;
            }
        }
        return withoutIndependentSteps ? result : IndependentSteps.Group(result);
    }

    private static bool Candidate<T>(PlanStep<T> step, int rows) where T : unmanaged, IFloatingPointIeee754<T> =>
        step.RunsByRows && !step.MayRefuse && step.Shape.Rows == rows && rows >= 2 && step is not ParameterUpdateStep<T>
        && step.Parts.All(p => p.Shape.Rows == rows);

    /// <summary>The longest run from <paramref name="first"/> that can take bands, or null.</summary>
    private static (RowBandsStep<T> Step, PlanStep<T>[] Moved, int End)? Section<T>(List<PlanStep<T>> steps, int first) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = steps[first].Shape.Rows;
        var banded = new List<PlanStep<T>> { steps[first] };
        var moved = new List<PlanStep<T>>();
        if (!RowByRow(banded))
        {
            return null;
        }
        int end = first + 1; // after the last banded step
        var pendingMoved = new List<PlanStep<T>>();
        for (int j = first + 1; j < steps.Count; j++)
        {
            PlanStep<T> step = steps[j];
            if (Candidate(step, rows) && RowByRow([.. banded, step]) && !pendingMoved.Concat(moved).Any(m => Conflicts(step, m)))
            {
                banded.Add(step);
                moved.AddRange(pendingMoved);
                pendingMoved.Clear();
                end = j + 1;
            }
            else if (!step.RunsByRows && !step.MayRefuse && step is not ParameterUpdateStep<T> && step is not RowBandsStep<T>)
            {
                pendingMoved.Add(step);
            }
            else
            {
                break;
            }
        }
        long work = banded.SelectMany(s => s.Parts).Sum(Work);
        int alignment = banded.SelectMany(s => s.Parts).Where(p => p.IsElementwise).Select(p => RowAlignment(p.Shape.Cols)).Aggregate(1, Lcm);
        int[][] starts = Starts(rows, alignment);
        // one step alone is a run of independent steps (IndependentSteps), which may take the steps after it too
        if (banded.Count < 2 || work < CurrentMinimumWork || starts.Length == 0)
        {
            return null;
        }
        return (new RowBandsStep<T>([.. banded], starts), [.. moved], end);
    }

    /// <summary>True if every buffer some part of <paramref name="banded"/> writes is read by the parts only row by row.</summary>
    private static bool RowByRow<T>(List<PlanStep<T>> banded) where T : unmanaged, IFloatingPointIeee754<T>
    {
        PlanStep<T>[] parts = [.. banded.SelectMany(s => s.Parts)];
        var written = new HashSet<PlanBuffer<T>>(parts.Select(p => p.Writes), ReferenceEqualityComparer.Instance);
        foreach (PlanStep<T> part in parts)
        {
            foreach (PlanBuffer<T> read in part.Reads)
            {
                if (written.Contains(read) && !part.ReadsByRow(read))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>True if <paramref name="banded"/>, coming after <paramref name="moved"/> in the plan, touches what the moved step reads or writes.</summary>
    internal static bool Conflicts<T>(PlanStep<T> banded, PlanStep<T> moved) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var movedWrites = new HashSet<PlanBuffer<T>>(moved.Parts.Select(p => p.Writes), ReferenceEqualityComparer.Instance);
        var movedReads = new HashSet<PlanBuffer<T>>(moved.Parts.SelectMany(p => p.Reads), ReferenceEqualityComparer.Instance);
        foreach (PlanStep<T> part in banded.Parts)
        {
            if (movedWrites.Contains(part.Writes) || movedReads.Contains(part.Writes) || part.Reads.Any(movedWrites.Contains))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A part's work: a product's multiply-adds, else <see cref="ElementCost"/> per element it reads or writes (the most of either).</summary>
    internal static long Work<T>(PlanStep<T> part) where T : unmanaged, IFloatingPointIeee754<T> =>
        part is MatMulStep<T> product ? product.MultiplyAdds : (long)Math.Max(part.Shape.Length, part.Reads.Sum(r => (long)r.Array.Length)) * ElementCost;

    /// <summary>The fewest rows of <paramref name="cols"/> elements that make a multiple of <see cref="ElementAlignment"/>.</summary>
    internal static int RowAlignment(int cols) => ElementAlignment / Gcd(ElementAlignment, cols);

    /// <summary>For 2, 3, … bands: the first row of each (multiples of <paramref name="alignment"/>), then <paramref name="rows"/>; as many counts as the rows allow.</summary>
    internal static int[][] Starts(int rows, int alignment)
    {
        var all = new List<int[]>();
        for (int bands = 2; bands <= MaxBands; bands++)
        {
            var cut = new int[bands + 1];
            cut[bands] = rows;
            bool ok = true;
            for (int b = 1; b < bands && ok; b++)
            {
                cut[b] = (int)((long)rows * b / bands) / alignment * alignment;
                ok = cut[b] > cut[b - 1];
            }
            if (!ok || cut[bands - 1] >= rows)
            {
                break;
            }
            all.Add(cut);
        }
        return [.. all];
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static int Lcm(int a, int b) => a / Gcd(a, b) * b;
}
