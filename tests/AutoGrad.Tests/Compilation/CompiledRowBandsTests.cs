using System.Numerics;
using AutoGrad.Compilation;
using AutoGrad.Nn;
using AutoGrad.Tests.Fuzz;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// Row bands (<see cref="RowBandsStep{T}"/>): the row-by-row stretch of a compiled step run on bands of rows on two
/// threads must give the eager bits — over random MLPs (batches 1, 2, 3, 33 and others; double and float; 1, 2, 3 and 8
/// threads) with bands forced wherever the checks allow, and over the fuzzer's random graphs with bands cut at any row.
/// </summary>
public class CompiledRowBandsTests
{
    public sealed record MlpCase(int Batch, int N0, int N1, int N2, Activation Hidden, Activation Out, int LossKind, int Seed)
    {
        public override string ToString() => $"({Batch}, {N0}-{N1}-{N2}) {Hidden}/{Out} loss {LossKind} seed {Seed}";
    }

    private static readonly Arbitrary<MlpCase> Mlps = Arb.From(
        from batch in Gen.OneOf(Gen.Elements(1, 2, 3, 32, 33), Gen.Choose(1, 70))
        from n0 in Gen.Choose(1, 20)
        from n1 in Gen.OneOf(Gen.Elements(16, 32, 64), Gen.Choose(1, 48))
        from n2 in Gen.OneOf(Gen.Elements(4, 8, 16), Gen.Choose(1, 6))
        from hidden in Gen.Elements(Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.Identity)
        from output in Gen.Elements(Activation.Sigmoid, Activation.Identity)
        from loss in Gen.Choose(0, 3)
        from seed in Gen.Choose(0, 1000)
        select new MlpCase(batch, n0, n1, n2, hidden, output, loss, seed));

    private static Tensor<T> LossOf<T>(int kind, Tensor<T> prediction, Tensor<T> target, bool compiled) where T : unmanaged, IFloatingPointIeee754<T> => kind switch
    {
        0 => Loss.HalfSumSquared(prediction, target),
        1 => Loss.MeanSquaredError(prediction, target),
        2 => Loss.HalfMeanSquared(prediction, target),
        _ => compiled
            ? Loss.CrossEntropyOfLabels(prediction, target)
            : Loss.CrossEntropy(prediction, target.ToFlatArray().Select(v => int.CreateChecked(v)).ToArray()),
    };

    private static Tensor<T> Targets<T>(MlpCase c, Random random) where T : unmanaged, IFloatingPointIeee754<T> => c.LossKind == 3
        ? Tensor.FromRowMajor(c.Batch, 1, Enumerable.Range(0, c.Batch).Select(_ => T.CreateChecked(random.Next(c.N2))).ToArray())
        : Tensor.RandomUniform<T>(c.Batch, c.N2, random);

    /// <summary>Three SGD steps, eager and compiled with bands forced, at 1, 2, 3 and 8 threads: the same losses, gradients and parameters. True if the plan has bands.</summary>
    private static bool TrainsToTheEagerBits<T>(MlpCase c, int elementAlignment) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Mlp<T> Make() => new([c.N0, c.N1, c.N2], [c.Hidden, c.Out], new Random(c.Seed));
        var random = new Random(c.Seed + 1);
        var batches = Enumerable.Range(0, 3).Select(_ => (X: Tensor.RandomNormal<T>(c.Batch, c.N0, random), Y: Targets<T>(c, random))).ToArray();
        bool banded = false;
        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            CompiledEquivalenceTests.AtThreads(threads, () =>
            {
                using var bands = RowBands.Everywhere(elementAlignment);
                var eager = Make();
                var eagerSgd = new Sgd<T>(eager.Parameters, T.CreateChecked(0.1));
                var compiled = Make();
                var step = Tensor.Compile((Tensor<T> x, Tensor<T> y) => LossOf(c.LossKind, compiled.Forward(x), y, compiled: true),
                    new Sgd<T>(compiled.Parameters, T.CreateChecked(0.1)));
                foreach (var (x, y) in batches)
                {
                    eagerSgd.ZeroGrad();
                    var loss = LossOf(c.LossKind, eager.Forward(x), y, compiled: false);
                    loss.Backward();
                    eagerSgd.Step();
                    Assert.Equal(loss.Item, step.Run(x, y));
                }
                foreach (var (e, p) in eager.Parameters.Zip(compiled.Parameters))
                {
                    Assert.Equal(e.ToFlatArray(), p.ToFlatArray());
                    Assert.Equal(e.Grad!.ToFlatArray(), p.Grad!.ToFlatArray());
                }
                banded |= step.LatestPlan!.Steps.OfType<RowBandsStep<T>>().Any();
            });
        }
        return banded;
    }

    private static void CheckMlps<T>(int elementAlignment) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cases = 0, banded = 0;
        Properties.Check(Mlps, c =>
        {
            cases++;
            banded += TrainsToTheEagerBits<T>(c, elementAlignment) ? 1 : 0;
        }, 40);
        Assert.True(banded * 4 >= cases, $"only {banded} of {cases} random MLPs took row bands: the property would not test them");
    }

    [Fact]
    public void Random_mlps_with_row_bands_train_to_the_eager_bits_in_double() => CheckMlps<double>(RowBands.DefaultElementAlignment);

    [Fact]
    public void Random_mlps_with_row_bands_train_to_the_eager_bits_in_float() => CheckMlps<float>(RowBands.DefaultElementAlignment);

    [Fact]
    public void Random_mlps_with_row_bands_cut_at_any_row_train_to_the_eager_bits() => CheckMlps<double>(1);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(33)]
    public void The_batch_sizes_of_the_brief_train_to_the_eager_bits_with_bands(int batch)
    {
        foreach (var c in new[] { new MlpCase(batch, 16, 32, 4, Activation.Sigmoid, Activation.Sigmoid, 0, 7), new MlpCase(batch, 5, 64, 3, Activation.Tanh, Activation.Identity, 3, 8) })
        {
            TrainsToTheEagerBits<double>(c, 1);
            TrainsToTheEagerBits<float>(c, 1);
            TrainsToTheEagerBits<double>(c, RowBands.DefaultElementAlignment);
            TrainsToTheEagerBits<float>(c, RowBands.DefaultElementAlignment);
        }
    }

    /// <summary>The fuzzer's graphs (every operation, broadcasting, fan-out) with bands cut at any row, at 2, 3 and 8 threads, and at 1 (8, not 16: WorkerPoolTests bounds the process's workers by 8).</summary>
    [Fact]
    public void Random_graphs_with_row_bands_everywhere_give_the_eager_loss_and_gradients_bit_for_bit()
    {
        int cases = 0, banded = 0;
        Properties.Check(GraphFuzzTests.Graphs, c =>
        {
            cases++;
            foreach (int threads in new[] { 2, 3, 8, 1 })
            {
                CompiledEquivalenceTests.AtThreads(threads, () =>
                {
                    using var bands = RowBands.Everywhere(1);
                    var eager = c.Values.Select((m, i) => m.ToTensor(name: $"x{i}")).ToArray();
                    var compiled = c.Values.Select((m, i) => m.ToTensor(name: $"x{i}")).ToArray();
                    var step = Tensor.Compile((Tensor<double> w) => (c.Expression.Evaluate(compiled, []) * w).Sum());
                    for (int call = 0; call < 2; call++)
                    {
                        if (call == 1)
                        {
                            using var noGrad = Tensor.NoGrad();
                            foreach (var leaf in eager.Concat(compiled))
                            {
                                leaf.CopyFrom(leaf.ToFlatArray().Select(v => -0.7 * v + 0.05).ToArray());
                            }
                        }
                        var w = CompiledEquivalenceTests.Weights<double>(c.Expression.Shape, call);
                        var loss = (c.Expression.Evaluate(eager, []) * w).Sum();
                        loss.Backward();
                        Assert.Equal(loss.Item, step.Run(w));
                    }
                    for (int i = 0; i < eager.Length; i++)
                    {
                        Assert.Equal(eager[i].Grad?.ToFlatArray(), compiled[i].Grad?.ToFlatArray());
                    }
                    banded += threads == 2 && step.LatestPlan?.Steps.OfType<RowBandsStep<double>>().Any() == true ? 1 : 0;
                });
            }
        }, 150);
        Assert.True(banded * 4 >= cases, $"only {banded} of {cases} random graphs took row bands: the property would not test them");
    }

    /// <summary>
    /// The brief's step, with bands forced: its row-by-row stretch takes bands, and the batch-reducing steps after it
    /// (the loss's sum moved there, ∂W₁ cut into bands of its rows, the bias gradients' sums, ∂W₂) are shared as
    /// independent pieces, the parameters' updates after them.
    /// </summary>
    [Fact]
    public void With_bands_forced_the_32_16_32_4_step_runs_its_row_stretch_on_bands_and_shares_the_rest()
    {
        using var bands = RowBands.Everywhere();
        var steps = Steps<double>(32, 16, 32, 4);
        string plan = string.Join(Environment.NewLine, steps.Select(s => s.Describe()));
        var rows = Assert.IsType<RowBandsStep<double>>(steps[0]);
        Assert.True(rows.Steps.Count == 6, plan); // X·W₁ᵀ + b₁, σ, H·W₂ᵀ + b₂, (σ, −), the loss's gradient, ∂H with σ′
        var shared = steps[1] as IndependentStepsStep<double>;
        Assert.True(shared is not null, plan);
        Assert.True(shared!.Steps.Count == 5, plan); // ½Σ(·)², ∂W₁, Σ rows for b₁, ∂W₂, Σ rows for b₂
        Assert.Contains(shared.Steps, s => s.Name.StartsWith("SumOfSquares", StringComparison.Ordinal));
        Assert.All(steps.Skip(2), s => Assert.IsType<ParameterUpdateStep<double>>(s));
    }

    /// <summary>
    /// By default (<see cref="RowBands.MinimumWork"/>) neither the (1, 4-8-1) nor the (32, 16-32-4) step takes bands — measured slower on two
    /// threads of the benchmark machine (benchmarks/README.md, session thirteen) — and (64, 32-64-10), measured faster in float (double: no change), does.
    /// </summary>
    [Fact]
    public void By_default_only_steps_with_enough_work_take_bands()
    {
        Assert.DoesNotContain(Steps<double>(1, 4, 8, 1), s => s is RowBandsStep<double> or IndependentStepsStep<double>);
        Assert.DoesNotContain(Steps<double>(32, 16, 32, 4), s => s is RowBandsStep<double> or IndependentStepsStep<double>);
        Assert.DoesNotContain(Steps<float>(32, 16, 32, 4), s => s is RowBandsStep<float> or IndependentStepsStep<float>);
        Assert.Contains(Steps<double>(64, 32, 64, 10), s => s is RowBandsStep<double>);
        Assert.Contains(Steps<float>(64, 32, 64, 10), s => s is RowBandsStep<float>);
    }

    /// <summary>Bands and shared pieces allocate nothing per step, on the caller or on the workers (scratch is made on a band's first use).</summary>
    [Fact]
    public void A_step_with_bands_allocates_nothing_per_call_at_two_threads()
    {
        CompiledEquivalenceTests.AtThreads(2, () =>
        {
            using var bands = RowBands.Everywhere();
            var model = new Mlp<double>([16, 32, 4], [Activation.Sigmoid, Activation.Sigmoid], new Random(1));
            var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.HalfSumSquared(model.Forward(x), y), new Sgd<double>(model.Parameters, 0.01));
            var (x, y) = (Tensor.RandomNormal<double>(32, 16, new Random(2)), Tensor.RandomUniform<double>(32, 4, new Random(3)));
            for (int i = 0; i < 200; i++)
            {
                step.Run(x, y);
            }
            Assert.Contains(step.LatestPlan!.Steps, s => s is RowBandsStep<double>);
            long caller = GC.GetAllocatedBytesForCurrentThread(), workers = AutoGrad.Kernels.WorkerPool.WorkerAllocatedBytes;
            for (int i = 0; i < 1000; i++)
            {
                step.Run(x, y);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
            Assert.Equal(0, AutoGrad.Kernels.WorkerPool.WorkerAllocatedBytes - workers);
        });
    }

    private static IReadOnlyList<PlanStep<T>> Steps<T>(int batch, int n0, int n1, int n2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new Mlp<T>([n0, n1, n2], [Activation.Sigmoid, Activation.Sigmoid], new Random(1));
        var step = Tensor.Compile((Tensor<T> x, Tensor<T> y) => Loss.HalfSumSquared(model.Forward(x), y), new Sgd<T>(model.Parameters, T.CreateChecked(0.1)));
        step.Run(Tensor.RandomNormal<T>(batch, n0, new Random(2)), Tensor.RandomUniform<T>(batch, n2, new Random(3)));
        return step.LatestPlan!.Steps;
    }
}
