using Xunit;

namespace AutoGrad.Tests.Engine;

public class GradCheckTests
{
    [Fact]
    public void GradCheck_passes_a_correct_gradient_and_reports_the_worst_element()
    {
        var x = Tensor.From(new double[,] { { 0.5, -1 } }, requiresGrad: true, name: "x");
        var report = GradCheck.Run(p => (p[0] * p[0]).Sum(), [x]);
        Assert.True(report.Passed, report.ToString());
        Assert.Equal("x", report.InputName);
        Assert.True(report.AbsoluteError < 1e-8);
    }

    [Fact]
    public void GradCheck_fails_a_function_whose_tape_gradient_is_wrong_and_names_the_element()
    {
        // x.Detach() hides one factor from the tape: the tape says d(x²)/dx = x, the numbers say 2x.
        var x = Tensor.From(new double[,] { { 0.5, -1 } }, requiresGrad: true, name: "x");
        var report = GradCheck.Run(p => (p[0] * p[0].Detach()).Sum(), [x]);
        Assert.False(report.Passed);
        Assert.Equal(0, report.Row);
        Assert.Equal(1, report.Col); // |x| is larger there, so the error is
        Assert.Equal(-1.0, report.Analytic, 9);
        Assert.Equal(-2.0, report.Numeric, 6);
        Assert.Contains("FAILED", report.ToString());
    }

    [Fact]
    public void GradCheck_checks_the_full_jacobian_of_a_non_scalar_output()
    {
        var x = Tensor.From(new double[,] { { 0.5, -1 }, { 2, 3 } }, requiresGrad: true);
        Assert.True(GradCheck.Run(p => p[0].Transpose().MatMul(p[0]), [x]).Passed);
    }

    [Fact]
    public void GradCheck_restores_the_inputs_and_leaves_Grad_untouched()
    {
        var x = Tensor.From(new double[,] { { 0.5, -1 } }, requiresGrad: true);
        GradCheck.Run(p => p[0].Exp().Sum(), [x]);
        Assert.Equal(new double[,] { { 0.5, -1 } }, x.ToArray());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void GradCheck_refuses_when_no_input_requires_a_gradient() =>
        Assert.Throws<ArgumentException>(() => GradCheck.Run(p => p[0].Sum(), [Tensor.Scalar(1.0)]));
}
