using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Linspace and Arange where a mutation run of session twelve found them untested: the element type check, which half
/// of Linspace counts from which end (PyTorch 1.13's bits), one end beyond float with a single step, and Arange's
/// refusals for a span that is not a number and for values beyond the element type.
/// </summary>
public class RangeFactoryKillTests
{
    [Fact]
    public void Linspace_and_Arange_of_an_unsupported_element_type_are_refused_by_name()
    {
        Assert.StartsWith("Tensor.Linspace: Tensor<Half> is not supported",
            Assert.Throws<NotSupportedException>(() => Tensor.Linspace<Half>(0, 1, 3)).Message);
        Assert.StartsWith("Tensor.Arange: Tensor<Half> is not supported",
            Assert.Throws<NotSupportedException>(() => Tensor.Arange<Half>(0, 3)).Message);
    }

    [Theory]
    // torch.linspace(start, end, steps, dtype=torch.float64) in PyTorch 1.13, as "R" strings of the doubles
    [InlineData(0.0, 1.0, 4, new[] { 0.0, 0.3333333333333333, 0.6666666666666667, 1.0 })]
    [InlineData(0.1, 0.7, 3, new[] { 0.1, 0.39999999999999997, 0.7 })]
    [InlineData(-1.0, 2.0, 7, new[] { -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0 })]
    public void Linspace_counts_the_middle_and_second_half_from_the_end_as_PyTorch_does(double start, double end, int steps, double[] torch)
    {
        // counted from start, 0.6666666666666666 and 0.4: the middle element of an odd or even count is one of the end's
        Assert.Equal(torch, Tensor.Linspace<double>(start, end, steps).ToFlatArray());
    }

    [Fact]
    public void Linspace_in_float_has_PyTorchs_bits_in_both_halves()
    {
        // torch.linspace(0, 1, 4, dtype=torch.float32) and torch.linspace(0.1, 0.7, 3, dtype=torch.float32)
        Assert.Equal(new[] { 0f, 0.3333333432674408f, 0.6666666269302368f, 1f }, Tensor.Linspace<float>(0, 1, 4).ToFlatArray());
        Assert.Equal(new[] { 0.10000000149011612f, 0.4000000059604645f, 0.699999988079071f }, Tensor.Linspace<float>(0.1, 0.7, 3).ToFlatArray());
    }

    [Fact]
    public void A_single_step_Linspace_to_an_end_beyond_float_is_refused_naming_the_end()
    {
        // one step has spacing 0 and start 0 fits: only the end's own check refuses it
        var e = Assert.Throws<ArgumentException>(() => Tensor.Linspace<float>(0, 1e300, 1));
        Assert.Equal("end", e.ParamName);
        Assert.StartsWith("Tensor.Linspace: the values from 0 to 1E+300 do not fit in Single", e.Message);
    }

    [Fact]
    public void Arange_with_an_infinite_end_or_a_zero_step_is_refused_naming_it_first()
    {
        // ∞ − ∞ is NaN: a count that is no number, never an empty tensor or an IndexOutOfRangeException
        var e = Assert.Throws<ArgumentException>(() => Tensor.Arange<double>(double.PositiveInfinity, double.PositiveInfinity));
        Assert.Equal("start", e.ParamName);
        Assert.Equal("Tensor.Arange: need a finite start and end; got start Infinity, end Infinity. (Parameter 'start')", e.Message);
        var end = Assert.Throws<ArgumentException>(() => Tensor.Arange<double>(0, double.PositiveInfinity));
        Assert.Equal("end", end.ParamName); // not "holds Infinity values", naming the step
        var zero = Assert.Throws<ArgumentException>(() => Tensor.Arange<double>(0, 1, 0));
        Assert.Equal("Tensor.Arange: the step must be a nonzero number; got 0. (Parameter 'step')", zero.Message);
        var infinite = Assert.Throws<ArgumentException>(() => Tensor.Arange<double>(0, 1, double.PositiveInfinity));
        Assert.Equal("step", infinite.ParamName);
        Assert.StartsWith("Tensor.Arange: [0, 1) in steps of Infinity holds no values;", infinite.Message);
    }

    [Fact]
    public void Arange_beyond_float_names_the_index_of_the_last_value()
    {
        // 3e38, 3.1e38, …, 3.4e38 fit; 3.5e38 (index 5) is beyond float's 3.4028e38
        var e = Assert.Throws<ArgumentException>(() => Tensor.Arange<float>(3e38, 3.55e38, 1e37));
        Assert.Equal("end", e.ParamName);
        Assert.Contains("(Infinity at index 5)", e.Message);
    }
}
