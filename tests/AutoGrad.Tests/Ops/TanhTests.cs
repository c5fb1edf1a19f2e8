using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class TanhTests
{
    [Fact]
    public void Tanh_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(), m => Properties.AssertGradCheck(x => x[0].Tanh(), m.ToTensor()));

    [Fact]
    public void Tanh_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(), m => Reference.AssertUnaryValues(m, m.ToTensor().Tanh(), v => Math.Tanh(v), 1e-13));

    [Fact]
    public void Tanh_saturates_without_nan()
    {
        var x = Tensor.From(new double[,] { { 1000, -1000 } }, requiresGrad: true);
        var y = x.Tanh();
        Assert.Equal(new double[,] { { 1, -1 } }, y.ToArray());
        y.Sum().Backward();
        Assert.Equal(new double[,] { { 0, 0 } }, x.Grad!.ToArray());
    }
}
