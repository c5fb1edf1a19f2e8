using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The element-wise gradient loops' own guards (spans of different lengths are an internal error, refused rather than
/// read past) and the sigmoid gradient loop's report of a y below the normal range, which tells the caller to correct
/// the far left: false for ordinary values at every length, true when any one element (vector body or tail) is below.
/// </summary>
public class ElementwiseLoopsGuardTests
{
    [Fact]
    public void The_unary_gradient_loop_refuses_spans_of_different_lengths_naming_every_length()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ElementwiseLoops.Gradient<double, ReluOperator>(new double[3], new double[4], new double[4], new double[4]));
        Assert.Equal("d", e.ParamName);
        Assert.StartsWith("The gradient has 4 elements, the upstream gradient 3, x 4 and y 4.", e.Message);
    }

    [Fact]
    public void The_sigmoid_gradient_loop_refuses_spans_of_different_lengths_naming_every_length()
    {
        var e = Assert.Throws<ArgumentException>(() => ElementwiseLoops.SigmoidGradient<double>(new double[5], new double[4], new double[5]));
        Assert.Equal("d", e.ParamName);
        Assert.StartsWith("The gradient has 5 elements, the upstream gradient 5 and y 4.", e.Message);
    }

    [Fact]
    public void The_masked_product_span_form_refuses_spans_of_different_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => MaskedProductOperator.Invoke<double>(new double[4], new double[3], new double[4]));
        Assert.Equal("d", e.ParamName);
        Assert.StartsWith("MaskedProduct: spans of 4, 3 and 4 elements (internal error).", e.Message);
        Assert.Throws<ArgumentException>(() => MaskedProductOperator.Invoke<double>(new double[3], new double[4], new double[4]));
    }

    [Fact]
    public void The_sigmoid_gradient_loop_reports_a_y_below_the_normal_range_only_where_there_is_one()
    {
        for (int n = 1; n <= 40; n++)
        {
            double[] g = Enumerable.Repeat(1.5, n).ToArray(), y = Enumerable.Range(0, n).Select(i => 0.1 + 0.8 * i / n).ToArray();
            var d = new double[n];
            Assert.False(ElementwiseLoops.SigmoidGradient<double>(g, y, d), $"ordinary y, length {n}");
            Assert.Equal(1.5 * (y[n - 1] * (1 - y[n - 1])), d[n - 1]);
            for (int at = 0; at < n; at++)
            {
                double[] low = (double[])y.Clone();
                low[at] = 1e-310; // subnormal: σ(−713)
                Assert.True(ElementwiseLoops.SigmoidGradient<double>(g, low, d), $"subnormal y at {at} of {n}");
            }
            float[] gf = g.Select(v => (float)v).ToArray(), yf = y.Select(v => (float)v).ToArray();
            Assert.False(ElementwiseLoops.SigmoidGradient<float>(gf, yf, new float[n]), $"ordinary float y, length {n}");
        }
    }
}
