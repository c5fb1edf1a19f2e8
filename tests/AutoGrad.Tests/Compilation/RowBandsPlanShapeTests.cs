using AutoGrad.Compilation;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// The shape of a plan's row bands (<see cref="RowBands"/>, <see cref="RowBandsStep{T}"/>): where the rows are cut
/// (<see cref="RowBands.Starts"/>), the row alignment that keeps the element-wise kernels' vectors in place, a part's
/// work estimate, the work threshold at its exact boundary, the smallest batch that takes bands (2 rows), and the
/// plan's description in full. The results of bands are checked elsewhere (<see cref="CompiledRowBandsTests"/>); these
/// tests pin down which plan is built.
/// </summary>
public class RowBandsPlanShapeTests
{
    private static readonly string NewLine = Environment.NewLine;

    /// <summary>The plan of Σσ(x ⊙ a) and its gradient with respect to a, for x of the given shape, built in <paramref name="scope"/>.</summary>
    internal static IReadOnlyList<PlanStep<double>> SigmoidPlan(int rows, int cols, Func<IDisposable> scope)
    {
        using var bands = scope();
        var a = Tensor.RandomNormal<double>(rows, cols, new Random(2), requiresGrad: true);
        var step = Tensor.Compile((Tensor<double> x) => (x * a).Sigmoid().Sum());
        step.Run(Tensor.RandomNormal<double>(rows, cols, new Random(3)));
        return step.LatestPlan!.Steps;
    }

    private static string Describe(IEnumerable<PlanStep<double>> steps) => string.Join(NewLine, steps.Select(s => s.Describe()));

    [Fact]
    public void Eight_rows_are_cut_evenly_for_two_to_eight_bands_and_not_for_nine()
    {
        int[][] expected =
        [
            [0, 4, 8],
            [0, 2, 5, 8],
            [0, 2, 4, 6, 8],
            [0, 1, 3, 4, 6, 8],
            [0, 1, 2, 4, 5, 6, 8],
            [0, 1, 2, 3, 4, 5, 6, 8],
            [0, 1, 2, 3, 4, 5, 6, 7, 8],
        ];
        Assert.Equal(expected, RowBands.Starts(8, 1));
        // four rows: 2, 3 and 4 bands; a fifth band would be empty (cut 4/5 = 0 equals the first start)
        Assert.Equal([[0, 2, 4], [0, 1, 2, 4], [0, 1, 2, 3, 4]], RowBands.Starts(4, 1));
    }

    [Fact]
    public void Cuts_fall_on_multiples_of_the_alignment_rounded_down()
    {
        // 20 rows at multiples of 4: 10 → 8; 6.7, 13.3 → 4, 12; 5, 10, 15 → 4, 8, 12; 4, 8, 12, 16; 3.3 → 0 stops
        Assert.Equal([[0, 8, 20], [0, 4, 12, 20], [0, 4, 8, 12, 20], [0, 4, 8, 12, 16, 20]], RowBands.Starts(20, 4));
    }

    [Fact]
    public void Many_rows_are_cut_into_at_most_sixteen_bands()
    {
        int[][] starts = RowBands.Starts(1000, 1);
        Assert.Equal(RowBands.MaxBands - 1, starts.Length); // 2, 3, …, 16 bands
        Assert.Equal([0, 62, 125, 187, 250, 312, 375, 437, 500, 562, 625, 687, 750, 812, 875, 937, 1000], starts[^1]);
    }

    /// <summary>Over random row counts and alignments: entry k cuts k + 2 bands, each starting at the multiple of the alignment at or below rows·b/bands, strictly increasing, the last ending at the rows.</summary>
    [Fact]
    public void Every_cut_is_the_even_cut_rounded_down_to_the_alignment_and_bands_are_never_empty()
    {
        var cases = Arb.From(
            from rows in Gen.OneOf(Gen.Choose(2, 40), Gen.Choose(2, 5000))
            from alignment in Gen.Elements(1, 2, 4, 8, 16, 32, 64)
            select (Rows: rows, Alignment: alignment));
        Properties.Check(cases, c =>
        {
            int[][] starts = RowBands.Starts(c.Rows, c.Alignment);
            for (int k = 0; k < starts.Length; k++)
            {
                int bands = k + 2;
                Assert.Equal(bands + 1, starts[k].Length);
                Assert.Equal(c.Rows, starts[k][bands]);
                for (int b = 0; b < bands; b++)
                {
                    Assert.Equal((int)((long)c.Rows * b / bands) / c.Alignment * c.Alignment, starts[k][b]);
                    Assert.True(starts[k][b] < starts[k][b + 1], $"{c}: band {b} of {bands} is empty");
                }
            }
            // the next count would have an empty band, or is past the most
            int next = starts.Length + 2;
            if (next <= RowBands.MaxBands)
            {
                int[] cut = [.. Enumerable.Range(0, next).Select(b => (int)((long)c.Rows * b / next) / c.Alignment * c.Alignment), c.Rows];
                Assert.False(cut.Zip(cut.Skip(1), (s, e) => s < e).All(nonEmpty => nonEmpty), $"{c}: {next} bands would fit");
            }
        }, 300);
    }

    [Fact]
    public void The_row_alignment_is_the_fewest_rows_whose_elements_make_a_multiple_of_64()
    {
        using var scope = RowBands.WithMinimumWork(0, RowBands.DefaultElementAlignment);
        Assert.Equal(64, RowBands.RowAlignment(1));
        Assert.Equal(64, RowBands.RowAlignment(3));
        Assert.Equal(4, RowBands.RowAlignment(48));
        Assert.Equal(2, RowBands.RowAlignment(96));
        Assert.Equal(16, RowBands.RowAlignment(100));
        Assert.Equal(1, RowBands.RowAlignment(64));
        Assert.Equal(1, RowBands.RowAlignment(128));
    }

    [Fact]
    public void An_element_wise_parts_work_is_four_per_element_of_everything_it_reads_or_of_its_result()
    {
        var rows = Assert.IsType<RowBandsStep<double>>(SigmoidPlan(8, 3, () => RowBands.Everywhere(1))[0]);
        PlanStep<double>[] parts = [.. rows.Steps.SelectMany(s => s.Parts)];
        Assert.Equal(["Hadamard", "Sigmoid", "Sigmoid′", "Hadamard"], parts.Select(p => p.Name));
        // x ⊙ a reads 24 + 24 elements; σ reads 24; σ′(c, t0, t1) reads 24 + 24 + 24 (c: the sum's gradient, ones); ∂a = t3 ⊙ x reads 24 + 24
        Assert.Equal([4L * 48, 4L * 24, 4L * 72, 4L * 48], parts.Select(RowBands.Work<double>));
    }

    [Fact]
    public void A_products_work_is_its_multiply_adds()
    {
        var model = new AutoGrad.Nn.Mlp<double>([3, 7, 2], [AutoGrad.Nn.Activation.Sigmoid, AutoGrad.Nn.Activation.Sigmoid], new Random(1));
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => AutoGrad.Nn.Loss.HalfSumSquared(model.Forward(x), y));
        step.Run(Tensor.RandomNormal<double>(5, 3, new Random(2)), Tensor.RandomUniform<double>(5, 2, new Random(3)));
        var first = step.LatestPlan!.Steps.SelectMany(s => s.Parts).OfType<MatMulStep<double>>().First(); // X·W₁ᵀ: 5 × 7 × 3
        Assert.Equal(105, RowBands.Work<double>(first));
    }

    /// <summary>A run takes bands from its work on: at exactly the sum of its parts' work it does, one more it does not.</summary>
    [Fact]
    public void A_run_takes_bands_at_exactly_the_sum_of_its_parts_work_and_not_one_below()
    {
        var rows = Assert.IsType<RowBandsStep<double>>(SigmoidPlan(8, 3, () => RowBands.Everywhere(1))[0]);
        long work = rows.Steps.SelectMany(s => s.Parts).Sum(RowBands.Work<double>);
        Assert.Equal(4L * (48 + 24 + 72 + 48), work);
        Assert.IsType<RowBandsStep<double>>(SigmoidPlan(8, 3, () => RowBands.WithMinimumWork(work, 1))[0]);
        Assert.DoesNotContain(SigmoidPlan(8, 3, () => RowBands.WithMinimumWork(work + 1, 1)), s => s is RowBandsStep<double>);
    }

    [Fact]
    public void The_plan_describes_its_bands_their_rows_and_the_banded_steps_in_full()
    {
        var steps = SigmoidPlan(8, 3, () => RowBands.Everywhere(1));
        Assert.Equal(
            "row bands (2 threads: rows 0–3, 4–7; up to 8 bands)   8 rows" + NewLine +
            "  ‖ fused, 1 band(s) of ≤ 24 elements   8×3" + NewLine +
            "        t0 = Hadamard(x0, p0)   8×3" + NewLine +
            "        t1 = Sigmoid(t0)   8×3" + NewLine +
            "  ‖ fused, 1 band(s) of ≤ 24 elements   8×3" + NewLine +
            "        t3 = Sigmoid′(c0, t0, t1)   8×3" + NewLine +
            "        t0 = Hadamard(t3, x0)   8×3" + NewLine +
            "t2 = Sum(t1)   1×1",
            Describe(steps));
        var rows = Assert.IsType<RowBandsStep<double>>(steps[0]);
        Assert.Equal("RowBands", rows.Name);
        Assert.Equal(8, rows.MaxBands);
    }

    /// <summary>Two rows are the fewest that take bands: one row each.</summary>
    [Fact]
    public void A_batch_of_two_rows_takes_two_bands_of_one_row()
    {
        Assert.Equal(
            "row bands (2 threads: rows 0–0, 1–1; up to 2 bands)   2 rows" + NewLine +
            "  ‖ fused, 1 band(s) of ≤ 2 elements   2×1" + NewLine +
            "        t0 = Hadamard(x0, p0)   2×1" + NewLine +
            "        t1 = Sigmoid(t0)   2×1" + NewLine +
            "  ‖ fused, 1 band(s) of ≤ 2 elements   2×1" + NewLine +
            "        t3 = Sigmoid′(c0, t0, t1)   2×1" + NewLine +
            "        t0 = Hadamard(t3, x0)   2×1" + NewLine +
            "t2 = Sum(t1)   1×1",
            Describe(SigmoidPlan(2, 1, () => RowBands.Everywhere(1))));
    }
}
