using Xunit;

namespace AutoGrad.Tests.Engine;

public class AnomalyTests
{
    [Fact]
    public void DetectAnomaly_stops_at_the_first_forward_op_that_makes_a_nan_and_names_the_caller()
    {
        var x = Tensor.From(new double[,] { { -1, 2 } }, requiresGrad: true, name: "x");
        using (Tensor.DetectAnomaly())
        {
            var error = Assert.Throws<AnomalyException>(() => x.Log());
            Assert.Contains("Log forward: element [0, 0] of the 1×2 result is NaN", error.Message);
            Assert.Contains("AnomalyTests.cs", error.Message);
        }
        Assert.True(double.IsNaN(x.Log()[0, 0])); // off again outside the scope
    }

    [Fact]
    public void DetectAnomaly_stops_at_a_backward_rule_that_makes_an_infinity()
    {
        var x = Tensor.From(new double[,] { { 0, 2 } }, requiresGrad: true);
        using (Tensor.DetectAnomaly())
        {
            var y = x.Pow(0.5); // finite forward, infinite derivative at 0
            var error = Assert.Throws<AnomalyException>(() => y.Sum().Backward());
            Assert.Contains("Pow(0.5) backward", error.Message);
        }
    }
}
