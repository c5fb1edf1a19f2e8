using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class PowTests
{
    private static readonly double[] Exponents = [-2, -1, 0, 0.5, 1, 2, 3, 2.5];

    [Fact]
    public void Pow_gradient_matches_finite_differences_for_integer_and_fractional_exponents() =>
        Properties.Check(
            Arb.From(from m in Gens.Matrix(Gens.Positive) from p in Gen.Elements(Exponents) select (m, p)),
            c => Properties.AssertGradCheck(x => x[0].Pow(c.p), c.m.ToTensor()));

    [Fact]
    public void Pow_with_an_integer_exponent_works_on_negative_bases() =>
        Properties.Check(
            Arb.From(from m in Gens.Matrix(Gens.AwayFromZero) from p in Gen.Elements(-1.0, 2.0, 3.0) select (m, p)),
            c => Properties.AssertGradCheck(x => x[0].Pow(c.p), c.m.ToTensor()));

    [Fact]
    public void Pow_values_match_math_pow() =>
        Properties.Check(
            Arb.From(from m in Gens.Matrix(Gens.Positive) from p in Gen.Elements(Exponents) select (m, p)),
            c => Reference.AssertUnaryValues(c.m, c.m.ToTensor().Pow(c.p), v => Math.Pow(v, c.p), 1e-13));

    [Fact]
    public void Pow_zero_has_zero_gradient_even_at_zero()
    {
        var x = Tensor.From(new double[,] { { 0, 2 } }, requiresGrad: true);
        var y = x.Pow(0);
        Assert.Equal(new double[,] { { 1, 1 } }, y.ToArray());
        y.Sum().Backward();
        Assert.Equal(new double[,] { { 0, 0 } }, x.Grad!.ToArray());
    }

    [Fact]
    public void Every_derivative_of_a_cube_at_zero_and_elsewhere_is_its_polynomial_without_NaN()
    {
        // x³ → 3x² → 6x → 6 → 0: the recorded rule g ⊙ c·x^q reaches c·q = 0 at the fourth derivative, where
        // g ⊙ 0·x⁻¹ would be 0·∞ = NaN at x = 0
        var x = Tensor.From(new double[,] { { 0, -1.5, 2 } }, requiresGrad: true);
        Tensor<double> d = x.Pow(3);
        double[][] expected = [[0, 6.75, 12], [0, -9, 12], [6, 6, 6], [0, 0, 0]];
        foreach (double[] derivative in expected)
        {
            d = Autograd.Grad(d.Sum(), [x], createGraph: true)[0];
            Assert.Equal(derivative, d.ToFlatArray());
        }
    }
}
