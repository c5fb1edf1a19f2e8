using System.Numerics;
using AutoGrad.Nn;
using AutoGrad.Tests.Fuzz;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// The compiled step reads every leaf the function reads on every call, whichever of them require a gradient: over
/// random graphs (the fuzzer's generator) with a random subset of the leaves frozen, and random MLPs with frozen
/// parameters beside a frozen target network, each leaf changed in place (or not) at random between calls, the losses,
/// gradients and trained parameters are the eager bits, in double and float, at 1 and 2 threads, and no frozen leaf
/// gets a gradient.
/// </summary>
public class CompiledFrozenLeafPropertyTests
{
    public sealed record FrozenGraph(GraphFuzzTests.Case Graph, int Seed)
    {
        public override string ToString() => $"{Graph}\n  seed of the frozen subset and the changes: {Seed}";
    }

    private static readonly Arbitrary<FrozenGraph> Graphs = Arb.From(
        from graph in GraphFuzzTests.Graphs.Generator
        from seed in Gen.Choose(0, 1_000_000)
        select new FrozenGraph(graph, seed),
        f => GraphFuzzTests.Graphs.Shrinker(f.Graph).Select(g => f with { Graph = g }));

    /// <summary>
    /// Each leaf is frozen with probability ½; a scalar parameter s scales the loss, so every graph has something to
    /// train. Before the second and third calls each leaf is changed in place with probability ½ (the same change on
    /// the eager and the compiled side).
    /// </summary>
    [Fact]
    public void Random_graphs_with_frozen_leaves_changed_between_calls_give_the_eager_bits()
    {
        Properties.Check(Graphs, f =>
        {
            var c = f.Graph;
            foreach (int threads in new[] { 1, 2 })
            {
                CompiledEquivalenceTests.AtThreads(threads, () =>
                {
                    var random = new Random(f.Seed);
                    bool[] frozen = c.Values.Select(_ => random.Next(2) == 0).ToArray();
                    Tensor<double>[] Leaves() => c.Values.Select((m, i) => m.ToTensor(requiresGrad: !frozen[i], name: $"x{i}")).ToArray();
                    var (eager, compiled) = (Leaves(), Leaves());
                    var (eagerS, s) = (Tensor.Scalar(0.75, requiresGrad: true, name: "s"), Tensor.Scalar(0.75, requiresGrad: true, name: "s"));
                    var step = Tensor.Compile((Tensor<double> w) => (c.Expression.Evaluate(compiled, []) * w).Sum() * s);
                    for (int call = 0; call < 3; call++)
                    {
                        if (call > 0)
                        {
                            using var noGrad = Tensor.NoGrad();
                            for (int i = 0; i < eager.Length; i++)
                            {
                                if (random.Next(2) == 0)
                                {
                                    double a = -0.7 + 0.2 * call, b = 0.05 * i;
                                    eager[i].CopyFrom(eager[i].ToFlatArray().Select(v => a * v + b).ToArray());
                                    compiled[i].CopyFrom(compiled[i].ToFlatArray().Select(v => a * v + b).ToArray());
                                }
                            }
                        }
                        var w = CompiledEquivalenceTests.Weights<double>(c.Expression.Shape, call);
                        var loss = (c.Expression.Evaluate(eager, []) * w).Sum() * eagerS;
                        loss.Backward();
                        Assert.Equal(loss.Item, step.Run(w));
                    }
                    Assert.Equal(eagerS.Grad!.ToFlatArray(), s.Grad!.ToFlatArray());
                    for (int i = 0; i < eager.Length; i++)
                    {
                        Assert.Equal(eager[i].Grad?.ToFlatArray(), compiled[i].Grad?.ToFlatArray());
                        if (frozen[i])
                        {
                            Assert.Null(compiled[i].Grad);
                        }
                    }
                    Assert.Equal(1, step.TraceCount);
                });
            }
        }, 150);
    }

    public sealed record FrozenMlp(int Batch, int N0, int N1, int N2, Activation Hidden, int FrozenMask, int Seed)
    {
        public override string ToString() => $"({Batch}, {N0}-{N1}-{N2}) {Hidden}, frozen parameters {Convert.ToString(FrozenMask, 2).PadLeft(4, '0')} (W0 b0 W1 b1 from the right), seed {Seed}";
    }

    private static readonly Arbitrary<FrozenMlp> Mlps = Arb.From(
        from batch in Gen.Choose(1, 40)
        from n0 in Gen.Choose(1, 10)
        from n1 in Gen.Choose(1, 40)
        from n2 in Gen.Choose(1, 4)
        from hidden in Gen.Elements(Activation.Sigmoid, Activation.Tanh, Activation.Relu)
        from mask in Gen.Choose(0, 14) // never all four frozen: something to train
        from seed in Gen.Choose(0, 1000)
        select new FrozenMlp(batch, n0, n1, n2, hidden, mask, seed));

    /// <summary>
    /// A network trained with SGD toward a frozen target network (the loss is the squared distance of their outputs)
    /// while some of its own parameters are frozen too. After each step the target moves toward the network (an
    /// average, written with CopyFrom) and the frozen parameters are changed at random (Fill or CopyFrom, or not).
    /// </summary>
    private static void TrainsLikeEagerWithFrozenLeaves<T>(FrozenMlp c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Mlp<T> Make(int seed) => new([c.N0, c.N1, c.N2], [c.Hidden, Activation.Identity], new Random(seed));
        var random = new Random(c.Seed + 1);
        var batches = Enumerable.Range(0, 3).Select(_ => Tensor.RandomNormal<T>(c.Batch, c.N0, random)).ToArray();
        foreach (int threads in new[] { 1, 2 })
        {
            CompiledEquivalenceTests.AtThreads(threads, () =>
            {
                var (eager, eagerTarget, compiled, target) = (Make(c.Seed), Make(c.Seed + 7), Make(c.Seed), Make(c.Seed + 7));
                foreach (var t in eagerTarget.Parameters.Concat(target.Parameters))
                {
                    t.RequiresGrad = false;
                }
                foreach (var model in new[] { eager, compiled })
                {
                    foreach (var (t, i) in model.Parameters.Select((t, i) => (t, i)))
                    {
                        t.RequiresGrad = (c.FrozenMask >> i & 1) == 0;
                    }
                }
                var eagerSgd = new Sgd<T>(eager.Parameters.Where(t => t.RequiresGrad), T.CreateChecked(0.1));
                var step = Tensor.Compile((Tensor<T> x) => LossOf(x, compiled, target), new Sgd<T>(compiled.Parameters.Where(t => t.RequiresGrad), T.CreateChecked(0.1)));
                var changes = new Random(c.Seed + 2);
                foreach (var x in batches)
                {
                    eagerSgd.ZeroGrad();
                    var loss = LossOf(x, eager, eagerTarget);
                    loss.Backward();
                    eagerSgd.Step();
                    Assert.Equal(loss.Item, step.Run(x));

                    int change = changes.Next(3);
                    T value = T.CreateChecked(changes.NextDouble() - 0.5);
                    foreach (var (model, targetModel) in new[] { (eager, eagerTarget), (compiled, target) })
                    {
                        foreach (var (t, o) in targetModel.Parameters.Zip(model.Parameters))
                        {
                            t.CopyFrom((t * 0.75 + o.Detach() * 0.25).ToFlatArray());
                        }
                        foreach (var t in model.Parameters.Where(t => !t.RequiresGrad))
                        {
                            if (change == 1)
                            {
                                t.Fill(value);
                            }
                            else if (change == 2)
                            {
                                t.CopyFrom(t.ToFlatArray().Select(v => v * value).ToArray());
                            }
                        }
                    }
                }
                foreach (var (e, p) in eager.Parameters.Concat(eagerTarget.Parameters).Zip(compiled.Parameters.Concat(target.Parameters)))
                {
                    Assert.Equal(e.ToFlatArray(), p.ToFlatArray());
                    Assert.Equal(e.Grad?.ToFlatArray(), p.Grad?.ToFlatArray());
                    if (!p.RequiresGrad)
                    {
                        Assert.Null(p.Grad);
                    }
                }
                Assert.Equal(1, step.TraceCount);
            });
        }
    }

    /// <summary>
    /// The squared distance to the target's output, weighted by a gate computed from the frozen tensors alone (the
    /// target's parameters and the network's frozen ones): operations none of whose operands requires a gradient, which
    /// the loss and every gradient depend on.
    /// </summary>
    private static Tensor<T> LossOf<T>(Tensor<T> x, Mlp<T> model, Mlp<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var frozen = target.Parameters.Concat(model.Parameters.Where(t => !t.RequiresGrad)).Select(t => t.Sum()).ToArray();
        var gate = (Tensor.Concat(frozen, 0).Sum() * 0.05).Tanh() + 1.0;
        return Loss.MeanSquaredError(model.Forward(x), target.Forward(x)) * gate;
    }

    [Fact]
    public void Random_mlps_with_frozen_parameters_and_a_moving_target_network_train_to_the_eager_bits_in_double() =>
        Properties.Check(Mlps, TrainsLikeEagerWithFrozenLeaves<double>, 30);

    [Fact]
    public void Random_mlps_with_frozen_parameters_and_a_moving_target_network_train_to_the_eager_bits_in_float() =>
        Properties.Check(Mlps, TrainsLikeEagerWithFrozenLeaves<float>, 30);
}

/// <summary>Reading the frozen leaves on every call costs no allocation: a step beside a frozen target network allocates nothing.</summary>
[Collection(nameof(ProcessWideState))]
public class CompiledFrozenLeafAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_step_reading_a_frozen_target_network_allocates_nothing(int threads)
    {
        var online = new Mlp<double>([16, 32, 4], [Activation.Tanh, Activation.Identity], new Random(1));
        var target = new Mlp<double>([16, 32, 4], [Activation.Tanh, Activation.Identity], new Random(2));
        foreach (var t in target.Parameters)
        {
            t.RequiresGrad = false;
        }
        var frozenScale = Tensor.Full(1, 4, 0.5, name: "scale");
        var step = Tensor.Compile((Tensor<double> x) =>
            Loss.MeanSquaredError(online.Forward(x), target.Forward(x) * (frozenScale * 2.0)), new Sgd<double>(online.Parameters, 0.01));
        var x = Tensor.RandomNormal<double>(32, 16, new Random(3));
        CompiledEquivalenceTests.AtThreads(threads, () =>
        {
            long bytes = CompiledAllocationTests.AllocatedPerCall(() => step.Run(x), out string windows);
            Assert.True(bytes == 0, $"{bytes} bytes per call; {windows}");
        });
        Assert.Contains("scale", step.DescribePlan()); // the frozen scale is read by a step of the plan
    }
}
