using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// adv16: every <c>Grad</c> a <c>Backward</c> fills holds an array of its own. Before, a gradient a rule passed on
/// unchanged became the Grad of every tensor it reached — <c>(a + b).Sum().Backward()</c> left a.Grad and b.Grad the
/// same tensor, so writing into one (clipping it under NoGrad) changed the other — and the caller's seed itself became
/// a leaf's Grad when it reached the leaf unchanged, so refilling the seed for the next pass rewrote every Grad taken
/// so far (a Jacobian built row by row with one seed came out as copies of its last row). PyTorch copies in both cases
/// (a.grad and b.grad have distinct storage; a.grad is not the seed). <c>Autograd.Grad</c> may still return the seed
/// itself for an identity, as <c>torch.autograd.grad</c> does.
/// </summary>
public class GradAliasingTests
{
    [Fact]
    public void Operands_of_an_add_get_grads_of_their_own()
    {
        var a = Tensor.Ones<double>(2, 3, requiresGrad: true, name: "a");
        var b = Tensor.Ones<double>(2, 3, requiresGrad: true, name: "b");
        var c = Tensor.Ones<double>(2, 3, requiresGrad: true, name: "c");
        (a + b - c).Sum().Backward();
        Assert.NotSame(a.Grad, b.Grad);
        using (Tensor.NoGrad())
        {
            a.Grad!.Fill(9);
        }
        Assert.Equal(Enumerable.Repeat(1.0, 6), b.Grad!.ToFlatArray());
        Assert.Equal(Enumerable.Repeat(-1.0, 6), c.Grad!.ToFlatArray());
    }

    [Fact]
    public void A_jacobian_built_row_by_row_with_one_seed_keeps_every_row()
    {
        var x = Tensor.FromRowMajor<float>(3, 1, [0.5f, -1f, 2f], requiresGrad: true, name: "x");
        var shift = Tensor.FromRowMajor<float>(3, 1, [1f, 2f, 3f]);
        var seed = Tensor.Zeros<float>(3, 1);
        var rows = new List<Tensor<float>>();
        for (int i = 0; i < 3; i++)
        {
            using (Tensor.NoGrad())
            {
                seed.Fill(0);
                seed[i, 0] = 1;
            }
            x.ZeroGrad();
            (x + shift).Backward(seed); // ∂(x + shift)/∂x = I: the seed reaches x unchanged
            rows.Add(x.Grad!);
        }
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Enumerable.Range(0, 3).Select(j => j == i ? 1f : 0f), rows[i].ToFlatArray());
        }
    }

    [Fact]
    public void A_leaf_and_a_retained_result_reached_by_the_seed_do_not_hold_it()
    {
        var a = Tensor.Ones<double>(1, 2, requiresGrad: true, name: "a");
        var seed = Tensor.FromRowMajor<double>(1, 2, [3, 4]);
        a.Backward(seed);
        var z = (a - Tensor.Ones<double>(1, 2)).RetainGrad();
        z.Backward(seed);
        using (Tensor.NoGrad())
        {
            seed.Fill(100);
        }
        Assert.Equal([6.0, 8.0], a.Grad!.ToFlatArray());
        Assert.Equal([3.0, 4.0], z.Grad!.ToFlatArray());
        Assert.NotSame(z.Grad, a.Grad);
    }

    [Fact]
    public void Many_leaves_fed_one_gradient_each_get_their_own()
    {
        // more deliveries than the pairwise scan covers: the set takes over
        var leaves = Enumerable.Range(0, 80).Select(i => Tensor.Full<double>(1, 2, i, requiresGrad: true)).ToArray();
        Tensor<double> sum = leaves[0];
        for (int i = 1; i < leaves.Length; i++)
        {
            sum = sum + leaves[i];
        }
        var seed = Tensor.FromRowMajor<double>(1, 2, [2, 5]);
        sum.Backward(seed);
        Assert.Equal(leaves.Length, leaves.Select(l => l.Grad).Distinct(ReferenceEqualityComparer.Instance).Count());
        using (Tensor.NoGrad())
        {
            seed.Fill(0);
            leaves[0].Grad!.Fill(7);
        }
        Assert.All(leaves.Skip(1), l => Assert.Equal([2.0, 5.0], l.Grad!.ToFlatArray()));
    }

    [Fact]
    public void A_recorded_pass_copies_a_constant_seed_and_keeps_a_recorded_gradient_in_its_graph()
    {
        var a = Tensor.Ones<double>(1, 2, requiresGrad: true, name: "a");
        var b = Tensor.Ones<double>(1, 2, requiresGrad: true, name: "b");
        var seed = Tensor.FromRowMajor<double>(1, 2, [3, 4]);
        (a + b).Backward(seed, createGraph: true);
        Assert.NotSame(seed, a.Grad);
        Assert.NotSame(a.Grad, b.Grad);
        using (Tensor.NoGrad())
        {
            seed.Fill(100);
        }
        Assert.Equal([3.0, 4.0], b.Grad!.ToFlatArray());

        // a gradient that is itself recorded stays the recorded result (a copy would cut it from its graph)
        var x = Tensor.FromRowMajor<double>(1, 2, [0.5, 2], requiresGrad: true, name: "x");
        x.Square().Sum().Backward(createGraph: true);
        Assert.True(x.Grad!.RequiresGrad);
        Assert.Equal([2.0, 2.0], Autograd.Grad(x.Grad.Sum(), [x])[0].ToFlatArray());
    }

    [Fact]
    public void Autograd_Grad_of_an_identity_returns_the_seed_itself_as_pytorch()
    {
        var a = Tensor.Ones<double>(1, 2, requiresGrad: true);
        var seed = Tensor.FromRowMajor<double>(1, 2, [3, 4]);
        Assert.Same(seed, Autograd.Grad(a, [a], seed: seed)[0]);
    }
}
