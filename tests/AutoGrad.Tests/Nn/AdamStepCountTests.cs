using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>Adam's per-parameter step count refuses a position outside its list by name (adversarial review, session nine).</summary>
public class AdamStepCountTests
{
    [Fact]
    public void Adam_StepCount_of_a_position_outside_the_parameter_list_is_refused_by_name()
    {
        var adam = new Adam<double>([Tensor.Zeros<double>(1, 1, requiresGrad: true)]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => adam.StepCount(3)); // was an IndexOutOfRangeException
        Assert.StartsWith("Adam.StepCount: index 3 is not a parameter's position; the optimizer has 1 parameters (0..0).", error.Message);
    }
}
