using Xunit;

namespace AutoGrad.Tests.UserPrograms;

/// <summary>The fifth program: a custom function, its gradient and its Hessian from the tape.</summary>
public class HessianProgram
{
    [Fact]
    public void The_Hessian_of_a_custom_function_matches_its_formula()
    {
        // f(x, y) = sin(x)·y² + x³, at (0.5, 2)
        static Tensor<double> F(Tensor<double> v)
        {
            var x = v[0..1];
            var y = v[1..2];
            return (x.Sin() * y.Square() + x.Pow(3)).Sum();
        }
        var point = Tensor.From(new[] { 0.5, 2.0 }, requiresGrad: true);

        var gradient = Autograd.Grad(F(point), [point])[0];
        var hessian = Autograd.Hessian(F, point);

        double x0 = 0.5, y0 = 2;
        Assert.Equal(Math.Cos(x0) * y0 * y0 + 3 * x0 * x0, gradient[0, 0], 1e-12);
        Assert.Equal(2 * Math.Sin(x0) * y0, gradient[1, 0], 1e-12);
        Assert.Equal(-Math.Sin(x0) * y0 * y0 + 6 * x0, hessian[0, 0], 1e-12);
        Assert.Equal(2 * Math.Cos(x0) * y0, hessian[0, 1], 1e-12);
        Assert.Equal(2 * Math.Cos(x0) * y0, hessian[1, 0], 1e-12);
        Assert.Equal(2 * Math.Sin(x0), hessian[1, 1], 1e-12);
    }
}
