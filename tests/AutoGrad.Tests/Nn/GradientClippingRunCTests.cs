using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// Session fifteen, run C survivors of <c>GradientClipping.cs</c>: a sum of squares (or of p-th powers) exactly at the
/// threshold below which the norm is computed scaled (2⁻⁹⁶⁸ in double) is the plain formula's bits; a p-norm whose powers
/// underflow to 0 has its true value; the ∞-norm is the largest magnitude; an infinite gradient's p-norm is +∞; a
/// coefficient of exactly 1 scales nothing; maxNorm 0 is allowed; the refusal names the first non-finite gradient.
/// Where the plain formula's bits are compared, the values were found (glibc's pow, Python's <c>math.pow</c>, which .NET's
/// Math.Pow calls on Linux) so that the scaled formula, or pow in place of a product or square root, rounds otherwise:
/// <code>
/// # a*a + b*b == 1.0 but max·√((a/max)² + (b/max)²) == 0.9999999999999999: a = 0x1.378819d201c94p-1, b = 0x1.9650b062dd828p-1
/// # a + b == 1.0 but max·(a/max + b/max) == 0.9999999999999999: a = 0x1.4fee50ddce87fp-2, b = 0x1.5808d79118bc0p-1
/// # pow(pow(x,2) + pow(y,2), 0.5) != sqrt(x*x + y*y): x = 0x1.ab1a8353c9904p+0, y = 0x1.b079da2d48d20p-1
/// # sqrt(pow(x,2) + pow(y,2)) != sqrt(x*x + y*y):     x = 0x1.7410fe6eae046p+0, y = 0x1.b636887e2a4afp+0
/// </code>
/// </summary>
public class GradientClippingRunCTests
{
    /// <summary>2⁻⁹⁶⁸: below it a double sum of squares is computed scaled.</summary>
    private static readonly double Tiny = Math.ScaleB(1, -968);

    // the values above, from their 53-bit mantissas: mantissa · 2^(exponent − 52)
    private static readonly double SquaresA = Math.ScaleB(0x1378819d201c94L, -53), SquaresB = Math.ScaleB(0x19650b062dd828L, -53);
    private static readonly double PlusA = Math.ScaleB(0x14fee50ddce87fL, -54), PlusB = Math.ScaleB(0x15808d79118bc0L, -53);
    private static readonly double PowX = Math.ScaleB(0x1ab1a8353c9904L, -52), PowY = Math.ScaleB(0x1b079da2d48d20L, -53);
    private static readonly double PowSquareX = Math.ScaleB(0x17410fe6eae046L, -52), PowSquareY = Math.ScaleB(0x1b636887e2a4afL, -52);

    private static Tensor<double> Parameter(params double[] grad)
    {
        var parameter = Tensor.Zeros<double>(1, grad.Length, requiresGrad: true);
        parameter.Grad = Tensor.FromRowMajor(1, grad.Length, grad);
        return parameter;
    }

    private static void SameBits(double expected, double actual, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), FormattableString.Invariant($"{what}: {actual:R}, expected {expected:R}"));

    [Fact]
    public void The_values_below_round_otherwise_scaled_or_through_pow()
    {
        // the premise of the tests below, on this machine's Math.Pow
        Assert.Equal(1.0, SquaresA * SquaresA + SquaresB * SquaresB);
        Assert.NotEqual(1.0, SquaresB * Math.Sqrt(SquaresA / SquaresB * (SquaresA / SquaresB) + 1));
        Assert.Equal(1.0, PlusA + PlusB);
        Assert.NotEqual(1.0, PlusB * (PlusA / PlusB + 1));
        Assert.NotEqual(Math.Sqrt(PowX * PowX + PowY * PowY), Math.Pow(Math.Pow(PowX, 2) + Math.Pow(PowY, 2), 0.5));
        Assert.NotEqual(Math.Sqrt(PowSquareX * PowSquareX + PowSquareY * PowSquareY), Math.Sqrt(Math.Pow(PowSquareX, 2) + Math.Pow(PowSquareY, 2)));
    }

    [Fact]
    public void A_two_norm_whose_sum_of_squares_is_exactly_the_scaling_threshold_is_the_plain_square_root()
    {
        double a = Math.ScaleB(SquaresA, -484), b = Math.ScaleB(SquaresB, -484);
        Assert.Equal(Tiny, a * a + b * b);
        // one gradient [a, b]: its Σg² is the threshold
        SameBits(Math.ScaleB(1, -484), GradientClipping.ClipGradNorm([Parameter(a, b)], double.PositiveInfinity), "‖[a, b]‖₂");
        // two gradients [a], [b] (each norm exact): Σ‖gᵢ‖² is the threshold
        SameBits(Math.ScaleB(1, -484), GradientClipping.ClipGradNorm([Parameter(a), Parameter(b)], double.PositiveInfinity), "‖([a], [b])‖₂");
    }

    [Fact]
    public void A_one_norm_whose_sum_is_exactly_the_scaling_threshold_is_the_plain_sum()
    {
        double a = Math.ScaleB(PlusA, -968), b = Math.ScaleB(PlusB, -968);
        Assert.Equal(Tiny, a + b);
        SameBits(Tiny, GradientClipping.ClipGradNorm([Parameter(a, -b)], double.PositiveInfinity, 1), "‖[a, −b]‖₁");
        SameBits(Tiny, GradientClipping.ClipGradNorm([Parameter(-a), Parameter(b)], double.PositiveInfinity, 1), "‖([−a], [b])‖₁");
    }

    [Fact]
    public void A_two_norm_is_summed_with_products_and_a_square_root_not_pow()
    {
        // one gradient [x, y]: √(x² + y²), each square a product
        SameBits(Math.Sqrt(PowX * PowX + PowY * PowY), GradientClipping.ClipGradNorm([Parameter(PowX, PowY)], double.PositiveInfinity), "‖[x, y]‖₂");
        // two gradients [x], [y]: the norm of the norms, each squared by a product
        SameBits(Math.Sqrt(PowSquareX * PowSquareX + PowSquareY * PowSquareY),
            GradientClipping.ClipGradNorm([Parameter(PowSquareX), Parameter(-PowSquareY)], double.PositiveInfinity), "‖([x], [−y])‖₂");
    }

    [Fact]
    public void A_p_norm_whose_powers_underflow_to_zero_has_its_true_value()
    {
        // (1e-200)³ is 0 in double: Σ‖gᵢ‖³ = 0 although neither norm is; the true 3-norm is 1e-200 · ∛2
        double total = GradientClipping.ClipGradNorm([Parameter(1e-200), Parameter(-1e-200)], double.PositiveInfinity, 3);
        SameBits(1e-200 * Math.Pow(2, 1.0 / 3), total, "‖([1e-200], [−1e-200])‖₃");
        Assert.Equal(1.2599210498948732e-200, total, 1e-214);
        // with a zero gradient among them
        Assert.Equal(1.2599210498948732e-200, GradientClipping.ClipGradNorm([Parameter(1e-200, 0), Parameter(0.0), Parameter(-1e-200)], double.PositiveInfinity, 3), 1e-214);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(double.PositiveInfinity)]
    public void All_zero_gradients_measure_zero_and_a_zero_gradient_beside_others_adds_nothing(double p)
    {
        Assert.Equal(0.0, GradientClipping.ClipGradNorm([Parameter(0, 0), Parameter(0.0)], 1.0, p));
        Assert.Equal(0.0, GradientClipping.ClipGradNorm([Parameter(0, -0.0)], 1.0, p));
        // [3, 4] beside a zero gradient: 7, 5, (27 + 64)^(1/3), 4
        double expected = p == 1 ? 7 : p == 2 ? 5 : p == 3 ? Math.Pow(91, 1.0 / 3) : 4;
        Assert.Equal(expected, GradientClipping.ClipGradNorm([Parameter(0, 0), Parameter(3, -4), Parameter(0.0)], double.PositiveInfinity, p), 1e-15);
    }

    [Fact]
    public void The_infinity_norm_is_the_largest_magnitude_and_NaN_wins()
    {
        var a = Parameter(0.5, -3);
        var b = Parameter(2.0);
        Assert.Equal(3.0, GradientClipping.ClipGradNorm([a, b], 1.0, double.PositiveInfinity));
        Assert.Equal(0.5 / (3 + 1e-6), a.Grad!.ToFlatArray()[0], 1e-15);
        Assert.Equal(2.5, GradientClipping.ClipGradNorm([Parameter(0.25), Parameter(-2.5, 1)], double.PositiveInfinity, double.PositiveInfinity));
        // NaN anywhere, before or after a larger value, in the first or a later gradient
        Assert.True(double.IsNaN(GradientClipping.ClipGradNorm([Parameter(5.0), Parameter(double.NaN, 7)], double.PositiveInfinity, double.PositiveInfinity, errorIfNonfinite: false)));
        Assert.True(double.IsNaN(GradientClipping.ClipGradNorm([Parameter(1.0, double.NaN), Parameter(7.0)], double.PositiveInfinity, double.PositiveInfinity, errorIfNonfinite: false)));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void An_infinite_gradients_p_norm_is_infinite_and_scales_as_PyTorch(double p)
    {
        // PyTorch's rule (clip_grad_norm_(..., error_if_nonfinite=False), not run here): the total is inf, c = 1 / (inf + 1e-6) = 0,
        // so a.grad = [inf, 1] becomes [nan, 0] and b.grad = [2] becomes [0]
        var a = Parameter(double.PositiveInfinity, 1);
        var b = Parameter(2.0);
        Assert.Equal(double.PositiveInfinity, GradientClipping.ClipGradNorm([a, b], 1.0, p, errorIfNonfinite: false));
        Assert.Equal([double.NaN, 0.0], a.Grad!.ToFlatArray());
        Assert.Equal([0.0], b.Grad!.ToFlatArray());
    }

    [Fact]
    public void A_coefficient_of_exactly_one_scales_nothing_and_bumps_no_version()
    {
        // total 1, maxNorm = 1 + 1e-6 = total + 1e-6: c = 1 exactly
        var a = Parameter(0.6, -0.8);
        int version = a.Grad!.Version;
        Assert.Equal(1.0, Math.Sqrt(0.6 * 0.6 + 0.8 * 0.8));
        Assert.Equal(1.0, (1 + 1e-6) / (1.0 + 1e-6));
        Assert.Equal(1.0, GradientClipping.ClipGradNorm([a], 1 + 1e-6));
        Assert.Equal([0.6, -0.8], a.Grad!.ToFlatArray());
        Assert.Equal(version, a.Grad!.Version);
        // just below: scaled, version bumped
        Assert.Equal(1.0, GradientClipping.ClipGradNorm([a], Math.BitDecrement(1 + 1e-6)));
        Assert.NotEqual(version, a.Grad!.Version);
    }

    [Fact]
    public void A_max_norm_of_zero_is_allowed_and_zeroes_every_gradient()
    {
        var a = Parameter(3.0, -4.0);
        var b = Parameter(0.5);
        int version = a.Grad!.Version;
        Assert.Equal(Math.Sqrt(25.25), GradientClipping.ClipGradNorm([a, b], 0.0), 1e-15);
        Assert.Equal([0.0, -0.0], a.Grad!.ToFlatArray());
        Assert.Equal([0.0], b.Grad!.ToFlatArray());
        Assert.NotEqual(version, a.Grad!.Version);
    }

    [Fact]
    public void The_refusal_names_the_first_non_finite_gradient_whatever_follows_it()
    {
        var finite = Tensor.Zeros<double>(1, 1, requiresGrad: true, name: "finite");
        finite.Grad = Tensor.FromRowMajor(1, 1, [1.0]);
        var first = Tensor.Zeros<double>(1, 2, requiresGrad: true, name: "first");
        first.Grad = Tensor.FromRowMajor(1, 2, [double.NaN, 1.0]);
        var second = Tensor.Zeros<double>(1, 1, requiresGrad: true, name: "second");
        second.Grad = Tensor.FromRowMajor(1, 1, [double.PositiveInfinity]);
        var last = Tensor.Zeros<double>(1, 1, requiresGrad: true, name: "last");
        last.Grad = Tensor.FromRowMajor(1, 1, [2.0]);
        foreach (double p in new[] { 2.0, 1.0, double.PositiveInfinity })
        {
            string message = Assert.Throws<ArgumentException>(() => GradientClipping.ClipGradNorm([finite, first, second, last], 1.0, p)).Message;
            Assert.Contains(": 'first' (1×2) has a non-finite gradient. Nothing was scaled.", message, StringComparison.Ordinal);
            Assert.DoesNotContain("'second'", message, StringComparison.Ordinal);
        }
        Assert.Equal([1.0], finite.Grad!.ToFlatArray());
        Assert.Equal([2.0], last.Grad!.ToFlatArray());
    }
}
