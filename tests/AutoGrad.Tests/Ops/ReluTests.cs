using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class ReluTests
{
    [Fact]
    public void Relu_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(Gens.AwayFromZero), m => Properties.AssertGradCheck(x => x[0].Relu(), m.ToTensor()));

    [Fact]
    public void Relu_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(Gens.AwayFromZero), m => Reference.AssertUnaryValues(m, m.ToTensor().Relu(), v => Math.Max(v, 0), 1e-13));

    [Fact]
    public void Relu_derivative_at_the_kink_is_zero_as_in_pytorch()
    {
        var x = Tensor.From(new double[,] { { -1, 0, 2 } }, requiresGrad: true);
        x.Relu().Sum().Backward();
        Assert.Equal(new double[,] { { 0, 0, 1 } }, x.Grad!.ToArray());
    }
}
