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

    [Fact]
    public void DetectAnomaly_names_the_element_by_row_and_column_and_both_inputs_of_a_binary_op()
    {
        // a/b is ∞ at [1, 2] only (b = 0 there, a ≠ 0): the message names row 1, column 2, both inputs and this file
        var a = Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, requiresGrad: true, name: "a");
        var b = Tensor.From(new double[,] { { 1, 1, 1 }, { 1, 1, 0 } }, name: "b");
        using (Tensor.DetectAnomaly())
        {
            var error = Assert.Throws<AnomalyException>(() => a / b);
            Assert.StartsWith("Div forward: element [1, 2] of the 2×3 result is Infinity (inputs 'a' (2×3) and 'b' (2×3)); the operation was created at ", error.Message);
            Assert.Contains("AnomalyTests.cs", error.Message);
        }
    }

    /// <summary>
    /// An operation recorded before anomaly detection was switched on has no call site; a backward pass under detection
    /// that it makes non-finite says so rather than naming a place (run H, session sixteen: the "(unknown)" text had no test).
    /// </summary>
    [Fact]
    public void DetectAnomaly_in_a_backward_pass_of_an_operation_recorded_before_it_says_the_call_site_is_unknown()
    {
        var x = Tensor.From(new double[,] { { 0, 2 } }, requiresGrad: true);
        var y = x.Pow(0.5);
        using (Tensor.DetectAnomaly())
        {
            var error = Assert.Throws<AnomalyException>(() => y.Sum().Backward());
            Assert.StartsWith("Pow(0.5) backward (gradient of input 0): element [0, 0] of the 1×2 result is ", error.Message);
            Assert.EndsWith("; the operation was created at (unknown).", error.Message);
        }
    }
}
