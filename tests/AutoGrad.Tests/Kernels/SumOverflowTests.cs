using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// A double sum whose total is finite is finite although TensorPrimitives' order overflows a partial sum (issue 13: a
/// lane seed [−max, max, max] summed to +∞, and a log-softmax's second order became NaN from it).
/// </summary>
public class SumOverflowTests
{
    private const double Max = double.MaxValue;

    [Fact]
    public void A_double_sum_with_a_finite_total_is_that_total_whatever_the_partial_sums()
    {
        Assert.Equal(Max, Tensor.FromRowMajor<double>(1, 3, [-Max, Max, Max]).Sum()[0, 0]);
        Assert.Equal(Max, Tensor.FromRowMajor<double>(1, 3, [-Max, Max, Max]).Sum(1)[0, 0]);
        Assert.Equal(-Max, Tensor.FromRowMajor<double>(1, 3, [Max, -Max, -Max]).Sum(1)[0, 0]);
        Assert.Equal(Max, Tensor.FromRowMajor<double>(1, 3, [Max, Max, -Max]).Sum()[0, 0]);
    }

    [Fact]
    public void A_double_sum_that_overflows_or_holds_an_infinity_keeps_its_infinity_or_NaN()
    {
        Assert.Equal(double.PositiveInfinity, Tensor.FromRowMajor<double>(1, 2, [Max, Max]).Sum()[0, 0]);
        Assert.Equal(double.NegativeInfinity, Tensor.FromRowMajor<double>(1, 3, [-Max, -Max, 1]).Sum(1)[0, 0]);
        Assert.Equal(double.PositiveInfinity, Tensor.FromRowMajor<double>(1, 2, [double.PositiveInfinity, -Max]).Sum()[0, 0]);
        Assert.True(double.IsNaN(Tensor.FromRowMajor<double>(1, 2, [double.PositiveInfinity, double.NegativeInfinity]).Sum()[0, 0]));
    }
}
