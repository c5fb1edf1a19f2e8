using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>float next to double: constants, unsupported element types, and GradCheck's defaults per type.</summary>
public class GenericsTests
{
    [Fact]
    public void A_double_constant_works_with_a_float_tensor_on_either_side()
    {
        var x = Tensor.From(new float[,] { { 1, 2 } });
        Assert.Equal([0.5f, 1f], (0.5 * x).ToFlatArray());
        Assert.Equal([0.5f, 1f], (x * 0.5).ToFlatArray());
        Assert.Equal([1.5f, 2.5f], (x + 0.5).ToFlatArray());
        Assert.Equal([1.5f, 2.5f], (0.5 + x).ToFlatArray());
        Assert.Equal([0.5f, 1.5f], (x - 0.5).ToFlatArray());
        Assert.Equal([-0.5f, -1.5f], (0.5 - x).ToFlatArray());
        Assert.Equal([2f, 4f], (x / 0.5).ToFlatArray());
        Assert.Equal([0.5f, 0.25f], (0.5 / x).ToFlatArray());
        Assert.Equal([1f, 4f], x.Pow(2.0).ToFlatArray());
        Assert.Equal([1f, 1.5f], x.Clamp(0.0, 1.5).ToFlatArray());
    }

    [Fact]
    public void A_double_constant_is_rounded_to_float_once_as_pytorch_does()
    {
        var x = Tensor.From(new float[,] { { 3 } });
        Assert.Equal(3f * (float)0.1, (0.1 * x).Item); // not (float)(0.3000000000000000444)
    }

    [Fact]
    public void The_constant_forms_keep_the_graph_for_float()
    {
        var x = Tensor.From(new float[,] { { 1, 2 } }, requiresGrad: true);
        (0.5 * x * x - 1.0).Sum().Backward();
        Assert.Equal([1f, 2f], x.Grad!.ToFlatArray());
    }

    [Fact]
    public void An_unsupported_element_type_is_refused_naming_the_supported_ones()
    {
        var error = Assert.Throws<NotSupportedException>(() => Tensor.Zeros<Half>(2, 2));
        Assert.Equal("Tensor: Tensor<Half> is not supported; AutoGrad computes in double or float only (Tensor<double>, Tensor<float>). " +
                     "Convert the values first, e.g. (float)value.", error.Message);
        Assert.Throws<NotSupportedException>(() => Tensor.From(new Half[,] { { Half.One } }));
        Assert.Throws<NotSupportedException>(() => Tensor.Scalar(System.Runtime.InteropServices.NFloat.Epsilon));
        Assert.StartsWith("Tensor.Arange: Tensor<Half> is not supported", Assert.Throws<NotSupportedException>(() => Tensor.Arange<Half>(3)).Message);
    }

    [Fact]
    public void GradCheck_defaults_suit_float_where_the_double_step_does_not() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            var x = m.ToFloatTensor();
            var w = Tensor.RandomNormal<float>(m.Cols, 3, new Random(m.Rows * 10 + m.Cols));
            Func<Tensor<float>[], Tensor<float>>[] functions =
            [
                p => p[0].Sigmoid(),
                p => p[0].MatMul(w).Tanh(),
                p => p[0].Softmax(1),
                p => Loss.CrossEntropy(p[0], new int[m.Rows]),
                p => (p[0].Exp() * 0.5).Sum(0),
            ];
            foreach (var f in functions)
            {
                var report = GradCheck.Run(f, [x]);
                Assert.True(report.Passed, report.ToString());
                Assert.Equal(1e-3, report.Eps);
            }
        }, cases: 30);

    [Fact]
    public void GradCheck_with_the_double_step_in_float_fails_and_the_report_says_to_use_double()
    {
        // the failure from issue 18: eps 1e-6 is a step of a few ulps in float, so the numeric derivative is noise
        var x = Tensor.From(new float[,] { { 0.3f, -1.7f, 2.9f } }, requiresGrad: true);
        var report = GradCheck.Run(p => p[0].Exp(), [x], eps: 1e-6);
        Assert.False(report.Passed);
        Assert.EndsWith("; float keeps about 7 significant digits; for a tight check run it in double", report.ToString());
        Assert.True(GradCheck.Run(p => p[0].Exp(), [x]).Passed);
    }

    [Fact]
    public void GradCheck_with_float_defaults_still_catches_a_wrong_gradient()
    {
        // x·x.Detach() has tape derivative x but true derivative 2x
        var x = Tensor.From(new float[,] { { 0.5f, -1.5f } }, requiresGrad: true);
        var report = GradCheck.Run(p => p[0] * p[0].Detach(), [x]);
        Assert.False(report.Passed);
        Assert.Equal(-1.5, report.Analytic, 1e-6);
        Assert.Equal(-3.0, report.Numeric, 1e-3);
    }

    [Fact]
    public void GradCheck_defaults_for_double_are_unchanged() =>
        Assert.Equal((1e-6, 1e-5, 1e-3), GradCheck.DefaultsFor<double>());
}
