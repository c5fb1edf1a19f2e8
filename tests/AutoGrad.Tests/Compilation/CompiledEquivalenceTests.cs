using System.Numerics;
using AutoGrad.Nn;
using AutoGrad.Tests.Fuzz;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A compiled step runs the eager kernels in the eager order, so it must give the eager bits: the same loss, the same
/// accumulated gradients, the same parameters after SGD — over random graphs (the fuzzer's generator, every op,
/// broadcasting, fan-out) and random MLPs large enough for several fused bands, in double and float, at 1 and 2 threads.
/// </summary>
public class CompiledEquivalenceTests
{
    /// <summary>Runs <paramref name="body"/> with <see cref="Parallelism.MaxThreads"/> set to <paramref name="threads"/>.</summary>
    internal static void AtThreads(int threads, Action body)
    {
        // MaxThreads is process-wide; other tests running meanwhile only run faster or slower, never differently
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            body();
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    /// <summary>A weighting of the output that differs from call to call, so the compiled step's input really changes.</summary>
    internal static Tensor<T> Weights<T>(Shape shape, int call) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.FromRowMajor(shape.Rows, shape.Cols, Enumerable.Range(0, shape.Length).Select(i => T.CreateChecked(0.25 + 0.37 * ((i * 7 + call * 3) % 5))).ToArray());

    /// <summary>
    /// 150 graphs, each compiled and called twice — with a new output weighting and new values of every leaf the second
    /// time — at 1 and 2 threads. Every operation has a compiled form, so every graph compiles (none is refused).
    /// </summary>
    [Fact]
    public void Random_graphs_compiled_give_the_eager_loss_and_accumulated_gradients_bit_for_bit()
    {
        Properties.Check(GraphFuzzTests.Graphs, c =>
        {
            foreach (int threads in new[] { 1, 2 })
            {
                AtThreads(threads, () =>
                {
                    var eager = c.Values.Select((m, i) => m.ToTensor(name: $"x{i}")).ToArray();
                    var compiled = c.Values.Select((m, i) => m.ToTensor(name: $"x{i}")).ToArray();
                    var step = Tensor.Compile((Tensor<double> w) => (c.Expression.Evaluate(compiled, []) * w).Sum());
                    for (int call = 0; call < 2; call++)
                    {
                        if (call == 1)
                        {
                            // new values for every leaf, in place: a value the trace froze (a mask read from the data) would show
                            using var noGrad = Tensor.NoGrad();
                            foreach (var leaf in eager.Concat(compiled))
                            {
                                leaf.CopyFrom(leaf.ToFlatArray().Select(v => -0.7 * v + 0.05).ToArray());
                            }
                        }
                        var w = Weights<double>(c.Expression.Shape, call);
                        var loss = (c.Expression.Evaluate(eager, []) * w).Sum();
                        loss.Backward();
                        Assert.Equal(loss.Item, step.Run(w));
                    }
                    for (int i = 0; i < eager.Length; i++)
                    {
                        Assert.Equal(eager[i].Grad?.ToFlatArray(), compiled[i].Grad?.ToFlatArray());
                    }
                });
            }
        }, 150);
    }

    public sealed record MlpCase(int Batch, int N0, int N1, int N2, Activation Hidden, Activation Out, int LossKind, int Seed)
    {
        public override string ToString() => $"({Batch}, {N0}-{N1}-{N2}) {Hidden}/{Out} loss {LossKind} seed {Seed}";
    }

    /// <summary>
    /// Batches up to 64 and widths up to 48: hidden layers of up to 3072 elements, several fused bands. Loss 3 is a
    /// classifier head: softmax cross-entropy of the outputs (as logits, N2 classes) against labels.
    /// </summary>
    private static readonly Arbitrary<MlpCase> Mlps = Arb.From(
        from batch in Gen.Choose(1, 64)
        from n0 in Gen.Choose(1, 12)
        from n1 in Gen.Choose(1, 48)
        from n2 in Gen.Choose(1, 5)
        from hidden in Gen.Elements(Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.Identity)
        from output in Gen.Elements(Activation.Sigmoid, Activation.Identity)
        from loss in Gen.Choose(0, 3)
        from seed in Gen.Choose(0, 1000)
        select new MlpCase(batch, n0, n1, n2, hidden, output, loss, seed));

    /// <summary>
    /// The case's loss; for the classifier head (3) the target is an N×1 tensor of class indices, which the compiled
    /// step reads as its input (<c>CrossEntropyOfLabels</c>) and the eager step, by the tape's other path, as an int[].
    /// </summary>
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

    private static void MlpTrainsToTheEagerBits<T>(MlpCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Mlp<T> Make() => new([c.N0, c.N1, c.N2], [c.Hidden, c.Out], new Random(c.Seed));
        var random = new Random(c.Seed + 1);
        var batches = Enumerable.Range(0, 3).Select(_ => (
            X: Tensor.RandomNormal<T>(c.Batch, c.N0, random),
            Y: Targets<T>(c, random))).ToArray();
        foreach (int threads in new[] { 1, 2 })
        {
            AtThreads(threads, () =>
            {
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
            });
        }
    }

    [Fact]
    public void Random_mlps_trained_by_a_compiled_step_with_sgd_match_eager_training_bit_for_bit_in_double() =>
        Properties.Check(Mlps, MlpTrainsToTheEagerBits<double>, 40);

    [Fact]
    public void Random_mlps_trained_by_a_compiled_step_with_sgd_match_eager_training_bit_for_bit_in_float() =>
        Properties.Check(Mlps, MlpTrainsToTheEagerBits<float>, 40);

    [Fact]
    public void A_compiled_step_with_adam_trains_to_the_eager_bits()
    {
        Mlp<double> Make() => new([6, 20, 2], [Activation.Tanh, Activation.Sigmoid], new Random(3));
        var eager = Make();
        var compiled = Make();
        var eagerAdam = new Adam<double>(eager.Parameters, learningRate: 0.01);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.MeanSquaredError(compiled.Forward(x), y),
            new Adam<double>(compiled.Parameters, learningRate: 0.01));
        var random = new Random(4);
        for (int i = 0; i < 5; i++)
        {
            var x = Tensor.RandomNormal<double>(40, 6, random);
            var y = Tensor.RandomUniform<double>(40, 2, random);
            eagerAdam.ZeroGrad();
            var loss = Loss.MeanSquaredError(eager.Forward(x), y);
            loss.Backward();
            eagerAdam.Step();
            Assert.Equal(loss.Item, step.Run(x, y));
        }
        foreach (var (e, c) in eager.Parameters.Zip(compiled.Parameters))
        {
            Assert.Equal(e.ToFlatArray(), c.ToFlatArray());
        }
    }

    [Fact]
    public void Fusion_changes_no_bit_of_a_wide_mlp_step()
    {
        // 64 × 47 hidden values: 12 bands of 256 elements (the last 192), each chain (bias add, σ; σ′) run band by band,
        // bands cutting rows. (47 columns, not a whole number of vectors: a bias add over whole vectors of columns runs
        // in the product's epilogue instead, CompiledEpilogueTests, and leaves no chain here.)
        var c = new MlpCase(64, 12, 47, 3, Activation.Tanh, Activation.Sigmoid, 0, 7);
        Mlp<double> Make() => new([c.N0, c.N1, c.N2], [c.Hidden, c.Out], new Random(c.Seed));
        var x = Tensor.RandomNormal<double>(c.Batch, c.N0, new Random(1));
        var y = Tensor.RandomUniform<double>(c.Batch, c.N2, new Random(2));
        var fused = Make();
        var unfused = Make();
        var fusedStep = Tensor.Compile((Tensor<double> a, Tensor<double> b) => Loss.HalfSumSquared(fused.Forward(a), b));
        var unfusedStep = Tensor.Compile((Tensor<double> a, Tensor<double> b) => Loss.HalfSumSquared(unfused.Forward(a), b),
            options: new CompileOptions { Fuse = false });
        Assert.Equal(unfusedStep.Run(x, y), fusedStep.Run(x, y));
        Assert.Contains("fused, 12 band(s)", fusedStep.DescribePlan());
        Assert.DoesNotContain("fused", unfusedStep.DescribePlan());
        foreach (var (f, u) in fused.Parameters.Zip(unfused.Parameters))
        {
            Assert.Equal(u.Grad!.ToFlatArray(), f.Grad!.ToFlatArray());
        }
    }
}
