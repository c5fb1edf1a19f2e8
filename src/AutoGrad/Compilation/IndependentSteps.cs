using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// Finds runs of plan steps that do not depend on one another — after a batch's row bands, the batch-reducing steps:
/// ∂W₁ = ∂Z₁ᵀ·X, the bias gradients' sums, ∂W₂, the loss's sum — and makes each one <see cref="IndependentStepsStep{T}"/>
/// whose pieces several threads share: a step that <see cref="PlanStep{T}.RunsByRows"/> is cut into bands of its
/// result's rows, any other small step is one piece. Independent: no step of the run reads or writes what an earlier
/// one writes, or writes what an earlier one reads (checked on every simple step, <see cref="PlanStep{T}.Parts"/>). A
/// parameter's update (or any step) met in the run that depends on it moves after the run when no later step of the
/// run touches what it writes or writes what it reads (<see cref="RowBands.Conflicts"/>). Not joined: a step that may
/// refuse the call, a parameter's update, and a step too large to run whole on one thread (its own kernel splits it).
/// </summary>
internal static class IndependentSteps
{
    /// <summary>The plan's steps with each run of at least <see cref="RowBands.MinimumWork"/> grouped.</summary>
    public static List<PlanStep<T>> Group<T>(List<PlanStep<T>> steps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new List<PlanStep<T>>();
        int i = 0;
        while (i < steps.Count)
        {
            if (Joins(steps[i]) && Run(steps, i) is { } run)
            {
                result.Add(run.Step);
                result.AddRange(run.Moved);
                i = run.End;
            }
            else
            {
                result.Add(steps[i]);
                i++;
            }
        }
        return result;
    }

    private static bool Joins<T>(PlanStep<T> step) where T : unmanaged, IFloatingPointIeee754<T> =>
        !step.MayRefuse && step is not ParameterUpdateStep<T> and not RowBandsStep<T> and not IndependentStepsStep<T>
        && (Splits(step) || step.Parts.Sum(RowBands.Work) < Kernels.Gemm.ParallelThreshold);

    /// <summary>A step cut into bands of rows: it runs by rows, on at least two rows.</summary>
    private static bool Splits<T>(PlanStep<T> step) where T : unmanaged, IFloatingPointIeee754<T> =>
        step.RunsByRows && step.Shape.Rows >= 2 && step.Parts.All(p => p.Shape.Rows == step.Shape.Rows);

    private static (IndependentStepsStep<T> Step, PlanStep<T>[] Moved, int End)? Run<T>(List<PlanStep<T>> steps, int first)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var joined = new List<PlanStep<T>> { steps[first] };
        var moved = new List<PlanStep<T>>();
        var pending = new List<PlanStep<T>>();
        int end = first + 1;
        for (int j = first + 1; j < steps.Count; j++)
        {
            PlanStep<T> step = steps[j];
            if (Joins(step) && !joined.Any(earlier => Depends(step, earlier)) && !pending.Concat(moved).Any(m => RowBands.Conflicts(step, m)))
            {
                joined.Add(step);
                moved.AddRange(pending);
                pending.Clear();
                end = j + 1;
            }
            else if (!step.MayRefuse && step is not RowBandsStep<T> and not IndependentStepsStep<T>)
            {
                pending.Add(step);
            }
            else
            {
                break;
            }
        }
        long work = joined.Sum(s => s.Parts.Sum(RowBands.Work));
        if (work < RowBands.CurrentMinimumWork || (joined.Count < 2 && !Splits(joined[0])))
        {
            return null;
        }
        return (new IndependentStepsStep<T>([.. joined], [.. joined.Select(Cuts)]), [.. moved], end);
    }

    /// <summary>For a step cut into bands: its cuts for 2, 3, … bands (<see cref="RowBands.Starts"/>); else none.</summary>
    private static int[][] Cuts<T>(PlanStep<T> step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Splits(step))
        {
            return [];
        }
        int alignment = step.Parts.Where(p => p.IsElementwise).Select(p => RowBands.RowAlignment(p.Shape.Cols)).Aggregate(1, (a, b) => a / Gcd(a, b) * b);
        return RowBands.Starts(step.Shape.Rows, alignment);
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>True if <paramref name="later"/> reads or writes what <paramref name="earlier"/> writes, or writes what it reads.</summary>
    private static bool Depends<T>(PlanStep<T> later, PlanStep<T> earlier) where T : unmanaged, IFloatingPointIeee754<T> =>
        RowBands.Conflicts(later, earlier);
}
