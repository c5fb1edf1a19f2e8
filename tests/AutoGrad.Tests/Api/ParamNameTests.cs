using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Api;

/// <summary>
/// Every ArgumentException of these entry points names the parameter the caller passed wrong (adversarial review (F),
/// issue 13: they carried no ParamName, only prose). One fact per site, each calling the method as a user does.
/// </summary>
public class ParamNameTests
{
    private static string? Name(Action call) => Assert.ThrowsAny<ArgumentException>(call).ParamName;

    [Fact]
    public void RandomUniform_names_the_bound_that_is_wrong()
    {
        Assert.Equal("high", Name(() => Tensor.RandomUniform<double>(2, 2, new Random(1), low: 1, high: 0)));
        Assert.Equal("low", Name(() => Tensor.RandomUniform<double>(2, 2, new Random(1), low: double.NegativeInfinity, high: 0)));
        Assert.Equal("high", Name(() => Tensor.RandomUniform<double>(2, 2, new Random(1), low: -1e308, high: 1e308)));
        Assert.Equal("low", Name(() => Tensor.RandomUniform<float>(2, 2, new Random(1), low: -1e300, high: 0)));
    }

    [Fact]
    public void Linspace_names_the_end_or_the_step_count_that_is_wrong()
    {
        Assert.Equal("steps", Name(() => Tensor.Linspace<double>(0, 1, 0)));
        Assert.Equal("start", Name(() => Tensor.Linspace<double>(double.NaN, 1, 3)));
        Assert.Equal("end", Name(() => Tensor.Linspace<double>(0, double.PositiveInfinity, 3)));
        Assert.Equal("start", Name(() => Tensor.Linspace<float>(1e300, 1, 3)));
        Assert.Equal("end", Name(() => Tensor.Linspace<float>(0, 1e300, 3)));
        Assert.Equal("end", Name(() => Tensor.Linspace<double>(-1.7e308, 1.7e308, 2))); // the spacing overflows
    }

    [Fact]
    public void Arange_names_the_end_or_the_step_that_is_wrong()
    {
        Assert.Equal("step", Name(() => Tensor.Arange<double>(0, 1, 0)));
        Assert.Equal("step", Name(() => Tensor.Arange<double>(0, 1, -0.5)));
        Assert.Equal("start", Name(() => Tensor.Arange<double>(double.NaN, 1, 0.5)));
        Assert.Equal("end", Name(() => Tensor.Arange<double>(0, double.NaN, 0.5)));
        Assert.Equal("start", Name(() => Tensor.Arange<float>(1e300, 2e300, 1e299)));
        Assert.Equal("end", Name(() => Tensor.Arange<float>(0, 1e39, 1e38)));
    }

    [Fact]
    public void Concat_names_the_parts_when_their_shapes_do_not_fit()
    {
        var a = Tensor.Zeros<double>(2, 3);
        Assert.Equal("parts", Name(() => Tensor.Concat([a, Tensor.Zeros<double>(2, 4)], 0)));
        Assert.Equal("parts", Name(() => Tensor.Concat([a, Tensor.Zeros<double>(3, 3)], 1)));
    }

    [Fact]
    public void GradCheck_names_the_step_or_tolerance_that_is_wrong()
    {
        var x = Tensor.From(new double[,] { { 0.5 } }, requiresGrad: true);
        Assert.Equal("eps", Name(() => GradCheck.Run(v => v[0].Square(), [x], eps: 0)));
        Assert.Equal("atol", Name(() => GradCheck.Run(v => v[0].Square(), [x], atol: -1)));
        Assert.Equal("rtol", Name(() => GradCheck.Run(v => v[0].Square(), [x], rtol: double.NaN)));
        Assert.Equal("eps", Name(() => GradCheck.Run(v => v[0].Square(), [x], eps: double.NaN, atol: -1)));
    }

    [Fact]
    public void Reshape_names_the_size_that_is_wrong()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.Equal("rows", Name(() => x.Reshape(0, 6)));
        Assert.Equal("rows", Name(() => x.Reshape(-2, 3)));
        Assert.Equal("cols", Name(() => x.Reshape(6, 0)));
        Assert.Equal("cols", Name(() => x.Reshape(-1, -1)));
        Assert.Equal("cols", Name(() => x.Reshape(-1, 4)));  // 4 columns fit no whole number of rows
        Assert.Equal("rows", Name(() => x.Reshape(4, -1)));
        Assert.Equal("cols", Name(() => x.Reshape(4, 2)));
    }

    [Fact]
    public void Clamp_names_the_bound_that_is_wrong()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.Equal("min", Name(() => x.Clamp(double.NaN, 1.0)));
        Assert.Equal("max", Name(() => x.Clamp(0.0, double.NaN)));
        Assert.Equal("max", Name(() => x.Clamp(1.0, -1.0)));
        Assert.Equal("max", Name(() => Tensor.Zeros<float>(2, 3).Clamp(1f, -1f)));
    }

    [Fact]
    public void The_squared_error_losses_name_the_target_of_the_wrong_shape()
    {
        Tensor<double> prediction = Tensor.Zeros<double>(4, 1), target = Tensor.Zeros<double>(1, 4);
        Assert.Equal("target", Name(() => Loss.MeanSquaredError(prediction, target)));
        Assert.Equal("target", Name(() => Loss.HalfSumSquared(prediction, target)));
        Assert.Equal("target", Name(() => Loss.HalfMeanSquared(prediction, target)));
        Assert.Equal("target", Name(() => Loss.SumSquared(prediction, target)));
    }

    [Fact]
    public void MiniBatches_name_the_targets_that_do_not_match_x()
    {
        var x = Tensor.Zeros<double>(5, 2);
        Assert.Equal("y", Name(() => MiniBatches.Shuffled(x, Tensor.Zeros<double>(4, 1), 2, new Random(0))));
        Assert.Equal("labels", Name(() => MiniBatches.Shuffled(x, new int[3], 2, new Random(0))));
        Assert.Equal("labels", Name(() => MiniBatches.InOrder(x, new int[3], 2)));
    }
}
