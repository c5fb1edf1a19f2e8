using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Issue 13's leftover: float <c>Sum(0)</c> (column sums, and so every bias gradient) accumulated in float while
/// Sum(), Mean() and Sum(1) accumulate in double and round once. Now each column is summed in row order in double and
/// rounded once: the result is that sum's float rounding exactly, in an eager pass, a backward pass and a compiled step.
/// </summary>
public class FloatColumnSumTests
{
    /// <summary>Column j summed in row order in double, rounded to float once.</summary>
    private static float[] Reference(float[] values, int rows, int cols)
    {
        var sums = new float[cols];
        for (int j = 0; j < cols; j++)
        {
            double sum = values[j];
            for (int i = 1; i < rows; i++)
            {
                sum += values[i * cols + j];
            }
            sums[j] = (float)sum;
        }
        return sums;
    }

    private static float[] LongColumns(int rows, int cols)
    {
        var random = new Random(7);
        var values = new float[rows * cols];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = (float)(0.1 + random.NextDouble() * 0.01);
        }
        return values;
    }

    private static double Ulps(float actual, float expected) =>
        Math.Abs((double)actual - expected) / ((double)float.BitIncrement(expected) - expected);

    [Fact]
    public void A_million_long_float_column_is_its_double_sum_rounded_once()
    {
        const int rows = 1_000_000, cols = 19; // 19: two vector widths and a scalar tail on every machine
        float[] values = LongColumns(rows, cols);
        float[] expected = Reference(values, rows, cols);
        float inFloat = 0; // what column 0 gave when accumulated in float
        for (int i = 0; i < rows; i++)
        {
            inFloat += values[i * cols];
        }
        Assert.True(Ulps(inFloat, expected[0]) > 1000, $"float accumulation is only {Ulps(inFloat, expected[0]):F0} ulp off: the case shows nothing");
        var x = Tensor.FromRowMajor(rows, cols, values);
        Assert.Equal(expected, x.Sum(0).ToFlatArray());
        var forward = Tensor.CompileForward<float>(t => t.Sum(0));
        Assert.Equal(expected, forward.Run(x).ToFlatArray());
    }

    [Fact]
    public void A_float_bias_gradient_over_a_long_batch_is_the_double_sum_rounded_once_eager_and_compiled()
    {
        const int rows = 200_000, cols = 5;
        float[] seeds = LongColumns(rows, cols);
        float[] expected = Reference(seeds, rows, cols);
        var g = Tensor.FromRowMajor(rows, cols, seeds);
        var bias = Tensor.Zeros<float>(1, cols, requiresGrad: true);
        var input = Tensor.Zeros<float>(rows, cols);
        (input + bias).Backward(g);
        Assert.Equal(expected, bias.Grad!.ToFlatArray());
        var compiledBias = Tensor.Zeros<float>(1, cols, requiresGrad: true);
        var step = Tensor.Compile((Tensor<float> a, Tensor<float> s) => ((a + compiledBias) * s).Sum());
        step.Run(Tensor.Ones<float>(rows, cols), g);
        Assert.Equal(expected, compiledBias.Grad!.ToFlatArray());
    }

    [Fact]
    public void Every_float_column_sum_is_its_double_sum_rounded_once()
    {
        var arbitrary = (from rows in Gen.Choose(1, 300)
                         from cols in Gen.Choose(1, 40)
                         from values in Gen.ArrayOf(Gen.Choose(-1_000_000, 1_000_000).Select(k => k * 1e-4f * (k % 7 == 0 ? 1e5f : 1f)), rows * cols)
                         select (Rows: rows, Cols: cols, Values: values)).ToArbitrary();
        Properties.Check(arbitrary, c =>
        {
            var x = Tensor.FromRowMajor(c.Rows, c.Cols, c.Values);
            Assert.Equal(Reference(c.Values, c.Rows, c.Cols), x.Sum(0).ToFlatArray());
        });
    }
}
