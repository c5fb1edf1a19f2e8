using AutoGrad.Compilation;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// The shape of a plan's independent pieces (<see cref="IndependentSteps"/>, <see cref="IndependentStepsStep{T}"/>):
/// which steps join a run (a step too large to run whole on one thread does not, at exactly the GEMM's parallel
/// threshold; a run needs two steps or one cut into bands), the run's work threshold at its exact boundary, where a
/// step's rows are cut (aligned for its element-wise kernels), the pieces' order (largest work first) and the plan's
/// description in full. Results are checked elsewhere (<see cref="CompiledRowBandsTests"/>).
/// </summary>
public class IndependentStepsPlanTests
{
    private static readonly string NewLine = Environment.NewLine;

    /// <summary>Σσ(x ⊙ a) + Σtanh(y ⊙ b) for x 8×3 and y 4×3: two independent row-by-row chains of different row counts.</summary>
    private static IReadOnlyList<PlanStep<double>> TwoChains(Func<IDisposable> scope)
    {
        using var bands = scope();
        var a = Tensor.RandomNormal<double>(8, 3, new Random(2), requiresGrad: true);
        var b = Tensor.RandomNormal<double>(4, 3, new Random(2), requiresGrad: true);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => (x * a).Sigmoid().Sum() + (y * b).Tanh().Sum());
        step.Run(Tensor.RandomNormal<double>(8, 3, new Random(3)), Tensor.RandomNormal<double>(4, 3, new Random(3)));
        return step.LatestPlan!.Steps;
    }

    /// <summary>(Σx + Σy)·b for inputs x, y: two sums that depend on nothing, then steps that depend on them.</summary>
    private static IReadOnlyList<PlanStep<double>> TwoSums(int xRows, int xCols, Func<IDisposable> scope)
    {
        using var bands = scope();
        var b = Tensor.RandomNormal<double>(1, 1, new Random(2), requiresGrad: true);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => (x.Sum() + y.Sum()) * b);
        step.Run(Tensor.RandomNormal<double>(xRows, xCols, new Random(3)), Tensor.RandomNormal<double>(4, 3, new Random(3)));
        return step.LatestPlan!.Steps;
    }

    private static string Describe(IEnumerable<PlanStep<double>> steps) => string.Join(NewLine, steps.Select(s => s.Describe()));

    [Fact]
    public void Two_chains_of_different_row_counts_are_shared_as_bands_of_their_rows_largest_first()
    {
        var steps = TwoChains(() => RowBands.Everywhere(1));
        Assert.Equal(
            "independent steps, 4 pieces on 2 threads" + NewLine +
            "  ‖ rows 0–3 of fused, 1 band(s) of ≤ 24 elements   8×3" + NewLine +
            "  ‖ rows 4–7 of fused, 1 band(s) of ≤ 24 elements   8×3" + NewLine +
            "  ‖ rows 0–1 of fused, 1 band(s) of ≤ 12 elements   4×3" + NewLine +
            "  ‖ rows 2–3 of fused, 1 band(s) of ≤ 12 elements   4×3" + NewLine +
            "t2 = Sum(t1)   1×1" + NewLine +
            "independent steps, 5 pieces on 2 threads" + NewLine +
            "  ‖ rows 0–3 of fused, 1 band(s) of ≤ 24 elements   8×3" + NewLine +
            "  ‖ rows 4–7 of fused, 1 band(s) of ≤ 24 elements   8×3" + NewLine +
            "  ‖ rows 0–1 of fused, 1 band(s) of ≤ 12 elements   4×3" + NewLine +
            "  ‖ rows 2–3 of fused, 1 band(s) of ≤ 12 elements   4×3" + NewLine +
            "  ‖ t5 = Sum(t4)   1×1" + NewLine +
            "t6 = Add(t2, t5)   1×1",
            Describe(steps));
        // eight rows take up to 8 bands (RowBands.Starts(8, 1) has 7 cuts), four rows 4: cut for up to 8 threads
        var first = Assert.IsType<IndependentStepsStep<double>>(steps[0]);
        Assert.Equal(8, first.MostThreads);
    }

    /// <summary>At the default alignment neither chain's rows can be cut (3 columns: 64 rows a band), so each is one whole piece.</summary>
    [Fact]
    public void Chains_whose_rows_cannot_be_cut_at_the_alignment_are_whole_pieces()
    {
        var steps = TwoChains(() => RowBands.Everywhere());
        Assert.Equal(
            "independent steps, 2 pieces on 2 threads" + NewLine +
            "  ‖ fused, 1 band(s) of ≤ 24 elements   8×3" + NewLine +
            "  ‖ fused, 1 band(s) of ≤ 12 elements   4×3" + NewLine +
            "t2 = Sum(t1)   1×1" + NewLine +
            "independent steps, 3 pieces on 2 threads" + NewLine +
            "  ‖ fused, 1 band(s) of ≤ 24 elements   8×3" + NewLine +
            "  ‖ fused, 1 band(s) of ≤ 12 elements   4×3" + NewLine +
            "  ‖ t5 = Sum(t4)   1×1" + NewLine +
            "t6 = Add(t2, t5)   1×1",
            Describe(steps));
        Assert.Equal(2, Assert.IsType<IndependentStepsStep<double>>(steps[0]).MostThreads);
    }

    /// <summary>
    /// At an alignment of 2 elements, 3 columns align at every second row; a fused chain of several element-wise parts of
    /// 3 columns still aligns at 2 rows (the least common multiple of the parts' alignments: run E left
    /// <c>a * Gcd(a, b) * b</c> for <c>a / Gcd(a, b) * b</c> alive, which gives 8 rows or more from two parts on and
    /// leaves the eight rows uncut), so eight rows are cut at row 4 and four rows at row 2.
    /// </summary>
    [Fact]
    public void A_chains_rows_align_at_the_least_common_multiple_of_its_parts_alignments()
    {
        var steps = TwoChains(() => RowBands.Everywhere(2));
        string[] first = steps[0].Describe().Split(NewLine);
        Assert.Equal(
            [
                "independent steps, 4 pieces on 2 threads",
                "  ‖ rows 0–3 of fused, 1 band(s) of ≤ 24 elements   8×3",
                "  ‖ rows 4–7 of fused, 1 band(s) of ≤ 24 elements   8×3",
                "  ‖ rows 0–1 of fused, 1 band(s) of ≤ 12 elements   4×3",
                "  ‖ rows 2–3 of fused, 1 band(s) of ≤ 12 elements   4×3",
            ],
            first);
        // 8 rows at multiples of 2 give up to 4 bands, 4 rows up to 2: cut for up to 4 threads
        Assert.Equal(4, Assert.IsType<IndependentStepsStep<double>>(steps[0]).MostThreads);
    }

    /// <summary>A run is shared from its work on (the sum over its steps of their parts' work): at exactly that it is, one more it is not.</summary>
    [Fact]
    public void A_run_is_shared_at_exactly_the_sum_of_its_steps_parts_work_and_not_one_below()
    {
        var first = Assert.IsType<IndependentStepsStep<double>>(TwoChains(() => RowBands.Everywhere(1))[0]);
        long work = first.Steps.Sum(s => s.Parts.Sum(RowBands.Work<double>));
        Assert.Equal(432, work); // σ(x ⊙ a): 4·(48 + 24); tanh(y ⊙ b): 4·(24 + 12)
        Assert.IsType<IndependentStepsStep<double>>(TwoChains(() => RowBands.WithMinimumWork(work, 1))[0]);
        Assert.IsNotType<IndependentStepsStep<double>>(TwoChains(() => RowBands.WithMinimumWork(work + 1, 1))[0]);
    }

    /// <summary>Two sums of inputs: a run of two steps, neither cut into bands, is shared; each is whole.</summary>
    [Fact]
    public void Two_sums_that_cannot_be_cut_are_shared_as_two_whole_pieces()
    {
        var steps = TwoSums(8, 3, () => RowBands.WithMinimumWork(0));
        Assert.Equal(
            "independent steps, 2 pieces on 2 threads" + NewLine +
            "  ‖ t0 = Sum(x0)   1×1" + NewLine +
            "  ‖ t1 = Sum(x1)   1×1",
            steps[0].Describe());
        Assert.Equal(2, Assert.IsType<IndependentStepsStep<double>>(steps[0]).MostThreads);
    }

    /// <summary>
    /// A step that is not cut into bands joins a run only below the GEMM's parallel threshold (its own kernel splits
    /// larger ones): Σx over 256 × 256 elements is 4 · 65 536 = 2¹⁸, exactly the threshold, so it stays out, and Σy alone is no run.
    /// </summary>
    [Fact]
    public void A_step_of_exactly_the_parallel_threshold_does_not_join_a_run()
    {
        var steps = TwoSums(256, 256, () => RowBands.WithMinimumWork(0));
        Assert.Equal(AutoGrad.Kernels.Gemm.ParallelThreshold, RowBands.Work(steps[0]));
        Assert.DoesNotContain(steps, s => s is IndependentStepsStep<double>);
        Assert.Equal("t0 = Sum(x0)   1×1", steps[0].Describe());
    }

    /// <summary>
    /// A step's size for joining is the sum of its parts' work: σ(x ⊙ c) on one row of 24 576 is 4 · 49 152 + 4 · 24 576
    /// = 294 912, above the threshold though each part is below; it stays out, and the run starts after it.
    /// </summary>
    [Fact]
    public void A_fused_step_whose_parts_together_pass_the_parallel_threshold_does_not_join_a_run()
    {
        using var bands = RowBands.WithMinimumWork(0);
        var c = Tensor.RandomNormal<double>(1, 24576, new Random(2));
        var b = Tensor.RandomNormal<double>(4, 3, new Random(2), requiresGrad: true);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => (x * c).Sigmoid().Sum() + (y * b).Sum());
        step.Run(Tensor.RandomNormal<double>(1, 24576, new Random(3)), Tensor.RandomNormal<double>(4, 3, new Random(3)));
        var steps = step.LatestPlan!.Steps;
        Assert.Equal(294_912, steps[0].Parts.Sum(RowBands.Work<double>));
        Assert.Equal(
            "fused, 96 band(s) of ≤ 256 elements   1×24576" + NewLine +
            "    t0 = Hadamard(x0, c0)   1×24576" + NewLine +
            "    t1 = Sigmoid(t0)   1×24576" + NewLine +
            "independent steps, 3 pieces on 2 threads" + NewLine +
            "  ‖ t2 = Sum(t1)   1×1" + NewLine +
            "  ‖ t3 = Hadamard(x1, p0)   4×3" + NewLine +
            "  ‖ t6 = Hadamard(c1, x1)   4×3",
            Describe(steps.Take(2)));
    }

    /// <summary>
    /// The (5, 3-7-2) step's plan with every run shared: a product alone is one run, shared as bands of its rows
    /// (5 rows: 2–4 before 0–1, the larger share first); a fused step alone is one too (it runs by rows, though at the
    /// default alignment its 5 rows cannot be cut: one whole piece); the pieces of the backward run are ordered by their
    /// share of their step's work, bands of different steps interleaved with a whole step.
    /// </summary>
    [Fact]
    public void Pieces_are_ordered_by_their_share_of_their_steps_work_largest_first()
    {
        using var bands = RowBands.WithMinimumWork(0);
        var model = new Mlp<double>([3, 7, 2], [Activation.Sigmoid, Activation.Sigmoid], new Random(1));
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.HalfSumSquared(model.Forward(x), y), new Sgd<double>(model.Parameters, 0.1));
        step.Run(Tensor.RandomNormal<double>(5, 3, new Random(2)), Tensor.RandomUniform<double>(5, 2, new Random(3)));
        // each line up to its " = " (the product kernels' names depend on the machine)
        string[] lines = [.. step.LatestPlan!.Steps.OfType<IndependentStepsStep<double>>()
            .SelectMany(s => s.Describe().Split(NewLine)).Select(l => l.Split(" = ")[0])];
        Assert.Equal(
        [
            "independent steps, 2 pieces on 2 threads", "  ‖ rows 2–4 of t0", "  ‖ rows 0–1 of t0",
            "independent steps, 1 pieces on 2 threads", "  ‖ fused, 1 band(s) of ≤ 35 elements   5×7",
            "independent steps, 2 pieces on 2 threads", "  ‖ rows 2–4 of t2", "  ‖ rows 0–1 of t2",
            "independent steps, 1 pieces on 2 threads", "  ‖ fused, 1 band(s) of ≤ 10 elements   5×2",
            "independent steps, 2 pieces on 2 threads", "  ‖ fused, 1 band(s) of ≤ 10 elements   5×2", "  ‖ t5",
            // ∂H = ∂Z·W₂ (5 × 7 × 2 = 70: rows 2–4 42, rows 0–1 28), Σ rows for b₂ (4 · 10 = 40), ∂W₂ (2 × 7 × 5 = 70: 35 a row)
            "independent steps, 5 pieces on 2 threads", "  ‖ rows 2–4 of t8", "  ‖ b_2.Grad", "  ‖ rows 0–0 of W_2.Grad", "  ‖ rows 1–1 of W_2.Grad", "  ‖ rows 0–1 of t8",
        ], lines);
    }

    /// <summary>A whole fused piece's work is the sum of its parts' (288), which puts it before a sum of 240 though its largest part (192) is less.</summary>
    [Fact]
    public void A_whole_pieces_work_is_the_sum_of_its_parts()
    {
        using var bands = RowBands.Everywhere();
        var a = Tensor.RandomNormal<double>(8, 3, new Random(2), requiresGrad: true);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => (x * a).Sigmoid().Sum() + y.Sum());
        step.Run(Tensor.RandomNormal<double>(8, 3, new Random(3)), Tensor.RandomNormal<double>(6, 10, new Random(3)));
        var shared = step.LatestPlan!.Steps.OfType<IndependentStepsStep<double>>().First();
        Assert.Equal([288L, 240L], shared.Steps.Select(s => s.Parts.Sum(RowBands.Work<double>)));
        Assert.Equal(
            "independent steps, 2 pieces on 2 threads" + NewLine +
            "  ‖ fused, 1 band(s) of ≤ 24 elements   8×3" + NewLine +
            "  ‖ t3 = Sum(x1)   1×1",
            shared.Describe());
    }
}
