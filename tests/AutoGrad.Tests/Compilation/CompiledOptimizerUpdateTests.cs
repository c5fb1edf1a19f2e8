using System.Numerics;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A compiled step given one of the library's optimizers runs the update inside its plan, on the gradients it just
/// computed (no ZeroGrad, no Step call). It must leave the parameters, their gradients and the losses exactly as
/// <c>optimizer.ZeroGrad(); loss.Backward(); optimizer.Step()</c> does, step after step (so the optimizer's state —
/// momentum buffers, moments, step counts — evolves alike): Sgd with momentum, dampening, Nesterov and weight decay,
/// Adam and AdamW with and without AMSGrad, a learning rate changed between steps, an optimizer over only some of the
/// traced parameters plus one the function never uses.
/// </summary>
public class CompiledOptimizerUpdateTests
{
    public sealed record UpdateCase(int Kind, double Momentum, double Dampening, bool Nesterov, double WeightDecay, bool AmsGrad,
        bool Subset, int Batch, int N1, int Seed)
    {
        public override string ToString() =>
            $"{(Kind == 0 ? "Sgd" : Kind == 1 ? "Adam" : "AdamW")} μ={Momentum} τ={Dampening} nesterov={Nesterov} λ={WeightDecay} " +
            $"ams={AmsGrad} subset={Subset} batch={Batch} n1={N1} seed={Seed}";
    }

    private static readonly Arbitrary<UpdateCase> Cases = Arb.From(
        from kind in Gen.Choose(0, 2)
        from momentum in Gen.Elements(0.0, 0.5, 0.9)
        from dampening in Gen.Elements(0.0, 0.0, 0.3)
        from nesterov in Gen.Elements(false, true)
        from decay in Gen.Elements(0.0, 0.01, 0.2)
        from ams in Gen.Elements(false, true)
        from subset in Gen.Elements(false, false, true)
        from batch in Gen.Choose(1, 40)
        from n1 in Gen.Choose(1, 40)
        from seed in Gen.Choose(0, 1000)
        select new UpdateCase(kind, momentum, nesterov && momentum > 0 ? 0 : dampening, nesterov && momentum > 0, decay, ams, subset, batch, n1, seed));

    private static Optimizer<T> Make<T>(UpdateCase c, IEnumerable<Tensor<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T> => c.Kind switch
    {
        0 => new Sgd<T>(parameters, 0.05, c.Momentum, c.Dampening, c.WeightDecay, c.Nesterov),
        1 => new Adam<T>(parameters, 0.01, weightDecay: c.WeightDecay, amsGrad: c.AmsGrad),
        _ => new AdamW<T>(parameters, 0.01, weightDecay: c.WeightDecay, amsGrad: c.AmsGrad),
    };

    private static void UpdatesToTheEagerBits<T>(UpdateCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (Mlp<T> Model, Tensor<T> Unused, Optimizer<T> Optimizer) Build()
        {
            var model = new Mlp<T>([5, c.N1, 3], [Activation.Tanh, Activation.Sigmoid], new Random(c.Seed));
            // A parameter the loss never reads: ZeroGrad clears its gradient, so Step must skip it.
            var unused = Tensor.RandomNormal<T>(2, 2, new Random(c.Seed + 5), requiresGrad: true);
            unused.Grad = Tensor.RandomNormal<T>(2, 2, new Random(c.Seed + 6));
            IEnumerable<Tensor<T>> updated = c.Subset ? model.Layers[1].Parameters : model.Parameters;
            return (model, unused, Make<T>(c, updated.Append(unused)));
        }
        var random = new Random(c.Seed + 1);
        var batches = Enumerable.Range(0, 4).Select(_ => (
            X: Tensor.RandomNormal<T>(c.Batch, 5, random),
            Y: Tensor.RandomUniform<T>(c.Batch, 3, random))).ToArray();
        var (eager, eagerUnused, eagerOptimizer) = Build();
        var (compiled, compiledUnused, compiledOptimizer) = Build();
        var step = Tensor.Compile((Tensor<T> x, Tensor<T> y) => Loss.MeanSquaredError(compiled.Forward(x), y), compiledOptimizer);
        for (int i = 0; i < batches.Length; i++)
        {
            var (x, y) = batches[i];
            eagerOptimizer.LearningRate = compiledOptimizer.LearningRate = 0.05 / (1 + i); // a schedule between steps
            eagerOptimizer.ZeroGrad();
            var loss = Loss.MeanSquaredError(eager.Forward(x), y);
            loss.Backward();
            eagerOptimizer.Step();
            Assert.Equal(loss.Item, step.Run(x, y));
            foreach (var (e, p) in eager.Parameters.Zip(compiled.Parameters))
            {
                Assert.Equal(e.ToFlatArray(), p.ToFlatArray());
                Assert.Equal(e.Grad!.ToFlatArray(), p.Grad!.ToFlatArray());
            }
            Assert.Null(eagerUnused.Grad);
            Assert.Null(compiledUnused.Grad);
            Assert.Equal(eagerUnused.ToFlatArray(), compiledUnused.ToFlatArray());
        }
        Assert.Contains(" update of ", step.DescribePlan()); // the update ran inside the plan, not through Step
    }

    [Fact]
    public void A_compiled_update_leaves_parameters_and_gradients_as_the_optimizers_step_in_double() =>
        Properties.Check(Cases, UpdatesToTheEagerBits<double>, 60);

    [Fact]
    public void A_compiled_update_leaves_parameters_and_gradients_as_the_optimizers_step_in_float() =>
        Properties.Check(Cases, UpdatesToTheEagerBits<float>, 40);

    /// <summary>
    /// Gradients the plan cannot write in place — one tensor that is the gradient of two parameters (p + q passes the
    /// same gradient to both), a gradient that is a constant of the trace (Σ p) — are copied into the parameters' Grad.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Shared_and_constant_gradients_are_copied_and_updated_as_step_does(int function)
    {
        Tensor<double> Loss(Tensor<double> x, Tensor<double> p, Tensor<double> q) => function == 0
            ? (x * (p + q)).Sum()
            : (p.Sum() + (x * q).Sum()).Square();
        (Tensor<double> P, Tensor<double> Q, Sgd<double> Sgd) Make()
        {
            var p = Tensor.RandomNormal<double>(2, 3, new Random(1), requiresGrad: true);
            var q = Tensor.RandomNormal<double>(2, 3, new Random(2), requiresGrad: true);
            return (p, q, new Sgd<double>([p, q], 0.1, momentum: 0.9, weightDecay: 0.05));
        }
        var (ep, eq, eagerSgd) = Make();
        var (cp, cq, compiledSgd) = Make();
        var step = Tensor.Compile((Tensor<double> x) => Loss(x, cp, cq), compiledSgd);
        var random = new Random(3);
        for (int i = 0; i < 3; i++)
        {
            var x = Tensor.RandomNormal<double>(2, 3, random);
            eagerSgd.ZeroGrad();
            var loss = Loss(x, ep, eq);
            loss.Backward();
            eagerSgd.Step();
            Assert.Equal(loss.Item, step.Run(x));
            Assert.Equal(ep.ToFlatArray(), cp.ToFlatArray());
            Assert.Equal(eq.ToFlatArray(), cq.ToFlatArray());
            Assert.Equal(ep.Grad!.ToFlatArray(), cp.Grad!.ToFlatArray());
            Assert.Equal(eq.Grad!.ToFlatArray(), cq.Grad!.ToFlatArray());
        }
        Assert.Contains(step.DescribePlan().Split('\n'), line => line.Contains(".Grad = ", StringComparison.Ordinal) && !line.Contains("in place", StringComparison.Ordinal));
    }

    /// <summary>An optimizer written outside the library: the compiled step calls its ZeroGrad and Step around the plan.</summary>
    private sealed class HalvingOptimizer(IEnumerable<Tensor<double>> parameters) : Optimizer<double>("Halving", parameters, 0.5)
    {
        public int Steps { get; private set; }

        public override void Step()
        {
            Steps++;
            foreach (var p in Parameters)
            {
                if (p.Grad is { } g)
                {
                    double[] values = p.ToFlatArray(), gradient = g.ToFlatArray();
                    using (Tensor.NoGrad())
                    {
                        p.CopyFrom(values.Select((v, k) => v - LearningRate * gradient[k]).ToArray());
                    }
                }
            }
        }
    }

    [Fact]
    public void An_optimizer_derived_outside_the_library_is_stepped_after_the_plan_as_before()
    {
        var eager = new Mlp<double>([3, 4, 1], [Activation.Tanh, Activation.Identity], new Random(2));
        var compiled = new Mlp<double>([3, 4, 1], [Activation.Tanh, Activation.Identity], new Random(2));
        var eagerOptimizer = new HalvingOptimizer(eager.Parameters);
        var compiledOptimizer = new HalvingOptimizer(compiled.Parameters);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.HalfSumSquared(compiled.Forward(x), y), compiledOptimizer);
        var random = new Random(3);
        for (int i = 0; i < 3; i++)
        {
            var x = Tensor.RandomNormal<double>(2, 3, random);
            var y = Tensor.RandomNormal<double>(2, 1, random);
            eagerOptimizer.ZeroGrad();
            var loss = Loss.HalfSumSquared(eager.Forward(x), y);
            loss.Backward();
            eagerOptimizer.Step();
            Assert.Equal(loss.Item, step.Run(x, y));
        }
        Assert.Equal(3, compiledOptimizer.Steps);
        Assert.DoesNotContain(" update of ", step.DescribePlan());
        foreach (var (e, p) in eager.Parameters.Zip(compiled.Parameters))
        {
            Assert.Equal(e.ToFlatArray(), p.ToFlatArray());
        }
    }
}
