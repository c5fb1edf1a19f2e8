using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A tensor that requires no gradient and lives outside the compiled function — a frozen weight, a target network, a
/// constant built once — is read on every call, also when the function reaches it only through operations whose
/// operands all require no gradient (<c>w.Transpose()</c>, <c>w * 2</c>, <c>c * c</c>) or inside a <c>NoGrad</c> block:
/// the trace records every operation. Each case compiles, changes the leaf in place (<c>CopyFrom</c>, <c>Fill</c>, a
/// safetensors load, another optimizer), calls again and compares with the eager function's bits; the frozen leaf
/// never gets a gradient.
/// </summary>
public class CompiledFrozenLeafTests
{
    private static Tensor<double> Param(int rows, int cols, int seed, string name) =>
        Tensor.RandomNormal<double>(rows, cols, new Random(seed), requiresGrad: true, name: name);

    private static Tensor<double> Frozen(int rows, int cols, int seed, string name) =>
        Tensor.RandomNormal<double>(rows, cols, new Random(seed), name: name);

    private static Tensor<double> Data(int rows, int cols, int seed) => Tensor.RandomNormal<double>(rows, cols, new Random(seed));

    /// <summary>
    /// Calls the compiled step and the eager function (on twins of the parameters) <paramref name="calls"/> times,
    /// changing the frozen leaves of both by <paramref name="change"/> before every call but the first; the losses and the
    /// parameters' gradients must be the same bits and the frozen leaves must get no gradient.
    /// </summary>
    private static void MatchesEager(Func<Tensor<double>, Tensor<double>, Tensor<double>, Tensor<double>> loss,
        Action<Tensor<double>, int> change, int calls = 3)
    {
        var (eagerP, eagerF) = (Param(3, 2, 1, "p"), Frozen(3, 2, 2, "w"));
        var (p, f) = (Param(3, 2, 1, "p"), Frozen(3, 2, 2, "w"));
        var step = Tensor.Compile((Tensor<double> x) => loss(x, p, f));
        var x = Data(4, 3, 3);
        for (int call = 0; call < calls; call++)
        {
            if (call > 0)
            {
                change(eagerF, call);
                change(f, call);
            }
            var eager = loss(x, eagerP, eagerF);
            eager.Backward();
            Assert.Equal(eager.Item, step.Run(x));
            Assert.Equal(eagerP.Grad!.ToFlatArray(), p.Grad!.ToFlatArray());
        }
        Assert.Null(f.Grad);
        Assert.Equal(1, step.TraceCount);
    }

    private static void CopyIn(Tensor<double> w, int call) => w.CopyFrom(w.ToFlatArray().Select(v => -0.5 * v + 0.25 * call).ToArray());

    [Fact]
    public void A_frozen_weight_reached_through_its_transpose_is_read_on_every_call() =>
        MatchesEager((x, p, w) => (x.MatMul(w.Transpose().Transpose()).Tanh() * p.Sum()).Sum(), CopyIn);

    [Fact]
    public void A_frozen_weight_scaled_by_a_number_is_read_on_every_call() =>
        MatchesEager((x, p, w) => (x.MatMul(p) * (w * 2.0).Sum()).Sum(), CopyIn);

    [Fact]
    public void A_frozen_weight_filled_is_read_on_every_call() =>
        MatchesEager((x, p, w) => x.MatMul(p + w.Square()).Sigmoid().Sum(), (w, call) => w.Fill(0.125 * call));

    [Fact]
    public void A_constant_built_outside_and_combined_with_itself_is_read_on_every_call()
    {
        var c = Frozen(1, 2, 5, "c"); // built once, outside the function
        var p = Param(3, 2, 1, "p");
        var step = Tensor.Compile((Tensor<double> x) => (x.MatMul(p) + (c * c + c)).Sum());
        var x = Data(4, 3, 3);
        step.Run(x);
        c.CopyFrom([3.0, -4.0]);
        Assert.Equal((x.MatMul(p) + (c * c + c)).Sum().Item, step.Run(x));
        Assert.Null(c.Grad);
    }

    [Fact]
    public void The_gradient_that_multiplies_by_a_frozen_weight_is_computed_from_its_new_values()
    {
        // ∂L/∂p = g ⊙ w: computed by the backward pass from two tensors that require no gradient
        MatchesEager((x, p, w) => (p * w).Sum(), CopyIn);
        MatchesEager((x, p, w) => (x.MatMul(p.Hadamard(w.Exp()))).Square().Sum(), CopyIn);
    }

    [Fact]
    public void A_compiled_forward_reads_a_frozen_weight_on_every_call()
    {
        var w = Frozen(3, 2, 2, "w");
        var f = Tensor.CompileForward((Tensor<double> x) => x.MatMul(w.Transpose().Transpose() * 0.5).Relu());
        var x = Data(4, 3, 3);
        f.Run(x);
        w.Fill(-1.5);
        Assert.Equal(x.MatMul(w.Transpose().Transpose() * 0.5).Relu().ToFlatArray(), f.Run(x).ToFlatArray());
    }

    [Fact]
    public void A_frozen_layer_loaded_from_a_safetensors_file_after_compiling_is_used()
    {
        var frozen = new Linear<double>(3, 4, new Random(1), name: "frozen");
        var head = new Linear<double>(4, 1, new Random(2), name: "head");
        foreach (var t in frozen.Parameters)
        {
            t.RequiresGrad = false;
        }
        // the frozen layer's output scaled by its weights' root mean square: an operation on frozen tensors alone
        Tensor<double> Features(Tensor<double> x) => (frozen.Forward(x) * frozen.Weight.Square().Mean().Sqrt()).Tanh();
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.MeanSquaredError(head.Forward(Features(x)), y));
        var (x, y) = (Data(5, 3, 3), Data(5, 1, 4));
        step.Run(x, y);

        var trained = new Linear<double>(3, 4, new Random(9), name: "frozen");
        string path = Path.Combine(Path.GetTempPath(), $"autograd-frozen-{Guid.NewGuid():N}.safetensors");
        try
        {
            trained.Save(path);
            frozen.Load(path); // into the existing tensors, in place
        }
        finally
        {
            File.Delete(path);
        }
        head.ZeroGrad();
        var eager = Loss.MeanSquaredError(head.Forward(Features(x)), y);
        eager.Backward();
        var eagerGrad = head.Weight.Grad!.ToFlatArray();
        head.ZeroGrad();
        Assert.Equal(eager.Item, step.Run(x, y));
        Assert.Equal(eagerGrad, head.Weight.Grad!.ToFlatArray());
        Assert.All(frozen.Parameters, t => Assert.Null(t.Grad));
    }

    [Fact]
    public void A_target_network_updated_as_an_average_of_the_online_one_is_read_on_every_call()
    {
        // the target's leaves require no gradient; after each step they move toward the online network's (EMA)
        Mlp<double> Make(int seed) => new([3, 5, 2], [Activation.Tanh, Activation.Identity], new Random(seed));
        var (eagerOnline, eagerTarget, online, target) = (Make(1), Make(2), Make(1), Make(2));
        foreach (var t in eagerTarget.Parameters.Concat(target.Parameters))
        {
            t.RequiresGrad = false;
        }
        var eagerSgd = new Sgd<double>(eagerOnline.Parameters, 0.1);
        var step = Tensor.Compile((Tensor<double> x) => Loss.MeanSquaredError(online.Forward(x), target.Forward(x)),
            new Sgd<double>(online.Parameters, 0.1));
        var random = new Random(5);
        for (int i = 0; i < 4; i++)
        {
            var x = Tensor.RandomNormal<double>(6, 3, random);
            eagerSgd.ZeroGrad();
            var loss = Loss.MeanSquaredError(eagerOnline.Forward(x), eagerTarget.Forward(x));
            loss.Backward();
            eagerSgd.Step();
            Assert.Equal(loss.Item, step.Run(x));
            Average(eagerTarget, eagerOnline);
            Average(target, online);
        }
        Assert.Equal(eagerTarget.Parameters.SelectMany(t => t.ToFlatArray()), target.Parameters.SelectMany(t => t.ToFlatArray()));
        Assert.Equal(eagerOnline.Parameters.SelectMany(t => t.ToFlatArray()), online.Parameters.SelectMany(t => t.ToFlatArray()));
        Assert.All(target.Parameters, t => Assert.Null(t.Grad));

        static void Average(Mlp<double> target, Mlp<double> online)
        {
            foreach (var (t, o) in target.Parameters.Zip(online.Parameters))
            {
                t.CopyFrom((t * 0.9 + o.Detach() * 0.1).ToFlatArray());
            }
        }
    }

    [Fact]
    public void A_parameter_read_under_no_grad_in_the_function_is_read_on_every_call_and_gets_no_gradient_from_it()
    {
        // w is trained by another optimizer (another parameter group); the compiled step reads it only under NoGrad
        Tensor<double> Loss(Tensor<double> x, Tensor<double> p, Tensor<double> w)
        {
            Tensor<double> target;
            using (Tensor.NoGrad())
            {
                target = x.MatMul(w).Sigmoid();
            }
            return (x.MatMul(p) - target).Square().Sum();
        }
        var (eagerP, eagerW) = (Param(3, 2, 1, "p"), Param(3, 2, 2, "w"));
        var (p, w) = (Param(3, 2, 1, "p"), Param(3, 2, 2, "w"));
        var (eagerOther, other) = (new Sgd<double>([eagerW], 0.3), new Sgd<double>([w], 0.3));
        var step = Tensor.Compile((Tensor<double> x) => Loss(x, p, w));
        var x = Data(4, 3, 3);
        for (int call = 0; call < 3; call++)
        {
            eagerOther.ZeroGrad();
            other.ZeroGrad();
            var eager = Loss(x, eagerP, eagerW);
            eager.Backward();
            Assert.Equal(eager.Item, step.Run(x));
            Assert.Equal(eagerP.Grad!.ToFlatArray(), p.Grad!.ToFlatArray());
            Assert.Null(w.Grad);
            // the other group's step: its own loss, its own optimizer
            foreach (var (opt, ww) in new[] { (eagerOther, eagerW), (other, w) })
            {
                x.MatMul(ww).Sin().Sum().Backward();
                opt.Step();
            }
            Assert.Equal(eagerW.ToFlatArray(), w.ToFlatArray());
        }
        Assert.Equal(1, step.TraceCount);
    }

    [Fact]
    public void Values_computed_under_no_grad_in_the_function_follow_the_input_and_a_checked_call_agrees()
    {
        var w = Param(2, 1, 1, "W");
        var step = Tensor.Compile((Tensor<double> x) =>
        {
            Tensor<double> scaled;
            using (Tensor.NoGrad())
            {
                scaled = x * 2.0;
            }
            return scaled.MatMul(w).Sum();
        }, options: new CompileOptions { CheckEachCall = true });
        step.Run(Data(3, 2, 2));
        var x = Data(3, 2, 3);
        Assert.Equal((x * 2.0).MatMul(w).Sum().Item, step.Run(x)); // the checked call throws if they differ
    }

    [Fact]
    public void Unfreezing_a_leaf_reached_only_through_operations_on_frozen_tensors_traces_again_and_gives_it_a_gradient()
    {
        var (eagerP, eagerW) = (Param(3, 2, 1, "p"), Frozen(2, 3, 2, "w"));
        var (p, w) = (Param(3, 2, 1, "p"), Frozen(2, 3, 2, "w"));
        Tensor<double> Loss(Tensor<double> x, Tensor<double> pp, Tensor<double> ww) => (x.MatMul(pp) * x.MatMul(ww.Transpose())).Sum();
        var step = Tensor.Compile((Tensor<double> x) => Loss(x, p, w));
        var x = Data(4, 3, 3);
        step.Run(x);
        Loss(x, eagerP, eagerW).Backward();
        eagerW.RequiresGrad = true;
        w.RequiresGrad = true;
        var eager = Loss(x, eagerP, eagerW);
        eager.Backward();
        Assert.Equal(eager.Item, step.Run(x));
        Assert.Equal(2, step.TraceCount);
        Assert.Equal(eagerW.Grad!.ToFlatArray(), w.Grad!.ToFlatArray());
        Assert.Equal(eagerP.Grad!.ToFlatArray(), p.Grad!.ToFlatArray());
    }

    [Fact]
    public void A_result_of_frozen_tensors_the_function_writes_into_or_makes_trainable_is_a_leaf_as_in_the_eager_function()
    {
        var w = Frozen(3, 2, 2, "w");
        var p = Param(3, 2, 1, "p");
        Tensor<double>? madeTrainable = null;
        var step = Tensor.Compile((Tensor<double> x) =>
        {
            var mask = w * 0.0; // a leaf outside a trace, so it may be written
            mask.Fill(1.0);
            var extra = w.Transpose();
            extra.RequiresGrad = true; // outside a trace a trainable leaf: a parameter of the step
            madeTrainable = extra;
            return (x.MatMul(p * mask) + x.MatMul(extra.Transpose())).Sum();
        });
        var x = Data(4, 3, 3);
        step.Run(x);
        Assert.Contains(madeTrainable!, step.Parameters);
        Assert.NotNull(madeTrainable!.Grad);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void A_function_whose_loss_is_computed_under_no_grad_is_refused_as_having_nothing_to_train()
    {
        var p = Param(3, 2, 1, "p");
        var step = Tensor.Compile((Tensor<double> x) =>
        {
            using (Tensor.NoGrad())
            {
                return x.MatMul(p).Sum();
            }
        });
        var error = Assert.Throws<InvalidOperationException>(() => step.Run(Data(4, 3, 3)));
        Assert.Contains("nothing the loss depends on requires a gradient", error.Message);
        Assert.Null(p.Grad);
    }

    [Fact]
    public void A_value_read_from_the_data_inside_the_function_stays_frozen()
    {
        // the documented limit that remains: Item is read outside the tape
        var w = Frozen(1, 1, 2, "w");
        var p = Param(1, 1, 1, "p");
        var step = Tensor.Compile((Tensor<double> x) => (x * p * Tensor.Scalar(w.Item)).Sum());
        var x = Data(2, 1, 3);
        double first = step.Run(x);
        w.Fill(100.0);
        Assert.Equal(first, step.Run(x));
        Assert.NotEqual((x * p * w).Sum().Item, step.Run(x));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Values_built_from_the_traces_own_constants_alone_stay_constants_of_the_plan(int loss)
    {
        // the seed's broadcasts and scalings (Mean's 1/N, a loss's ½): computed again by every eager call, the same;
        // the plan keeps them as traced, as before tracing recorded every operation, so no step reads only constants
        var model = new Mlp<double>([4, 8, 3], [Activation.Tanh, Activation.Sigmoid], new Random(1));
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => loss switch
        {
            0 => Loss.MeanSquaredError(model.Forward(x), y),
            1 => Loss.HalfSumSquared(model.Forward(x), y),
            2 => Loss.CrossEntropy(model.Forward(x), [0, 2, 1, 1, 0]),
            _ => Loss.BinaryCrossEntropyWithLogits(model.Forward(x), y),
        }, new Adam<double>(model.Parameters));
        step.Run(Data(5, 4, 2), Tensor.RandomUniform<double>(5, 3, new Random(3)));
        var steps = step.LatestPlan!.Steps.SelectMany(s => s is AutoGrad.Compilation.FusedStep<double> f ? f.Chain.AsEnumerable() : [s]);
        bool IsConstant(AutoGrad.Compilation.PlanBuffer<double> b) => System.Text.RegularExpressions.Regex.IsMatch(b.Label, "^c[0-9]+$|^onehot");
        Assert.DoesNotContain(steps, s => s.Reads.Length > 0 && s.Reads.All(IsConstant));
        Assert.Contains(steps, s => s.Reads.Any(IsConstant)); // the test sees the constants it means
    }

    [Fact]
    public void A_detached_result_follows_each_calls_values_and_passes_no_gradient()
    {
        // a stop-gradient target computed from the parameter itself: it changes with every update of p
        Tensor<double> Loss(Tensor<double> x, Tensor<double> p) => (x.MatMul(p) - (x.MatMul(p).Detach() * 0.5).Tanh()).Square().Sum();
        var (eagerP, p) = (Param(3, 2, 1, "p"), Param(3, 2, 1, "p"));
        var eagerSgd = new Sgd<double>([eagerP], 0.05);
        var step = Tensor.Compile((Tensor<double> x) => Loss(x, p), new Sgd<double>([p], 0.05));
        var random = new Random(4);
        for (int i = 0; i < 3; i++)
        {
            var x = Tensor.RandomNormal<double>(4, 3, random);
            eagerSgd.ZeroGrad();
            var eager = Loss(x, eagerP);
            eager.Backward();
            eagerSgd.Step();
            Assert.Equal(eager.Item, step.Run(x));
            Assert.Equal(eagerP.Grad!.ToFlatArray(), p.Grad!.ToFlatArray());
            Assert.Equal(eagerP.ToFlatArray(), p.ToFlatArray());
        }
        Assert.Contains("Detach", step.DescribePlan());
    }

    [Fact]
    public void A_refused_write_into_a_detached_result_inside_the_function_changes_nothing_so_the_detach_still_follows_each_call()
    {
        // The write into x·p's detached copy is refused (it shares the result's memory) — in the eager function and in
        // the trace alike. Before the fix the trace cut the copy from the plan before refusing, so the compiled step
        // kept the traced target while the eager function followed p.
        var refusals = new List<string>();
        Tensor<double> Loss(Tensor<double> x, Tensor<double> p)
        {
            var target = x.MatMul(p).Detach();
            try
            {
                target.Fill(0.0);
            }
            catch (InvalidOperationException error)
            {
                refusals.Add(error.Message);
            }
            return (x.MatMul(p) - (target * 0.5).Tanh()).Square().Sum();
        }
        var (eagerP, p) = (Param(3, 2, 1, "p"), Param(3, 2, 1, "p"));
        var eagerSgd = new Sgd<double>([eagerP], 0.05);
        var step = Tensor.Compile((Tensor<double> x) => Loss(x, p), new Sgd<double>([p], 0.05));
        var random = new Random(4);
        for (int i = 0; i < 3; i++)
        {
            var x = Tensor.RandomNormal<double>(4, 3, random);
            eagerSgd.ZeroGrad();
            var eager = Loss(x, eagerP);
            eager.Backward();
            eagerSgd.Step();
            Assert.Equal(eager.Item, step.Run(x));
            Assert.Equal(eagerP.ToFlatArray(), p.ToFlatArray());
        }
        Assert.NotEmpty(refusals);
        Assert.All(refusals, message => Assert.StartsWith("Fill: ", message));
        Assert.All(refusals, message => Assert.Contains("was detached from the result of MatMul", message));
    }

    [Fact]
    public void A_detached_result_of_frozen_tensors_is_read_on_every_call_and_may_be_written_as_in_the_eager_function()
    {
        MatchesEager((x, p, w) => (x.MatMul(p) * x.MatMul(w).Detach()).Sum(), CopyIn);
        MatchesEager((x, p, w) =>
        {
            var ones = (w * 0.0).Detach(); // a leaf outside a trace, not recorded, so it may be written
            ones.Fill(1.0);
            return (x.MatMul(p * ones) * x.MatMul(w.Detach())).Sum();
        }, CopyIn);
    }

    [Fact]
    public void Inside_a_traced_function_a_result_that_requires_no_gradient_is_a_leaf_as_outside()
    {
        var (w, p) = (Frozen(3, 2, 2, "w"), Param(3, 2, 1, "p"));
        var seen = new List<bool>();
        var step = Tensor.CompileForward((Tensor<double> x) =>
        {
            var frozen = x.MatMul(w);
            var trained = x.MatMul(p);
            seen.AddRange([frozen.IsLeaf, frozen.RequiresGrad, trained.IsLeaf, trained.Detach().IsLeaf, trained.Detach().RequiresGrad]);
            return frozen + trained;
        });
        step.Run(Data(4, 3, 3));
        Assert.Equal([true, false, false, true, false], seen);
    }

    [Fact]
    public void A_write_the_function_makes_happens_once_at_the_trace_and_a_tensor_it_creates_and_keeps_is_kept_as_traced()
    {
        // two things README's "Limits" says stay as traced
        var side = Frozen(1, 1, 2, "side");
        Tensor<double>? kept = null;
        var p = Param(1, 1, 1, "p");
        var step = Tensor.Compile((Tensor<double> x) =>
        {
            side.Fill(5.0);
            kept ??= Tensor.Scalar(2.0, name: "kept"); // created on the first call only, kept for the next ones
            return (x * p * (kept * 3.0)).Sum(); // kept · 3 is computed from the function's own tensors alone

        });
        var x = Data(3, 1, 3);
        step.Run(x);
        Assert.Equal(5.0, side.Item);
        side.Fill(0.0);
        kept!.Fill(10.0);
        Assert.Equal((x * p * 6.0).Sum().Item, step.Run(x)); // not 30
        Assert.Equal(0.0, side.Item); // not written again
    }
}
