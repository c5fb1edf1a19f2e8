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

    private const double P = 8.98846567431158e307; // 2¹⁰²³: every partial sum below is exact, so the totals are exact

    [Fact]
    public void A_double_column_sum_with_a_finite_total_is_that_total_whatever_the_partial_sums()
    {
        // row order P + P overflowed: Sum(axis: 0) had no second pass (review twelve, 1d)
        Assert.Equal([P, -P], Tensor.FromRowMajor<double>(3, 2, [P, -P, P, -P, -P, P]).Sum(0).ToFlatArray());
        Assert.Equal([P, 1, P], Tensor.FromRowMajor<double>(3, 3, [P, 1, -P, P, 0, P, -P, 0, P]).Sum(0).ToFlatArray());
        // 9 columns: the vector blocks and the scalar tail both
        double[] wide = new double[3 * 9];
        for (int j = 0; j < 9; j++)
        {
            (wide[j], wide[9 + j], wide[18 + j]) = (P, P, -P);
        }
        Assert.All(Tensor.FromRowMajor<double>(3, 9, wide).Sum(0).ToFlatArray(), v => Assert.Equal(P, v));
    }

    [Fact]
    public void A_sum_whose_partial_sums_exceed_twice_the_range_is_still_its_finite_total()
    {
        // half scale overflowed again here (eight halves of P are 2·max); the scaled pass keeps every partial sum below max / 2
        double[] x = [.. Enumerable.Repeat(P, 8), .. Enumerable.Repeat(-P, 8), 3];
        Assert.Equal(3, Tensor.FromRowMajor<double>(1, 17, x).Sum()[0, 0]);
        Assert.Equal(3, Tensor.FromRowMajor<double>(1, 17, x).Sum(1)[0, 0]);
        Assert.Equal(3, Tensor.FromRowMajor<double>(17, 1, x).Sum(0)[0, 0]);
    }

    [Fact]
    public void A_sum_whose_vector_lanes_hold_both_infinities_is_its_finite_total_not_NaN()
    {
        // TensorPrimitives added a −∞ and a +∞ lane into NaN, which the ±∞ check let through
        double[] five = [-P, -P, P, P, 1];
        Assert.Equal(1, Tensor.FromRowMajor<double>(1, 5, five).Sum()[0, 0]);
        Assert.Equal(1, Tensor.FromRowMajor<double>(1, 5, five).Sum(1)[0, 0]);
        Assert.Equal(1, Tensor.FromRowMajor<double>(5, 1, five).Sum(0)[0, 0]);
    }

    [Fact]
    public void A_compiled_column_sum_has_the_eager_finite_total()
    {
        var f = Tensor.CompileForward((Tensor<double> x) => x.Sum(0));
        var x = Tensor.FromRowMajor<double>(3, 2, [P, -P, P, -P, -P, P]);
        Assert.Equal([P, -P], f.Run(x).ToFlatArray());
        Assert.Equal([P, -P], f.Run(x).ToFlatArray());
    }

    [Fact]
    public void The_gradient_of_a_broadcast_row_sums_the_upstream_columns_to_their_finite_total()
    {
        // BroadcastTo's backward is Sum(axis: 0): a bias added to three rows, upstream seeds P, P, −P in each column
        var b = Tensor.FromRowMajor<double>(1, 2, [1, 2], requiresGrad: true);
        var z = Tensor.Zeros<double>(3, 2) + b;
        z.Backward(Tensor.FromRowMajor<double>(3, 2, [P, P, P, P, -P, -P]));
        Assert.Equal([P, P], b.Grad!.ToFlatArray());
    }
}

