using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class SquareTests
{
    [Fact]
    public void Square_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(), m => Properties.AssertGradCheck(x => x[0].Square(), m.ToTensor()));

    [Fact]
    public void Square_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(), m => Reference.AssertUnaryValues(m, m.ToTensor().Square(), v => v * v, 1e-13));

    [Fact]
    public void Square_gradient_is_twice_the_input()
    {
        var x = Tensor.From(new double[,] { { -1.5, 2 } }, requiresGrad: true);
        x.Square().Sum().Backward();
        Assert.Equal(new double[,] { { -3, 4 } }, x.Grad!.ToArray());
    }
}
