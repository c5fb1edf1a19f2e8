using Xunit;

namespace AutoGrad.Tests.Engine;

public class GradCheckReportTests
{
    [Theory]
    [InlineData(0, 1e-5, 1e-3)]
    [InlineData(-1e-6, 1e-5, 1e-3)]
    [InlineData(1e-6, -1, 1e-3)]
    [InlineData(1e-6, 1e-5, -1)]
    public void GradCheck_refuses_a_step_or_tolerance_out_of_range(double eps, double atol, double rtol) =>
        Assert.Contains("GradCheck: need eps > 0", Assert.Throws<ArgumentException>(() =>
            GradCheck.Run(x => x[0].Sum(), [Tensor.Scalar(1.0, requiresGrad: true)], eps, atol, rtol)).Message);

    [Fact]
    public void GradCheck_accepts_zero_tolerances_when_the_gradient_is_exact() =>
        // d(2x)/dx = 2: central differences of a linear function are exact up to the step's rounding, which
        // the check measures by the step actually taken
        Assert.True(GradCheck.Run(x => x[0] * 2.0, [Tensor.Scalar(0.5, requiresGrad: true)], eps: 0.25, atol: 0, rtol: 0).Passed);

    [Fact]
    public void GradCheck_reports_the_output_element_whose_derivative_is_worst()
    {
        // output row 1 col 0 is x·x.Detach(): its tape derivative is wrong; the other outputs are right
        var x = Tensor.From(new double[,] { { 3 } }, requiresGrad: true, name: "x");
        var report = GradCheck.Run(p => Tensor.Ones<double>(3, 2) * p[0] + Tensor.From(new double[,] { { 0, 0 }, { 1, 0 }, { 0, 0 } }) * (p[0] * p[0].Detach() - p[0]), [x]);
        Assert.False(report.Passed);
        Assert.Equal((1, 0), (report.OutputRow, report.OutputCol));
        Assert.Equal("x", report.InputName);
        Assert.Equal(0, report.InputIndex);
    }

    [Fact]
    public void The_relative_tolerance_scales_with_the_numeric_derivative()
    {
        // d(x·x.Detach())/dx: tape x = 1000, numbers 2000; rtol 0.6 allows 1200 of difference, rtol 0.4 only 800
        var x = Tensor.Scalar(1000.0, requiresGrad: true);
        Assert.True(GradCheck.Run(p => p[0] * p[0].Detach(), [x], eps: 1e-3, atol: 0, rtol: 0.6).Passed);
        Assert.False(GradCheck.Run(p => p[0] * p[0].Detach(), [x], eps: 1e-3, atol: 0, rtol: 0.4).Passed);
    }

    [Fact]
    public void The_report_carries_the_tolerances_and_step_it_used()
    {
        var report = GradCheck.Run(x => x[0].Exp(), [Tensor.Scalar(0.5, requiresGrad: true)], eps: 1e-5, atol: 1e-4, rtol: 1e-2);
        Assert.True(report.Passed);
        Assert.Equal((1e-5, 1e-4, 1e-2), (report.Eps, report.Atol, report.Rtol));
    }

    [Fact]
    public void An_entry_exactly_at_the_tolerance_passes()
    {
        // f = x + x.Detach(): tape derivative 1, central difference exactly 2 at x = 0.5 with ε = 0.25 (all dyadic);
        // |1 − 2| = 1 = atol 0.5 + rtol 0.25 · 2, which passes (≤), and fails with a hair less
        var x = Tensor.Scalar(0.5, requiresGrad: true);
        var report = GradCheck.Run(p => p[0] + p[0].Detach(), [x], eps: 0.25, atol: 0.5, rtol: 0.25);
        Assert.Equal((1.0, 2.0), (report.Analytic, report.Numeric));
        Assert.True(report.Passed);
        Assert.False(GradCheck.Run(p => p[0] + p[0].Detach(), [x], eps: 0.25, atol: 0.4999, rtol: 0.25).Passed);
    }

    [Fact]
    public void A_numeric_derivative_that_overflows_fails_the_check()
    {
        // f(x) = 1e308·x at x = 1.79: f(x + ε) overflows to ∞, so the numeric derivative is ∞ while the tape's is 1e308;
        // ∞ difference against an ∞ allowance must not count as a pass
        var x = Tensor.Scalar(1.79, requiresGrad: true);
        var report = GradCheck.Run(p => p[0] * 1e308, [x], eps: 0.01, atol: 1e-5, rtol: 1e-3);
        Assert.True(double.IsPositiveInfinity(report.Numeric));
        Assert.False(report.Passed);
    }

    [Fact]
    public void Of_equally_bad_entries_the_first_is_reported()
    {
        // both elements of x have the same wrong derivative (1 instead of 2); the report names element (0, 0)
        var x = Tensor.From(new double[,] { { 0.5, 0.5 } }, requiresGrad: true);
        var report = GradCheck.Run(p => (p[0] + p[0].Detach()).Sum(), [x], eps: 0.25, atol: 0, rtol: 0);
        Assert.False(report.Passed);
        Assert.Equal((0, 0), (report.Row, report.Col));
    }
}
