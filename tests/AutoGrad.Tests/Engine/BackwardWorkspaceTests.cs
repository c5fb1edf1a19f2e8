using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// The backward walk keeps its arrays in a per-thread workspace reused from pass to pass. These tests hold what that
/// reuse must not change: a pass refused midway leaves nothing behind for the next one, and an operation with more
/// inputs than the workspace has room for makes it grow without losing any input's slot.
/// </summary>
public class BackwardWorkspaceTests
{
    /// <summary>x = 0 under √: a finite forward value whose derivative is ∞, so anomaly mode refuses the pass inside the sweep.</summary>
    private static Tensor<double> Loss(Tensor<double> x, Tensor<double> w, Tensor<double> v, bool sqrtFirst)
    {
        Tensor<double> root = x.Sqrt(), linear = w * v;
        return (sqrtFirst ? root + linear : linear + root).Sum() + (w * w).Sum();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_pass_refused_midway_leaves_no_pending_gradient_for_the_next_pass_on_the_thread(bool sqrtFirst)
    {
        var w = Tensor.From(new double[,] { { 0.5, -1.5 }, { 2, 3 } }, requiresGrad: true, name: "w");
        var v = Tensor.From(new double[,] { { 4, 5 }, { -6, 7 } }, requiresGrad: true, name: "v");
        var zero = Tensor.Zeros<double>(2, 2, requiresGrad: true, name: "x");
        using (Tensor.DetectAnomaly())
        {
            var error = Assert.Throws<AnomalyException>(() => Loss(zero, w, v, sqrtFirst).Backward());
            Assert.Contains("Sqrt backward", error.Message);
        }
        Assert.Null(w.Grad);
        Assert.Null(v.Grad);

        // the same graph at x = 1, on the thread whose workspace the refused pass used: dL/dw = v + 2w, dL/dv = w, dL/dx = 1/(2√x)
        var one = Tensor.Ones<double>(2, 2, requiresGrad: true, name: "x");
        Loss(one, w, v, sqrtFirst).Backward();
        Assert.Equal([4 + 1.0, 5 - 3.0, -6 + 4.0, 7 + 6.0], w.Grad!.ToFlatArray());
        Assert.Equal([0.5, -1.5, 2, 3], v.Grad!.ToFlatArray());
        Assert.Equal([0.5, 0.5, 0.5, 0.5], one.Grad!.ToFlatArray());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    [InlineData(300)]
    public void An_operation_with_more_inputs_than_the_workspace_holds_gives_each_input_its_block_of_the_gradient(int parts) =>
        OnFreshThread(() => EachInputGetsItsBlock(parts));

    /// <summary>
    /// Runs <paramref name="test"/> on a new thread, whose backward workspace starts at its initial size: on a test
    /// thread it may already have grown in an earlier test, and then no growth happens at all.
    /// </summary>
    internal static void OnFreshThread(Action test)
    {
        Exception? failure = null;
        var thread = new Thread(() => failure = Record.Exception(test));
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException($"on a fresh thread: {failure}");
        }
    }

    private static void EachInputGetsItsBlock(int parts)
    {
        var inputs = Enumerable.Range(0, parts)
            .Select(k => Tensor.From(new double[,] { { k, -k } }, requiresGrad: k % 3 != 1, name: $"p{k}"))
            .ToArray();
        var seed = Tensor.FromRowMajor<double>(parts, 2, Enumerable.Range(0, 2 * parts).Select(i => 0.5 * i - 3).ToArray());
        var joined = Tensor.Concat(inputs);
        // twice on one thread: the second pass starts from the grown workspace
        for (int pass = 1; pass <= 2; pass++)
        {
            joined.Backward(seed);
            for (int k = 0; k < parts; k++)
            {
                if (k % 3 == 1)
                {
                    Assert.Null(inputs[k].Grad);
                    continue;
                }
                double[] expected = [pass * seed[k, 0], pass * seed[k, 1]];
                Assert.Equal(expected, inputs[k].Grad!.ToFlatArray());
            }
        }
    }
}

/// <summary>
/// A leaf reached from many places in a graph larger than the workspace's first slot table: every path must find the
/// one slot it has (Autograd.Grad keeps one gradient per input, so a second slot would lose a contribution).
/// </summary>
public class BackwardSlotTableTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(200)]
    public void Grad_of_a_leaf_used_at_every_step_of_a_long_chain_sums_every_use(int steps) =>
        BackwardWorkspaceTests.OnFreshThread(() => GradSumsEveryUse(steps));

    private static void GradSumsEveryUse(int steps)
    {
        var w = Tensor.From(new double[,] { { 0.5, -0.25 } }, requiresGrad: true, name: "w");
        var h = w;
        for (int k = 0; k < steps; k++)
        {
            h = (w + h) * 0.5; // h_k = w for every k; w first, so its slot is given before the table grows
        }
        var loss = h.Sum();
        var grad = Autograd.Grad(loss, [w])[0].ToFlatArray();
        loss.Backward();
        Assert.Equal(w.Grad!.ToFlatArray(), grad);
        Assert.Equal(1.0, grad[0], 1e-12); // h = w exactly, so dL/dw = 1 per element
        Assert.Equal(1.0, grad[1], 1e-12);
    }

    [Fact]
    public void Leaves_whose_ids_collide_in_the_slot_table_are_each_found_again() =>
        BackwardWorkspaceTests.OnFreshThread(CollidingLeavesKeepOneSlotEach);

    /// <summary>
    /// Five leaves whose <c>HashId</c>s agree modulo 1024, so they share their first position in any slot table up to
    /// that size (a fresh thread's is 32, then 64): the second and later leaves are placed by probing, and each is looked
    /// up again as the second input of xₖ ⊙ xₖ. A lookup that probed the other way than the insertion (the surviving
    /// mutant <c>i − 1</c> in <c>FindSlot</c> or <c>Insert</c>) would miss the leaf and give it a second slot.
    /// </summary>
    private static void CollidingLeavesKeepOneSlotEach()
    {
        var leaves = new List<Tensor<double>> { Tensor.From(new double[,] { { 1, -2 } }, requiresGrad: true) };
        int residue = leaves[0].HashId & 1023;
        while (leaves.Count < 5)
        {
            double k = leaves.Count + 1;
            var candidate = Tensor.From(new double[,] { { k, -2 * k } }, requiresGrad: true);
            if ((candidate.HashId & 1023) == residue)
            {
                leaves.Add(candidate);
            }
        }
        Tensor<double> loss = (leaves[0] * leaves[0]).Sum();
        for (int k = 1; k < leaves.Count; k++)
        {
            loss = loss + (leaves[k] * leaves[k]).Sum();
        }
        var grads = Autograd.Grad(loss, [.. leaves]);
        loss.Backward();
        for (int k = 0; k < leaves.Count; k++)
        {
            double[] expected = [.. leaves[k].ToFlatArray().Select(v => 2 * v)];
            Assert.Equal(expected, grads[k].ToFlatArray());
            Assert.Equal(expected, leaves[k].Grad!.ToFlatArray());
        }
    }
}
