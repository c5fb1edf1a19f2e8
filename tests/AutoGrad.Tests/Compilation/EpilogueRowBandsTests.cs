using AutoGrad.Compilation;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A product with σ′ in its epilogue (<c>MatMulEpilogueStep</c>) inside row bands: the plan bands it, it reads by row
/// exactly the product's left operand and the operation's operands (not the weight, nothing it does not read), and a
/// band whose epilogue flags far-left lanes hands them to the product and σ′ on its rows — the banded run gives, call
/// by call, the bits of the same step compiled without bands (δ = ∂Z₂·W₂ ⊙ σ′ and every gradient).
/// </summary>
public class EpilogueRowBandsTests
{
    private static Mlp<double> Make() => new([16, 32, 16], [Activation.Sigmoid, Activation.Sigmoid], new Random(5));

    private static PlanStep<double> SigmoidGradientEpilogue(Plan<double> plan) =>
        Assert.Single(plan.Steps.SelectMany(s => s is RowBandsStep<double> r ? r.Steps : [s]), s => s.Name.Contains("Sigmoid′") && s.Name.Contains("MatMul"));

    [Fact]
    public void The_banded_epilogue_step_reads_by_row_the_products_left_operand_and_the_operations_operands_only()
    {
        using var bands = RowBands.Everywhere(1);
        var model = Make();
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.HalfSumSquared(model.Forward(x), y));
        step.Run(Tensor.RandomNormal<double>(8, 16, new Random(1)), Tensor.RandomUniform<double>(8, 16, new Random(2)));
        var plan = step.LatestPlan!;
        var rows = Assert.IsType<RowBandsStep<double>>(plan.Steps[0]);
        var epilogue = SigmoidGradientEpilogue(plan);
        Assert.Contains(epilogue, rows.Steps);
        Assert.True(epilogue.RunsByRows);
        Assert.Matches(@"^t\d+ = MatMul\(t\d+, W_2\), then Sigmoid′\(·, t\d+, t\d+\) in its epilogue", epilogue.Describe());
        Assert.Equal(4, epilogue.Reads.Length); // δ₂, W_2, z₁, σ(z₁)
        Assert.Equal(["W_2"], epilogue.Reads.Where(b => !epilogue.ReadsByRow(b)).Select(b => b.Label));
        var others = plan.Steps.SelectMany(s => s is RowBandsStep<double> r ? r.Steps : [s])
            .SelectMany(s => s.Reads.Append(s.Writes)).Distinct().Where(b => Array.IndexOf(epilogue.Reads, b) < 0).ToArray();
        Assert.NotEmpty(others);
        Assert.All(others, b => Assert.False(epilogue.ReadsByRow(b), b.Label));
        // a broadcast row (the bias of the products' Add epilogues) is read whole by every banded step
        Assert.Equal(2, rows.Steps.Count(s => s.Name.Contains("Add")));
        foreach (var banded in rows.Steps)
        {
            Assert.All(banded.Reads.Where(b => b.Array.Length == banded.Shape.Cols), b => Assert.False(banded.ReadsByRow(b), $"{banded.Name} reads {b.Label}"));
        }
        Assert.Contains(rows.Steps, s => s.Reads.Any(b => b.Label.StartsWith("b_", StringComparison.Ordinal)));
    }

    [Fact]
    public void Bands_whose_epilogue_flags_far_left_lanes_give_the_unbanded_bits()
    {
        const double Factor = 1e280; // σ′'s upstream gradient huge: the span kernel's correction changes bits
        var banded = Make();
        var plain = Make();
        var bandedSgd = new Sgd<double>(banded.Parameters, 0.01); // for ZeroGrad only
        var plainSgd = new Sgd<double>(plain.Parameters, 0.01);
        var bandedStep = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.HalfSumSquared(banded.Forward(x), y) * Factor);
        var plainStep = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.HalfSumSquared(plain.Forward(x), y) * Factor);
        var random = new Random(6);
        bool farLeft = false;
        for (int call = 0; call < 8; call++)
        {
            var x = Tensor.RandomNormal<double>(2, 16, random, std: call == 0 ? 1 : 700);
            var y = Tensor.RandomUniform<double>(2, 16, random);
            bandedSgd.ZeroGrad();
            plainSgd.ZeroGrad();
            double plainLoss = plainStep.Run(x, y); // traced without the bands' scope: the default threshold keeps 2 rows whole
            double bandedLoss;
            using (RowBands.Everywhere(1))
            {
                bandedLoss = bandedStep.Run(x, y);
            }
            Assert.Equal(plainLoss, bandedLoss);
            Assert.IsType<RowBandsStep<double>>(bandedStep.LatestPlan!.Steps[0]);
            Assert.DoesNotContain(plainStep.LatestPlan!.Steps, s => s is RowBandsStep<double>);
            Assert.Equal(SigmoidGradientEpilogue(plainStep.LatestPlan).Writes.Array, SigmoidGradientEpilogue(bandedStep.LatestPlan).Writes.Array);
            foreach (var (p, b) in plain.Parameters.Zip(banded.Parameters))
            {
                Assert.Equal(p.Grad!.ToFlatArray(), b.Grad!.ToFlatArray());
            }
            var z = (Tensor<double>.MatMul(x, plain.Layers[0].Weight, false, true) + plain.Layers[0].Bias!).ToFlatArray();
            farLeft |= z.Any(v => v is < -710 and > -744);
        }
        Assert.True(farLeft); // the epilogue met far-left lanes
    }
}
