using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// tanh's LaTeX form is the command <c>\tanh</c> (run F's survivor: an empty LaTeX symbol fell back to
/// <c>\operatorname{tanh}</c> and no test looked).
/// </summary>
public class TanhLatexTests
{
    [Fact]
    public void Tanh_writes_the_tanh_command_in_latex()
    {
        var x = Tensor.From(new double[,] { { 0.5, -2 } }, requiresGrad: true, name: "x");
        var formula = Symbolic.FromGraph(x.Tanh());
        Assert.Equal("tanh(x)", formula.Text);
        Assert.Equal("\\tanh\\left(x\\right)", formula.Latex);
    }
}
