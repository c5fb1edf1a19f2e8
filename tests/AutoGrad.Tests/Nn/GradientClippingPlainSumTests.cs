using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// Session fourteen, run B survivors of <c>GradientClipping.cs</c>: where the plain sums stay in the normal range the
/// norms are the plain formula bit for bit (the scaled fallback, m·√Σ(g/m)², is close but not the same bits, so a
/// threshold or a sum taken wrongly shows); an all-zero gradient measures 0, not NaN.
/// </summary>
public class GradientClippingPlainSumTests
{
    /// <summary>Seed of the gradients, element scale, p (2 or 3).</summary>
    private static readonly Arbitrary<(int Seed, double Scale, double P)> Cases = Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from scale in Gen.Elements(1.0, 1e-20, 1e-12)
        from p in Gen.Elements(2.0, 3.0)
        select (seed, scale, p));

    private static double[][] Gradients(int seed, double scale)
    {
        var random = new Random(seed);
        var grads = new double[2 + random.Next(3)][];
        for (int i = 0; i < grads.Length; i++)
        {
            grads[i] = new double[1 + random.Next(7)];
            for (int j = 0; j < grads[i].Length; j++)
            {
                grads[i][j] = (random.NextDouble() * 2 - 1) * scale;
            }
        }
        return grads;
    }

    /// <summary>The plain formula in double: each ‖gᵢ‖ₚ summed in double, then Σ‖gᵢ‖ᵖ and its root.</summary>
    private static double PlainDouble(double[][] grads, double p)
    {
        double total = 0;
        foreach (double[] g in grads)
        {
            double sum = 0;
            foreach (double v in g)
            {
                sum += p == 2 ? v * v : Math.Pow(Math.Abs(v), p);
            }
            double norm = p == 2 ? Math.Sqrt(sum) : Math.Pow(sum, 1 / p);
            total += p == 2 ? norm * norm : Math.Pow(norm, p);
        }
        return p == 2 ? Math.Sqrt(total) : Math.Pow(total, 1 / p);
    }

    /// <summary>The same in float: each norm summed in double and rounded to float once, the total kept in float.</summary>
    private static float PlainFloat(float[][] grads, double p)
    {
        float total = 0;
        foreach (float[] g in grads)
        {
            double sum = 0;
            foreach (float v in g)
            {
                sum += p == 2 ? (double)v * v : Math.Pow(Math.Abs((double)v), p);
            }
            float norm = (float)(p == 2 ? Math.Sqrt(sum) : Math.Pow(sum, 1 / p));
            total += p == 2 ? norm * norm : (float)Math.Pow(norm, p);
        }
        return p == 2 ? MathF.Sqrt(total) : (float)Math.Pow(total, 1 / p);
    }

    private static Tensor<T>[] Parameters<T>(T[][] grads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        [.. grads.Select(g =>
        {
            var parameter = Tensor.Zeros<T>(1, g.Length, requiresGrad: true);
            parameter.Grad = Tensor.FromRowMajor<T>(1, g.Length, g);
            return parameter;
        })];

    [Fact]
    public void Totals_in_the_normal_range_are_the_plain_formula_bit_for_bit_in_double() =>
        Properties.Check(Cases, c =>
        {
            double[][] grads = Gradients(c.Seed, c.Scale);
            double total = GradientClipping.ClipGradNorm(Parameters(grads), double.PositiveInfinity, c.P);
            Assert.Equal(BitConverter.DoubleToInt64Bits(PlainDouble(grads, c.P)), BitConverter.DoubleToInt64Bits(total));
        }, 400);

    [Fact]
    public void Totals_in_the_normal_range_are_the_plain_formula_bit_for_bit_in_float() =>
        Properties.Check(Cases, c =>
        {
            float[][] grads = [.. Gradients(c.Seed, 1.0).Select(g => g.Select(v => (float)v).ToArray())];
            double total = GradientClipping.ClipGradNorm(Parameters(grads), double.PositiveInfinity, c.P);
            Assert.Equal(BitConverter.SingleToInt32Bits(PlainFloat(grads, c.P)), BitConverter.SingleToInt32Bits((float)total));
        }, 400);

    [Theory]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void An_all_zero_gradient_measures_zero_and_is_left_alone(double p)
    {
        var a = Tensor.Zeros<double>(1, 3, requiresGrad: true);
        a.Grad = Tensor.Zeros<double>(1, 3);
        var b = Tensor.Zeros<float>(2, 2, requiresGrad: true);
        b.Grad = Tensor.Zeros<float>(2, 2);
        Assert.Equal(0.0, GradientClipping.ClipGradNorm([a], 1.0, p));
        Assert.Equal(0.0, GradientClipping.ClipGradNorm([b], 1.0, p));
        Assert.Equal([0.0, 0.0, 0.0], a.Grad!.ToFlatArray());
    }

    [Fact]
    public void Float_norms_whose_squares_underflow_float_have_their_true_total()
    {
        var a = Tensor.Zeros<float>(1, 1, requiresGrad: true);
        a.Grad = Tensor.FromRowMajor<float>(1, 1, [3e-30f]);
        var b = Tensor.Zeros<float>(1, 1, requiresGrad: true);
        b.Grad = Tensor.FromRowMajor<float>(1, 1, [4e-30f]);
        Assert.Equal(5e-30, GradientClipping.ClipGradNorm([a, b], 1.0), 1e-36);
    }
}
