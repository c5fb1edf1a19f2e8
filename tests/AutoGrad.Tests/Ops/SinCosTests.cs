using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class SinCosTests
{
    [Fact]
    public void Sin_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(), m => Properties.AssertGradCheck(x => x[0].Sin(), m.ToTensor()));

    [Fact]
    public void Cos_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(), m => Properties.AssertGradCheck(x => x[0].Cos(), m.ToTensor()));

    [Fact]
    public void Sin_and_cos_values_match_the_scalar_formulas() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            Reference.AssertUnaryValues(m, m.ToTensor().Sin(), Math.Sin, 1e-15);
            Reference.AssertUnaryValues(m, m.ToTensor().Cos(), Math.Cos, 1e-15);
        });

    [Fact]
    public void Sin_squared_plus_cos_squared_is_one_and_its_gradient_is_zero() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            var x = m.ToTensor();
            var one = x.Sin().Square() + x.Cos().Square();
            Assert.All(one.ToFlatArray(), v => Assert.Equal(1.0, v, 1e-15));
            one.Sum().Backward();
            Assert.All(x.Grad!.ToFlatArray(), g => Assert.Equal(0.0, g, 1e-15));
        });

    [Fact]
    public void Sin_and_cos_work_in_float()
    {
        var x = Tensor.From(new float[,] { { 0, MathF.PI / 2 } }, requiresGrad: true);
        x.Sin().Sum().Backward();
        Assert.Equal(1f, x.Sin()[0, 1], 6);
        Assert.Equal(new[] { 1f, MathF.Cos(MathF.PI / 2) }, x.Grad!.ToFlatArray());
    }
}
