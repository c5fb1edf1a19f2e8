using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Float reductions over many elements: summed in float lane by lane, a million values lost up to 3·10⁻⁶ of the sum
/// and the softmax of a 10⁶-long row 4·10⁻³ (PyTorch's float sum was within 3·10⁻⁸); accumulated in double and rounded
/// once, each result is within a few ulps of the sum of the same float values in double.
/// </summary>
public class FloatSumAccuracyTests
{
    private const int N = 1_000_000;

    private static float[] Values()
    {
        var random = new Random(1);
        var values = new float[N];
        for (int i = 0; i < N; i++)
        {
            values[i] = (float)(0.1 + random.NextDouble() * 0.01);
        }
        return values;
    }

    private static void AssertWithinUlps(double expected, float actual, int ulps, string what)
    {
        double ulp = double.CreateTruncating(float.BitIncrement((float)Math.Abs(expected))) - Math.Abs((float)expected);
        Assert.True(Math.Abs(actual - expected) <= ulps * ulp, $"{what}: {actual:R} against {expected:R} ({Math.Abs(actual - expected) / ulp:F1} ulp)");
    }

    [Fact]
    public void Sums_means_and_squared_errors_of_a_million_floats_are_within_two_ulps()
    {
        float[] values = Values();
        double sum = values.Sum(v => (double)v), squares = values.Sum(v => (double)(v * v));
        var x = Tensor.FromRowMajor(1000, 1000, values);
        AssertWithinUlps(sum, x.Sum().Item, 2, "Sum()");
        AssertWithinUlps(sum / N, x.Mean().Item, 2, "Mean()");
        AssertWithinUlps(squares / N, Loss.MeanSquaredError(x, Tensor.Zeros<float>(1000, 1000)).Item, 2, "MeanSquaredError");
        AssertWithinUlps(sum, x.Reshape(1, N).Sum(1).Item, 2, "Sum(1) of a 1×10⁶ row");
        var step = Tensor.Compile((Tensor<float> a) => (a * Tensor.Scalar(1f, requiresGrad: true)).Sum());
        AssertWithinUlps(sum, step.Run(x), 2, "a compiled Sum()");
    }

    [Fact]
    public void Softmax_family_over_a_row_of_a_million_floats_is_within_a_few_ulps()
    {
        float[] values = Values();
        double shift = values.Max();
        double sumExp = values.Sum(v => Math.Exp(v - shift)); // the kernels' own terms e^(x − m), each exact to 1/2 ulp in float
        var row = Tensor.FromRowMajor(1, N, values);
        AssertWithinUlps(Math.Exp(values[0] - shift) / sumExp, row.Softmax(1).ToFlatArray()[0], 4, "Softmax");
        AssertWithinUlps(shift + Math.Log(sumExp), row.LogSumExp(1).Item, 2, "LogSumExp");
        AssertWithinUlps(Math.Log(sumExp) - (values[0] - shift), Loss.CrossEntropy(row, [0]).Item, 4, "CrossEntropy");
    }
}
