using System.Numerics;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// s · Σ x², the squared-error losses' reduction: the bits of Σ(x²) ⊙ s (value and gradients) wherever that form is
/// finite and exact enough, and within rounding of the exact value over the whole range — finite wherever the loss is,
/// though a square overflows (the mean of [1.5e154, 0]² is 1.125e308), and not 0 where the squares underflow.
/// </summary>
public class SumOfSquaresTests
{
    /// <summary>The losses and the compositions they were before the fused operation (which overflowed with a square).</summary>
    private static readonly (string Name, Func<Tensor<double>, Tensor<double>, Tensor<double>> Loss, Func<Tensor<double>, Tensor<double>> Composed)[] Losses =
    [
        ("HalfSumSquared", Loss.HalfSumSquared, r => r.Square().Sum() * 0.5),
        ("HalfMeanSquared", Loss.HalfMeanSquared, r => r.Square().Sum() * (1.0 / (2 * r.Rows))),
        ("SumSquared", Loss.SumSquared, r => r.Square().Sum()),
        ("MeanSquaredError", Loss.MeanSquaredError, r => r.Square().Mean()),
    ];

    private static readonly Gen<double> WideDouble =
        Gen.Frequency(
            (1, Gen.Elements(0.0, -0.0)),
            (2, Gens.Value),
            (6, from e in Gen.Choose(-1074, 1023) from m in Gen.Choose(0, 1 << 30) from negative in Gen.Elements(false, true)
                select (negative ? -1 : 1) * Math.ScaleB(1 + m / (double)(1 << 30), e)));

    /// <summary>±m·2ᵉ with e within 4 below <paramref name="top"/> (squares that overflow or underflow together when top is near ±512).</summary>
    private static Gen<double> Near(int top) =>
        from e in Gen.Choose(Math.Max(top - 4, -1074), top) from m in Gen.Choose(0, 1 << 30) from negative in Gen.Elements(false, true)
        select (negative ? -1 : 1) * Math.ScaleB(1 + m / (double)(1 << 30), e);

    [Fact]
    public void Mean_squared_error_is_finite_where_a_square_overflows_but_the_mean_does_not()
    {
        double r = 1.5e154; // r² = 2.25e308 > double.MaxValue
        var prediction = Tensor.From(new[,] { { r, 0 } }, requiresGrad: true);
        var target = Tensor.Zeros<double>(1, 2);
        Assert.Equal(r * (r / 2), Loss.MeanSquaredError(prediction, target).Item);
        Assert.Equal(r * (r / 2), Loss.HalfMeanSquared(prediction, target).Item); // Σr² / (2N), N = 1 row
        Assert.Equal(r * (r / 2), Loss.HalfSumSquared(prediction, target).Item);
        Assert.Equal(double.PositiveInfinity, Loss.SumSquared(prediction, target).Item);
        // a true overflow stays ∞: the mean of [1.5e154, 1.5e154]² is 2.25e308
        Assert.Equal(double.PositiveInfinity, Loss.MeanSquaredError(Tensor.Full(1, 2, r), target).Item);
        // the gradient is as before: ((1 · ½) · r) · 2 = r
        Assert.Equal(new[] { r, 0 }, Autograd.Grad(Loss.MeanSquaredError(prediction, target), [prediction])[0].ToFlatArray());
        // float: 2e19² = 4e38 > float.MaxValue, the mean 2e38 is not
        var floatPrediction = Tensor.From(new[,] { { 2e19f, 0f } });
        Assert.Equal(2e19f * (2e19f / 2), Loss.MeanSquaredError(floatPrediction, Tensor.Zeros<float>(1, 2)).Item);
    }

    [Fact]
    public void Sum_of_squares_is_not_zero_where_every_square_underflows()
    {
        // (1.5e-162)² = 2.25e-324 rounds to 0, so Σ(x²) of a thousand of them was 0; the sum is 2.25e-321
        var x = Tensor.Full(1, 1000, 1.5e-162);
        Assert.Equal(0.0, x.Square().Sum().Item);
        Assert.Equal(2.25e-321, Loss.SumSquared(x, Tensor.Zeros<double>(1, 1000)).Item, 5e-324);
    }

    [Fact]
    public void Infinite_and_nan_residuals_give_infinity_and_nan()
    {
        var target = Tensor.Zeros<double>(1, 3);
        Assert.Equal(double.PositiveInfinity, Loss.MeanSquaredError(Tensor.From(new[,] { { 1, double.NegativeInfinity, 1e300 } }), target).Item);
        Assert.True(double.IsNaN(Loss.MeanSquaredError(Tensor.From(new[,] { { 1, double.NaN, 1e300 } }), target).Item));
        Assert.Equal(0.0, Loss.MeanSquaredError(target, target).Item);
    }

    [Fact]
    public void Every_loss_is_its_composed_form_bit_for_bit_in_the_ordinary_range() =>
        Properties.Check(
            Arb.From(from m in Gens.Matrix(Gens.Value) from t in Gens.MatrixOf(m.Rows, m.Cols, Gens.Value) from seed in Gens.Value select (m, t, seed)),
            c =>
            {
                foreach (var (name, loss, composed) in Losses)
                {
                    var target = c.t.ToTensor(requiresGrad: false);
                    var fusedPrediction = c.m.ToTensor();
                    var composedPrediction = c.m.ToTensor();
                    var fused = loss(fusedPrediction, target);
                    var reference = composed(composedPrediction - target);
                    Assert.True(fused.Item.Equals(reference.Item), $"{name}: {fused.Item:R} vs {reference.Item:R}");
                    foreach (bool createGraph in new[] { false, true })
                    {
                        var seed = Tensor.Full(1, 1, c.seed);
                        double[] fusedGrad = Autograd.Grad(fused, [fusedPrediction], createGraph, seed)[0].ToFlatArray();
                        double[] composedGrad = Autograd.Grad(reference, [composedPrediction], createGraph, seed)[0].ToFlatArray();
                        Assert.True(fusedGrad.SequenceEqual(composedGrad), $"{name} gradient (createGraph {createGraph}): [{string.Join(", ", fusedGrad)}] vs [{string.Join(", ", composedGrad)}]");
                    }
                }
            });

    [Fact]
    public void Second_derivative_is_the_composed_forms()
    {
        // ∂²/∂x² of s · Σ x² is 2s on the diagonal: through the recorded gradient ((g · s) ⊙ x) · 2
        var x = Tensor.From(new[,] { { 1.5, -2 }, { 0.25, 3 } }, requiresGrad: true);
        var grad = Autograd.Grad(Loss.MeanSquaredError(x, Tensor.Zeros<double>(2, 2)), [x], createGraph: true)[0];
        var second = Autograd.Grad(grad.Sum(), [x])[0];
        Assert.Equal(Enumerable.Repeat(2 * 0.25, 4), second.ToFlatArray());
    }

    [Fact]
    public void Value_is_within_rounding_of_the_exact_sum_of_squares_over_the_whole_range() =>
        Properties.Check(
            Arb.From(from n in Gen.Choose(1, 40)
                     from top in Gen.Frequency((1, Gen.Choose(-1074, 1023)), (2, Gen.Choose(505, 515)), (2, Gen.Choose(-545, -530)))
                     from values in Gen.ArrayOf(Gen.Frequency((1, WideDouble), (4, Near(top))), n)
                     from scale in Gen.Elements(1.0, 0.5, 1.0 / n, 1.0 / (2 * n))
                     select (values, scale)),
            c =>
            {
                double exact = ExactSumOfSquares(c.values, c.scale); // within 2⁻⁵¹ relative
                double value = Tensor.FromRowMajor(1, c.values.Length, c.values).ScaledSumOfSquares(c.scale).Item;
                string message = $"[{string.Join(", ", c.values.Select(v => v.ToString("R")))}] · {c.scale:R}: {value:R}, exact {exact:R}";
                if (double.IsInfinity(exact) || exact > double.MaxValue * (1 - 1e-14))
                {
                    Assert.True(exact > double.MaxValue * (1 + 1e-14) ? double.IsPositiveInfinity(value) : value >= double.MaxValue * (1 - 1e-13), message);
                    return;
                }
                // n additions and the scale: well within 1e-13 relative, plus half a subnormal step below the normals
                Assert.True(Math.Abs(value - exact) <= 1e-13 * exact + double.Epsilon, message);
            });

    /// <summary>s · Σ x², the sum exact (a BigInteger in units of 2⁻²¹⁴⁸), then three roundings (relative error below 2⁻⁵¹).</summary>
    private static double ExactSumOfSquares(double[] x, double scale)
    {
        var sum = BigInteger.Zero;
        foreach (double v in x)
        {
            long bits = BitConverter.DoubleToInt64Bits(Math.Abs(v));
            int exponent = (int)(bits >> 52);
            BigInteger mantissa = (bits & ((1L << 52) - 1)) | (exponent == 0 ? 0 : 1L << 52);
            BigInteger units = mantissa << Math.Max(exponent - 1, 0); // |v| in units of 2⁻¹⁰⁷⁴
            sum += units * units;
        }
        if (sum.IsZero)
        {
            return 0;
        }
        int shift = Math.Max(0, (int)sum.GetBitLength() - 62);
        return Math.ScaleB((double)(sum >> shift) * scale, shift - 2148);
    }
}
