using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Engine;

public class BackwardTests
{
    [Fact]
    public void Gradients_accumulate_across_backward_calls_until_ZeroGrad() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            var x = m.ToTensor();
            Tensor<double> Loss() => (x.Sigmoid() * x).Sum();
            Loss().Backward();
            var once = x.Grad!.ToFlatArray();
            Loss().Backward();
            var twice = x.Grad!.ToFlatArray();
            for (int i = 0; i < once.Length; i++)
            {
                Assert.Equal(2 * once[i], twice[i], 1e-12);
            }
            x.ZeroGrad();
            Assert.Null(x.Grad);
            Loss().Backward();
            Assert.Equal(once, x.Grad!.ToFlatArray());
        });

    [Fact]
    public void Backward_twice_through_the_same_graph_accumulates_the_same_gradient_again_by_design()
    {
        var x = Tensor.Scalar(3.0, requiresGrad: true);
        var y = x * x;
        y.Backward();
        y.Backward();
        Assert.Equal(12.0, x.Grad!.Item);
    }

    [Fact]
    public void A_tensor_used_twice_gets_the_sum_of_both_contributions()
    {
        var x = Tensor.Scalar(3.0, requiresGrad: true);
        (x * x).Backward();
        Assert.Equal(6.0, x.Grad!.Item);
    }

    [Fact]
    public void Fan_out_through_different_paths_sums_the_gradients() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            Properties.AssertGradCheck(x =>
            {
                var a = x[0].Sigmoid();
                var b = x[0].Tanh();
                return (a * b + a.Exp() - x[0]).Sum(1);
            }, m.ToTensor());
        });

    [Fact]
    public void The_same_weight_in_two_layers_gets_the_sum_of_both_layers_gradients()
    {
        var random = new Random(3);
        var w = Tensor.RandomNormal<double>(3, 3, random, requiresGrad: true, name: "W");
        var x = Tensor.RandomNormal<double>(3, 1, random);
        Properties.AssertGradCheck(p => p[0].MatMul(p[0].MatMul(x).Tanh()).Sum(), w);
    }

    [Fact]
    public void Intermediate_results_give_their_gradient_only_when_RetainGrad_was_called()
    {
        var x = Tensor.From(new double[] { 1, 2 }, requiresGrad: true);
        var z = (x * 3.0).RetainGrad();
        var hidden = z.Sigmoid();
        hidden.Sum().Backward();
        Assert.NotNull(z.Grad);
        Assert.Null(hidden.Grad);
        for (int i = 0; i < 2; i++)
        {
            double s = 1 / (1 + Math.Exp(-z[i, 0]));
            Assert.Equal(s * (1 - s), z.Grad![i, 0], 15);
        }
    }

    [Fact]
    public void Backward_of_a_non_scalar_without_a_seed_says_what_to_do()
    {
        var x = Tensor.Zeros<double>(2, 3, requiresGrad: true, name: "x");
        var error = Assert.Throws<InvalidOperationException>(() => (x * 2.0).Backward());
        Assert.Contains("is not a scalar; pass a seed of shape 2×3", error.Message);
    }

    [Fact]
    public void Backward_with_a_seed_of_the_wrong_shape_names_both_shapes()
    {
        var x = Tensor.Zeros<double>(2, 3, requiresGrad: true);
        var error = Assert.Throws<ArgumentException>(() => (x * 2.0).Backward(Tensor.Zeros<double>(3, 2)));
        Assert.Contains("the seed is 3×2 but a 2×3 tensor is 2×3", error.Message);
    }

    [Fact]
    public void Backward_when_nothing_requires_a_gradient_says_so()
    {
        var x = Tensor.Scalar(1.0);
        var error = Assert.Throws<InvalidOperationException>(() => (x * 2.0).Backward());
        Assert.Contains("nothing in the graph", error.Message);
    }

    [Fact]
    public void Nothing_is_recorded_inside_NoGrad_and_recording_resumes_after()
    {
        var x = Tensor.Scalar(2.0, requiresGrad: true);
        Tensor<double> inside;
        using (Tensor.NoGrad())
        {
            inside = x * x;
        }
        Assert.False(inside.RequiresGrad);
        Assert.True(inside.IsLeaf);
        Assert.Throws<InvalidOperationException>(() => inside.Backward());
        var after = x * x;
        Assert.True(after.RequiresGrad);
    }

    [Fact]
    public void Detach_cuts_the_graph_so_no_gradient_flows_through_the_detached_branch()
    {
        var x = Tensor.Scalar(3.0, requiresGrad: true);
        var y = x * x.Detach(); // d/dx = x.Detach() only
        y.Backward();
        Assert.Equal(3.0, x.Grad!.Item);
        Assert.False(x.Detach().RequiresGrad);
    }

    [Fact]
    public void Constants_receive_no_gradient()
    {
        var x = Tensor.Scalar(3.0, requiresGrad: true);
        var c = Tensor.Scalar(5.0);
        (x * c).Backward();
        Assert.Null(c.Grad);
        Assert.Equal(5.0, x.Grad!.Item);
    }

    [Fact]
    public void A_chain_of_100000_operations_back_propagates_without_stack_overflow()
    {
        var x = Tensor.Scalar(1.0, requiresGrad: true);
        var y = x;
        for (int i = 0; i < 100_000; i++)
        {
            y = y + 1e-5;
        }
        y.Backward();
        Assert.Equal(1.0, x.Grad!.Item);
        Assert.Equal(2.0, y.Item, 9);
    }

    [Fact]
    public void Graphs_built_on_8_threads_at_once_do_not_interfere()
    {
        const int Threads = 8;
        var results = new double[Threads][];
        var expected = new double[Threads][];
        for (int t = 0; t < Threads; t++)
        {
            expected[t] = RunOne(t, 0);
        }
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            // every other thread works inside NoGrad for a while: the switch must be per thread
            results[t] = RunOne(t, t % 2 == 0 ? 50 : 0);
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        for (int t = 0; t < Threads; t++)
        {
            Assert.Equal(expected[t], results[t]);
        }

        static double[] RunOne(int seed, int noGradNoise)
        {
            var random = new Random(seed);
            var w = Tensor.RandomNormal<double>(4, 4, random, requiresGrad: true);
            var x = Tensor.RandomNormal<double>(4, 1, random);
            double[] grad = [];
            for (int repeat = 0; repeat < 200; repeat++)
            {
                if (noGradNoise > 0 && repeat % 10 == 0)
                {
                    using (Tensor.NoGrad())
                    {
                        for (int k = 0; k < noGradNoise; k++) _ = w * 2.0;
                    }
                }
                w.ZeroGrad();
                w.MatMul(w.MatMul(x).Sigmoid()).Square().Sum().Backward();
                grad = w.Grad!.ToFlatArray();
            }
            return grad;
        }
    }

    [Fact]
    public void Float_and_double_agree_to_float_precision() =>
        Properties.Check(Gens.MatMulPair(), pair =>
        {
            var ad = pair.A.ToTensor(); var bd = pair.B.ToTensor();
            var af = pair.A.ToFloatTensor(); var bf = pair.B.ToFloatTensor();
            var ld = (ad.MatMul(bd).Sigmoid() * 2.0 - 1.0).Tanh().Square().Mean();
            var lf = (af.MatMul(bf).Sigmoid() * 2f - 1f).Tanh().Square().Mean();
            ld.Backward();
            lf.Backward();
            // Float keeps 24 bits (ε ≈ 6e-8). A pre-activation sums at most 6 products of values ≤ 3, so its
            // rounding error is at most about 6 · 54 · ε ≈ 2e-5 in the worst case and far less typically; sigmoid
            // and tanh damp it. An absolute 1e-5 on outputs of order 1 is float precision, not a loose bound.
            const double FloatTolerance = 1e-5;
            Assert.Equal(ld.Item, lf.Item, FloatTolerance);
            for (int i = 0; i < ad.Length; i++)
            {
                Assert.Equal(ad.Grad!.AsSpan()[i], af.Grad!.AsSpan()[i], FloatTolerance);
            }
            for (int i = 0; i < bd.Length; i++)
            {
                Assert.Equal(bd.Grad!.AsSpan()[i], bf.Grad!.AsSpan()[i], FloatTolerance);
            }
        });

    [Fact]
    public void A_parameter_changed_in_place_after_recording_is_refused_at_backward()
    {
        var w = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true, name: "W");
        var loss = (w * w).Sum();
        loss.Backward();
        var sgd = new AutoGrad.Nn.Sgd<double>([w], 0.1);
        sgd.Step();
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("'W' (1×2), was modified in place after the operation was recorded", error.Message);
    }

    [Fact]
    public void RequiresGrad_cannot_be_switched_off_on_a_recorded_result()
    {
        var x = Tensor.Scalar(1.0, requiresGrad: true);
        var y = x * 2.0;
        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
    }
}
