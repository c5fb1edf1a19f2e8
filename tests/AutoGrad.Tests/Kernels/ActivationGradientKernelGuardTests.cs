using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="ActivationGradientKernel.GradientOfProduct{T, TOp}"/>'s split form case by case, and the notation of σ's
/// and tanh's higher derivatives, where session twelve's mutation run found them untested: two zero seeds, two infinite
/// seeds, the sign of a zero product, a partial product of the seeds that falls below the normal range and comes back.
/// </summary>
public class ActivationGradientKernelGuardTests
{
    private const double Y = 0.3; // σ″ = (1 − 2y)·y(1 − y) = 0.084, σ‴ = y(1 − y)(1 − 6y + 6y²) = −0.0546 there

    private static readonly double X = Math.Log(Y / (1 - Y));

    private static double Sigmoid(params double[] seeds)
    {
        var d = new double[1];
        ActivationGradientKernel.GradientOfProduct<double, SigmoidOperator>(seeds.Select(s => new[] { s }).ToArray(), 0, [X], [Y], d);
        return d[0];
    }

    private static bool SameBits(double expected, double actual) => BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual);

    [Fact]
    public void Two_zero_seeds_give_zero_and_two_infinite_seeds_infinity()
    {
        Assert.True(SameBits(0.0, Sigmoid(0, 0)), $"0 · 0 · σ″: {Sigmoid(0, 0)}");
        Assert.Equal(double.PositiveInfinity, Sigmoid(double.PositiveInfinity, double.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, Sigmoid(double.NegativeInfinity, double.NegativeInfinity));
        Assert.True(double.IsNaN(Sigmoid(0, double.PositiveInfinity)), "0 · ∞ is NaN");
    }

    [Fact]
    public void A_zero_product_has_the_sign_of_the_product_of_the_signs()
    {
        Assert.True(SameBits(-0.0, Sigmoid(0, -2)), $"0 · (−2) · 0.084: {Sigmoid(0, -2)}");
        Assert.True(SameBits(0.0, Sigmoid(0, 2)), $"0 · 2 · 0.084: {Sigmoid(0, 2)}");
        Assert.True(SameBits(0.0, Sigmoid(-0.0, -2)), $"(−0) · (−2) · 0.084: {Sigmoid(-0.0, -2)}");
        Assert.True(SameBits(0.0, Sigmoid(0, -2, 3)), $"0 · (−2) · 3 · (−0.0546): {Sigmoid(0, -2, 3)}");
    }

    [Fact]
    public void A_partial_product_below_the_normal_range_that_comes_back_keeps_every_digit()
    {
        // 1e-200 · 1e-120 = 1e-320, a subnormal with 11 significant bits; times 1e300 the direct product is 1e-20 to 1e-4
        double reference = 1e-200 * 1e300 * 1e-120 * (Y * (1 - Y) * (1 - 6 * Y + 6 * Y * Y));
        double actual = Sigmoid(1e-200, 1e-120, 1e300);
        Assert.True(Math.Abs(actual - reference) <= 1e-14 * Math.Abs(reference), $"{actual} against {reference}");
    }

    [Fact]
    public void Higher_derivatives_are_written_with_primes_to_the_third_and_bracketed_orders_beyond()
    {
        Assert.Equal("σ‴", ActivationGradientDeclaration<SigmoidOperator>.SymbolOf(3));
        Assert.Equal("σ⁽⁴⁾", ActivationGradientDeclaration<SigmoidOperator>.SymbolOf(4));
        Assert.Equal("tanh⁽¹²⁾", ActivationGradientDeclaration<TanhOperator>.SymbolOf(12));
        Assert.Equal("Sigmoid⁽⁵⁾", ActivationGradientDeclaration<SigmoidOperator>.NameOf(5));
        Assert.Equal("\\sigma'''", ActivationGradientDeclaration<SigmoidOperator>.LatexOf(3));
        Assert.Equal("\\sigma^{(4)}", ActivationGradientDeclaration<SigmoidOperator>.LatexOf(4));
    }

    [Fact]
    public void A_higher_derivative_symbol_evaluates_up_to_order_32_and_only_of_one_argument()
    {
        var declaration = new SigmoidGradientDeclaration(2);
        var x = Tensor.From(new double[,] { { X } });
        var fourth = declaration.Evaluate<double>("σ⁽⁴⁾", [x]);
        Assert.NotNull(fourth);
        // σ⁽⁴⁾ = y(1 − y)(1 − 14y + 36y² − 24y³)
        Assert.Equal(Y * (1 - Y) * (1 - 14 * Y + 36 * Y * Y - 24 * Y * Y * Y), fourth!.Item, 14);
        Assert.NotNull(declaration.Evaluate<double>("σ⁽³²⁾", [x]));
        Assert.Null(declaration.Evaluate<double>("σ⁽³³⁾", [x]));
        Assert.Null(declaration.Evaluate<double>("σ⁽⁴⁾", [x, x]));
        Assert.Null(declaration.Evaluate<double>("tanh″", [x]));
    }
}
