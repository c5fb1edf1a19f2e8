using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// The names a formula read off the graph gives softmax and log-softmax along an axis, in text and LaTeX (run F's
/// survivor: an empty symbol still evaluated back, since the same declaration parsed it, but wrote "₁(x)").
/// </summary>
public class LaneOpFormulaNameTests
{
    [Fact]
    public void LogSoftmax_and_softmax_along_an_axis_write_their_names_with_the_axis()
    {
        var x = Tensor.From(new double[,] { { 0.5, -2 }, { 1, 0.25 } }, requiresGrad: true, name: "x");
        Assert.Equal("logsoftmax₁(x)", Symbolic.FromGraph(x.LogSoftmax(1)).Text);
        Assert.Equal("\\operatorname{logsoftmax}_{1}\\left(x\\right)", Symbolic.FromGraph(x.LogSoftmax(1)).Latex);
        Assert.Equal("softmax₀(x)", Symbolic.FromGraph(x.Softmax(0)).Text);
        Assert.Equal("\\operatorname{softmax}_{0}\\left(x\\right)", Symbolic.FromGraph(x.Softmax(0)).Latex);
    }
}
