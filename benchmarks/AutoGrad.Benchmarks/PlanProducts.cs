using System.Numerics;
using AutoGrad.Compilation;

namespace AutoGrad.Benchmarks;

/// <summary>
/// A compiled plan's matrix-product steps, wherever the plan put them: at the top level, inside row bands
/// (<see cref="RowBandsStep{T}"/>) or among independent pieces (<see cref="IndependentStepsStep{T}"/>), and those running
/// an element-wise operation in their epilogue (a few additions more than the product alone). Taking only the top
/// level missed every product of a plan that runs on bands or pieces — the (64, 64-128-10) step's "GEMM only" came out
/// as 0.02 µs on an AVX-512 machine, where all its products sit in such steps.
/// </summary>
internal static class PlanProducts
{
    public static PlanStep<T>[] Of<T>(IEnumerable<PlanStep<T>> steps) where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. steps.SelectMany(Flatten).Where(s => s is MatMulStep<T> || s.GetType().Name.StartsWith("MatMulEpilogueStep", StringComparison.Ordinal))];

    private static IEnumerable<PlanStep<T>> Flatten<T>(PlanStep<T> step) where T : unmanaged, IFloatingPointIeee754<T> => step switch
    {
        RowBandsStep<T> bands => bands.Steps.SelectMany(Flatten),
        IndependentStepsStep<T> pieces => pieces.Steps.SelectMany(Flatten),
        _ => [step],
    };
}
