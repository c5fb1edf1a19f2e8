using Xunit;

namespace AutoGrad.Tests.Api;

/// <summary>
/// The edges of Linspace's and Arange's checks (run F's survivors): a single step or a single value is accepted, a
/// non-finite start with one step is blamed on start, and an empty range's message in full.
/// </summary>
public class RangeBoundaryTests
{
    [Fact]
    public void Linspace_with_one_step_and_a_nonfinite_end_names_that_end_not_steps()
    {
        var start = Assert.Throws<ArgumentException>(() => Tensor.Linspace<double>(double.NaN, 1, 1));
        Assert.Equal("start", start.ParamName);
        var end = Assert.Throws<ArgumentException>(() => Tensor.Linspace<double>(0, double.PositiveInfinity, 1));
        Assert.Equal("end", end.ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentException>(() => Tensor.Linspace<double>(double.NaN, 1, 0)).ParamName);
    }

    [Fact]
    public void Arange_holding_exactly_one_value_gives_it()
    {
        Assert.Equal(new double[,] { { 0 } }, Tensor.Arange<double>(0, 1, 1).ToArray());
        Assert.Equal(new float[,] { { 2.5f } }, Tensor.Arange<float>(2.5, 2, -0.75).ToArray());
    }

    [Fact]
    public void Arange_holding_no_values_says_so_in_full()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Arange<double>(0, -1, 1));
        Assert.Equal("Tensor.Arange: [0, -1) in steps of 1 holds no values; a tensor needs at least one (and the step must point from start towards end). (Parameter 'step')", e.Message);
        Assert.Equal("step", e.ParamName);
    }
}
