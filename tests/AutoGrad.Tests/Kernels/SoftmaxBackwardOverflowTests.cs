using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Softmax's and log-softmax's backward sum the lane's Σ gₖ·yₖ (Σ gₖ) in double; with seeds of ±double.MaxValue
/// ([max, max, −max, −max, 1]) the running sum overflows though the total is small, and the kernel sums again scaled
/// down by a power of two: the result must be the exact total (1 for log-softmax; 0.5 with y = [1, 1, 1, 1, ½] for
/// softmax), as the second-order passes need it.
/// </summary>
public class SoftmaxBackwardOverflowTests
{
    private const double Max = double.MaxValue;

    [Fact]
    public void Log_softmax_backward_sums_seeds_whose_running_sum_overflows_exactly()
    {
        // second lane ordinary: the scaled re-sum is the overflowing lane's alone
        double[] grad = [Max, Max, -Max, -Max, 1, 1, 2, 3, 4, 5];
        double[] y = new double[10]; // e^0 = 1: dₖ = gₖ − Σ g
        double[] d = new double[10];
        SoftmaxKernels.LogSoftmaxBackward<double>(grad, y, new Shape(2, 5), 1, d);
        Assert.Equal([Max - 1, Max - 1, -Max - 1, -Max - 1, 0, 1 - 15.0, 2 - 15.0, 3 - 15.0, 4 - 15.0, 5 - 15.0], d);
    }

    [Fact]
    public void Softmax_backward_sums_products_whose_running_sum_overflows_exactly()
    {
        double[] grad = [Max, Max, -Max, -Max, 1];
        double[] y = [1, 1, 1, 1, 0.5]; // Σ gₖ·yₖ = 0.5 (Σ gₖ = 1, Σ gₖ/yₖ = 2)
        double[] d = new double[5];
        SoftmaxKernels.SoftmaxBackward<double>(grad, y, new Shape(1, 5), 1, d);
        Assert.Equal([Max - 0.5, Max - 0.5, -Max - 0.5, -Max - 0.5, 0.5 * (1 - 0.5)], d);
    }

    [Fact]
    public void Along_columns_the_overflowing_lane_is_summed_exactly_too()
    {
        double[] grad = [Max, 7, Max, 7, -Max, 7, -Max, 7, 1, 7];
        double[] y = new double[10];
        double[] d = new double[10];
        SoftmaxKernels.LogSoftmaxBackward<double>(grad, y, new Shape(5, 2), 0, d);
        Assert.Equal([Max - 1, 7 - 35.0, Max - 1, 7 - 35.0, -Max - 1, 7 - 35.0, -Max - 1, 7 - 35.0, 0, 7 - 35.0], d);
    }
}
