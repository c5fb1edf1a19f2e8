using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class NegTests
{
    [Fact]
    public void Neg_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(), m => Properties.AssertGradCheck(x => x[0].Neg(), m.ToTensor()));

    [Fact]
    public void Neg_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(), m => Reference.AssertUnaryValues(m, m.ToTensor().Neg(), v => -v, 1e-13));

    [Fact]
    public void Neg_operator_negates_and_its_gradient_is_minus_the_upstream()
    {
        var x = Tensor.From(new double[,] { { 1, -2 } }, requiresGrad: true);
        var y = -x;
        Assert.Equal(new double[,] { { -1, 2 } }, y.ToArray());
        y.Backward(Tensor.From(new double[,] { { 3, 4 } }));
        Assert.Equal(new double[,] { { -3, -4 } }, x.Grad!.ToArray());
    }
}
