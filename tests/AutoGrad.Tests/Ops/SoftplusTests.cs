using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class SoftplusTests
{
    /// <summary>
    /// ln(1 + eˣ) = max(x, 0) + ln(1 + u) with u = e^−|x|, the logarithm as 2·atanh(u / (2 + u)) summed in decimal
    /// (28 decimal places; u enters with its 17 significant digits); for u below 1e-9, ln(1 + u) = u − u²/2 to 1e-27 relative.
    /// </summary>
    private static double Reference(double x)
    {
        if (x > 40)
        {
            return x; // ln(1 + e^−x) < 1e-17 · x: below half an ulp of x
        }
        double u = Math.Exp(-Math.Abs(x));
        double tail = u - u * u / 2;
        if (u >= 1e-9)
        {
            decimal d = decimal.Parse(u.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
            decimal s = d / (2 + d), s2 = s * s, power = s, sum = 0;
            for (int k = 0; power > 1e-28m; k++, power *= s2)
            {
                sum += power / (2 * k + 1);
            }
            tail = (double)(2 * sum);
        }
        return Math.Max(x, 0) + tail;
    }

    [Fact]
    public void Softplus_values_match_the_definition_to_a_few_ulps_from_minus_700_to_700() =>
        Properties.Check(Arb.From(Gen.Choose(-700_000, 700_000).Select(k => k / 1000.0)), x =>
        {
            double y = Tensor.Scalar(x).Softplus().Item;
            double expected = Reference(x);
            Assert.True(Math.Abs(y - expected) <= 4 * Math.BitIncrement(Math.Abs(expected)) - 4 * Math.Abs(expected) + 1e-300,
                $"softplus({x}) = {y}, expected {expected}");
        }, cases: 500);

    [Fact]
    public void Softplus_is_exact_at_known_values_and_stable_at_the_extremes()
    {
        // 40-digit values (Python decimal): ln(1 + e^−2) = 0.12692801104297249644…, 3 + ln(1 + e^−3) = 3.04858735157374205875…
        var x = Tensor.From(new double[,] { { -2, 0, 3, 1000, -1000, -700, double.PositiveInfinity, double.NegativeInfinity } });
        var y = x.Softplus();
        Assert.Equal(0.12692801104297249644, y[0, 0]);
        Assert.Equal(Math.Log(2), y[0, 1]);
        Assert.Equal(3.04858735157374205875, y[0, 2]);
        Assert.Equal(1000, y[0, 3]);
        Assert.Equal(0, y[0, 4]);
        Assert.Equal(Math.Exp(-700), y[0, 5], Math.Exp(-700) * 1e-15);
        Assert.Equal(double.PositiveInfinity, y[0, 6]);
        Assert.Equal(0, y[0, 7]);
        Assert.True(double.IsNaN(Tensor.Scalar(double.NaN).Softplus().Item));
        Assert.Equal(1000f, Tensor.Scalar(1000f).Softplus().Item);
        Assert.Equal(MathF.Log(2), Tensor.Scalar(0f).Softplus().Item);
    }

    [Fact]
    public void Softplus_gradient_is_the_sigmoid_of_the_input_and_finite_at_the_extremes() =>
        Properties.Check(Gens.AnyMatrix(Gen.Choose(-1_000_000, 1_000_000).Select(k => k / 1000.0)), m =>
        {
            var x = m.ToTensor();
            x.Softplus().Sum().Backward();
            double[] sigma = x.Sigmoid().ToFlatArray(), grad = x.Grad!.ToFlatArray();
            for (int i = 0; i < grad.Length; i++)
            {
                // the same σ kernel, which may round an element differently by an ulp or two with the array's alignment
                Assert.InRange(grad[i], Math.BitDecrement(Math.BitDecrement(sigma[i])), Math.BitIncrement(Math.BitIncrement(sigma[i])));
                Assert.InRange(grad[i], 0.0, 1.0);
            }
        });

    [Fact]
    public void Softplus_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(Gens.Value), m => Properties.AssertGradCheck(x => x[0].Softplus(), m.ToTensor()));

    [Fact]
    public void Softplus_appears_in_formulas_with_the_sigmoid_as_its_derivative()
    {
        var x = Tensor.From(new double[,] { { -1, 2 } }, requiresGrad: true, name: "x");
        Assert.Equal("softplus(x)", Symbolic.FromGraph(x.Softplus()).Text);
        Assert.Equal("σ(x)", Symbolic.Gradient(x.Softplus().Sum(), x).Text);
    }
}
