using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class SigmoidTests
{
    [Fact]
    public void Sigmoid_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(), m => Properties.AssertGradCheck(x => x[0].Sigmoid(), m.ToTensor()));

    [Fact]
    public void Sigmoid_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(), m => Reference.AssertUnaryValues(m, m.ToTensor().Sigmoid(), v => 1 / (1 + Math.Exp(-v)), 1e-13));

    [Fact]
    public void Sigmoid_saturates_to_exactly_one_and_zero_without_nan()
    {
        var x = Tensor.From(new double[,] { { 1000, -1000 } }, requiresGrad: true);
        var y = x.Sigmoid();
        Assert.Equal(1.0, y[0, 0]);
        Assert.Equal(0.0, y[0, 1]);
        y.Sum().Backward();
        Assert.Equal(new double[,] { { 0, 0 } }, x.Grad!.ToArray());
    }

    [Fact]
    public void Sigmoid_saturates_in_float_too()
    {
        var y = Tensor.From(new float[,] { { 1000f, -1000f } }).Sigmoid();
        Assert.Equal(1f, y[0, 0]);
        Assert.Equal(0f, y[0, 1]);
    }

    [Fact]
    public void Sigmoid_gradient_is_sigma_times_one_minus_sigma()
    {
        var x = Tensor.Scalar(0.3, requiresGrad: true);
        x.Sigmoid().Backward();
        double s = 1 / (1 + Math.Exp(-0.3));
        Assert.Equal(s * (1 - s), x.Grad!.Item, 15);
    }
}
