using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>GradCheck accepts atol = 0 (an exact check): a bad rtol next to it is the argument the exception names.</summary>
public class GradCheckToleranceNamingTests
{
    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void With_atol_zero_a_bad_rtol_is_the_argument_named(double rtol)
    {
        var x = Tensor.Scalar(0.5, requiresGrad: true);
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Run(p => p[0] * 2.0, [x], eps: 0.25, atol: 0, rtol: rtol));
        Assert.Equal("rtol", error.ParamName);
        Assert.Null(x.Grad);
    }
}
