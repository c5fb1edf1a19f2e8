using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class SqrtTests
{
    [Fact]
    public void Sqrt_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(Gens.Positive), m => Properties.AssertGradCheck(x => x[0].Sqrt(), m.ToTensor()));

    [Fact]
    public void Sqrt_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(Gens.Positive), m => Reference.AssertUnaryValues(m, m.ToTensor().Sqrt(), Math.Sqrt, 0));

    [Fact]
    public void Sqrt_gradient_is_one_over_two_root_and_infinite_at_zero_as_in_pytorch()
    {
        // torch.tensor([0., 4.]).sqrt().sum().backward() → grad [inf, 0.25]
        var x = Tensor.From(new double[,] { { 0, 4 } }, requiresGrad: true);
        x.Sqrt().Sum().Backward();
        Assert.Equal(new double[,] { { double.PositiveInfinity, 0.25 } }, x.Grad!.ToArray());
        var f = Tensor.From(new float[,] { { 0, 4 } }, requiresGrad: true);
        f.Sqrt().Sum().Backward();
        Assert.Equal(new float[,] { { float.PositiveInfinity, 0.25f } }, f.Grad!.ToArray());
    }

    [Fact]
    public void Sqrt_of_a_negative_number_is_nan_and_anomaly_mode_names_it()
    {
        var x = Tensor.From(new double[,] { { -1, 4 } }, requiresGrad: true);
        Assert.True(double.IsNaN(x.Sqrt()[0, 0]));
        using (Tensor.DetectAnomaly())
        {
            var error = Assert.Throws<AnomalyException>(() => x.Sqrt());
            Assert.StartsWith("Sqrt forward", error.Message);
        }
    }
}
