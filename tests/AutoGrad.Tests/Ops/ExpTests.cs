using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class ExpTests
{
    [Fact]
    public void Exp_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(), m => Properties.AssertGradCheck(x => x[0].Exp(), m.ToTensor()));

    [Fact]
    public void Exp_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(), m => Reference.AssertUnaryValues(m, m.ToTensor().Exp(), v => Math.Exp(v), 1e-13));

    [Fact]
    public void Exp_gradient_is_the_result_itself()
    {
        var x = Tensor.Scalar(1.5, requiresGrad: true);
        var y = x.Exp();
        y.Backward();
        Assert.Equal(y.Item, x.Grad!.Item);
    }
}
