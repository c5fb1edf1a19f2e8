using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class AbsTests
{
    [Fact]
    public void Abs_gradient_matches_finite_differences_away_from_the_kink() =>
        Properties.Check(Gens.AnyMatrix(Gens.AwayFromZero), m => Properties.AssertGradCheck(x => x[0].Abs(), m.ToTensor()));

    [Fact]
    public void Abs_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(), m => Reference.AssertUnaryValues(m, m.ToTensor().Abs(), Math.Abs, 0));

    [Fact]
    public void Abs_gradient_is_the_sign_and_zero_at_zero_as_in_pytorch()
    {
        // torch.tensor([-2., 0., 3.]).abs().sum().backward() → grad [-1, 0, 1], in float64 and float32
        var x = Tensor.From(new double[,] { { -2, 0, 3 } }, requiresGrad: true);
        x.Abs().Sum().Backward();
        Assert.Equal(new double[,] { { -1, 0, 1 } }, x.Grad!.ToArray());
        var f = Tensor.From(new float[,] { { -2, 0, 3 } }, requiresGrad: true);
        f.Abs().Sum().Backward();
        Assert.Equal(new float[,] { { -1, 0, 1 } }, f.Grad!.ToArray());
    }

    [Fact]
    public void Abs_fused_and_recorded_gradients_agree_at_zero()
    {
        var x = Tensor.From(new double[,] { { -2, 0, 3 } }, requiresGrad: true);
        var recorded = Autograd.Grad((x.Abs() * x).Sum(), [x], createGraph: true)[0];
        Assert.Equal(new double[,] { { 4, 0, 6 } }, recorded.ToArray()); // d(x|x|)/dx = 2|x|
    }
}
