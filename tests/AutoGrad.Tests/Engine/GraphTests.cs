using Xunit;

namespace AutoGrad.Tests.Engine;

public class GraphTests
{
    [Fact]
    public void ToDot_has_one_node_per_tensor_marks_leaves_and_draws_edges_from_inputs_to_results()
    {
        var x = Tensor.From(new double[] { 1, 2 }, name: "x");
        var w = Tensor.Ones<double>(3, 2, requiresGrad: true, name: "W1");
        var z = w.MatMul(x);
        z.Name = "z1";
        var loss = z.Sigmoid().Sum();
        string dot = Graph.ToDot(loss);
        Assert.StartsWith("digraph", dot);
        Assert.Contains("label=\"MatMul\\nz1 3×1\"", dot);
        Assert.Contains("label=\"W1\\n3×2\", style=filled", dot);   // a parameter
        Assert.Contains("label=\"x\\n2×1\", style=dashed", dot);    // a constant
        Assert.Contains("label=\"Sigmoid\\n3×1\"", dot);
        Assert.Contains("label=\"Sum\\n1×1\"", dot);
        int nodes = dot.Split('\n').Count(l => l.Contains("[shape="));
        int edges = dot.Split('\n').Count(l => l.Contains("->"));
        Assert.Equal(5, nodes);  // x, W1, MatMul, Sigmoid, Sum
        Assert.Equal(4, edges);  // W1→MatMul, x→MatMul, MatMul→Sigmoid, Sigmoid→Sum
        // data-flow order: the edge into Sum comes from Sigmoid
        Assert.Matches(@"n(\d+) -> n0;", dot);
    }

    [Fact]
    public void ToDot_of_a_long_chain_does_not_recurse()
    {
        var x = Tensor.Scalar(1.0, requiresGrad: true);
        var y = x;
        for (int i = 0; i < 50_000; i++) y = y + 1.0;
        Assert.Contains("->", Graph.ToDot(y));
    }

    [Fact]
    public void ToDot_can_draw_the_recorded_backward_graph()
    {
        var x = Tensor.Scalar(0.5, requiresGrad: true, name: "x");
        var gradient = Autograd.Grad(x.Sigmoid(), [x], createGraph: true)[0];
        string dot = Graph.ToDot(gradient, "backward");
        Assert.Contains("Sigmoid′", dot); // σ's recorded gradient, one operation (g ⊙ σ′(x))
        Assert.Contains("label=\"Sigmoid\\n", dot); // which reuses the forward result σ(x)
    }
}
