using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class LogTests
{
    [Fact]
    public void Log_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(Gens.Positive), m => Properties.AssertGradCheck(x => x[0].Log(), m.ToTensor()));

    [Fact]
    public void Log_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(Gens.Positive), m => Reference.AssertUnaryValues(m, m.ToTensor().Log(), v => Math.Log(v), 1e-13));

    [Fact]
    public void Log_of_zero_is_minus_infinity_and_of_a_negative_is_nan_as_ieee_says()
    {
        var y = Tensor.From(new double[,] { { 0, -1 } }).Log();
        Assert.Equal(double.NegativeInfinity, y[0, 0]);
        Assert.True(double.IsNaN(y[0, 1]));
    }
}
