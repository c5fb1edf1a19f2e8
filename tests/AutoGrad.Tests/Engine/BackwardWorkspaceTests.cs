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
    public void An_operation_with_more_inputs_than_the_workspace_holds_gives_each_input_its_block_of_the_gradient(int parts)
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
