using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// A refused backward pass changes nothing: the checks that can refuse (versions, disposed tensors, the seed) come
/// before the first gradient is written, and the gradients are handed over only after the whole sweep succeeded.
/// Each test refuses passes at every position of one graph and compares every gradient and value before and after.
/// </summary>
public class AllOrNothingBackwardTests
{
    /// <summary>Leaves and a loss over them: x → tanh(x·W1 + b1) → ·W2 → σ, ½‖ŷ − y‖² + Σc², with an intermediate that keeps its gradient.</summary>
    private sealed class Network
    {
        public readonly Tensor<double> X = Tensor.From(new double[,] { { 0.5, -1 }, { 2, 0.25 } }, requiresGrad: true, name: "x");
        public readonly Tensor<double> W1 = Tensor.From(new double[,] { { 0.1, -0.2, 0.3 }, { 0.4, 0.5, -0.6 } }, requiresGrad: true, name: "W1");
        public readonly Tensor<double> B1 = Tensor.From(new double[,] { { 0.01, -0.02, 0.03 } }, requiresGrad: true, name: "b1");
        public readonly Tensor<double> W2 = Tensor.From(new double[,] { { 0.7 }, { -0.8 }, { 0.9 } }, requiresGrad: true, name: "W2");
        public readonly Tensor<double> C = Tensor.From(new double[,] { { 0.3, -0.4 } }, requiresGrad: true, name: "c");
        public readonly Tensor<double> Y = Tensor.From(new double[,] { { 1 }, { 0 } }, name: "y");

        public Tensor<double>[] Leaves => [X, W1, B1, W2, C];

        public Tensor<double> Hidden = null!;

        public Tensor<double> Loss()
        {
            Hidden = (X.MatMul(W1) + B1).Tanh().RetainGrad();
            return Loss_(Hidden);
        }

        // a second, independent term: the sweep reaches it (and c) before the network's chain, so c's gradient is
        // ready before any refusal inside the chain
        private Tensor<double> Loss_(Tensor<double> hidden) => AutoGrad.Nn.Loss.HalfSumSquared(hidden.MatMul(W2).Sigmoid(), Y) + (C * C).Sum();

        public string State() => string.Join(" | ", Leaves.Append(Hidden).Select(t =>
            $"{t.Name ?? "h"} v{t.Version} [{(t.IsDisposed ? "disposed" : string.Join(", ", t.ToFlatArray()))}] g[{string.Join(", ", t.Grad?.ToFlatArray() ?? [])}]"));
    }

    [Fact]
    public void A_parameter_changed_in_place_at_any_position_refuses_the_pass_and_leaves_every_gradient_as_it_was()
    {
        for (int position = 0; position < 5; position++)
        {
            var net = new Network();
            net.Loss().Backward(); // gradients to accumulate onto
            var loss = net.Loss();
            using (Tensor.NoGrad())
            {
                new Sgd<double>([net.Leaves[position]], 0.1).Step();
            }
            string before = net.State();
            var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
            Assert.Contains("was modified in place", error.Message);
            Assert.Equal(before, net.State());
        }
    }

    [Fact]
    public void A_disposed_intermediate_at_any_position_refuses_the_pass_and_leaves_every_gradient_as_it_was()
    {
        int refused = 0;
        for (int position = 0; position < 11; position++)
        {
            var net = new Network();
            net.Loss().Backward();
            Tensor<double> loss;
            using (var scope = Tensor.Scope())
            {
                loss = net.Loss();
                var kept = new List<Tensor<double>>();
                Collect(loss, kept);
                // keep every tensor of the graph except the one at this position (in walk order), which the scope then disposes
                for (int i = 0; i < kept.Count; i++)
                {
                    if (i != position)
                    {
                        scope.Keep(kept[i]);
                    }
                }
            }
            string before = net.State();
            try
            {
                loss.Backward();
            }
            catch (ObjectDisposedException)
            {
                refused++;
                Assert.Equal(before, net.State());
            }
        }
        Assert.True(refused >= 3, $"only {refused} of the positions were refused; the test no longer exercises refusals");
    }

    private static void Collect(Tensor<double> root, List<Tensor<double>> into)
    {
        var seen = new HashSet<Tensor<double>>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor<double>>([root]);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (t.IsLeaf || !seen.Add(t))
            {
                continue;
            }
            into.Add(t);
            foreach (var input in t.Creator!.Inputs)
            {
                stack.Push(input);
            }
        }
    }

    [Fact]
    public void A_seed_of_the_wrong_shape_changes_nothing()
    {
        var net = new Network();
        net.Loss().Backward();
        var hidden = net.Hidden;
        string before = net.State();
        Assert.Throws<ArgumentException>(() => hidden.Backward(Tensor.Ones<double>(3, 2)));
        Assert.Equal(before, net.State());
    }

    [Fact]
    public void A_rule_that_fails_midway_leaves_leaves_reached_earlier_untouched()
    {
        // In anomaly mode a non-finite gradient stops the pass in the middle of the sweep, after W2's gradient exists.
        var w2 = Tensor.From(new double[,] { { 1 } }, requiresGrad: true, name: "W2");
        var x = Tensor.From(new double[,] { { 0 } }, requiresGrad: true, name: "x");
        var loss = (x.Pow(0.5) * w2).Sum(); // ∂/∂x = w2 · 0.5 · 0^−0.5 = ∞
        using (Tensor.DetectAnomaly())
        {
            Assert.Throws<AnomalyException>(() => loss.Backward());
        }
        Assert.Null(w2.Grad);
        Assert.Null(x.Grad);
    }
}
