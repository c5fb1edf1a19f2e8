using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class ReluTests
{
    [Fact]
    public void Relu_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(Gens.AwayFromZero), m => Properties.AssertGradCheck(x => x[0].Relu(), m.ToTensor()));

    [Fact]
    public void Relu_values_match_the_scalar_formula() =>
        Properties.Check(Gens.AnyMatrix(Gens.AwayFromZero), m => Reference.AssertUnaryValues(m, m.ToTensor().Relu(), v => Math.Max(v, 0), 1e-13));

    [Fact]
    public void Relu_derivative_at_the_kink_is_zero_as_in_pytorch()
    {
        var x = Tensor.From(new double[,] { { -1, 0, 2 } }, requiresGrad: true);
        x.Relu().Sum().Backward();
        Assert.Equal(new double[,] { { 0, 0, 1 } }, x.Grad!.ToArray());
    }

    /// <summary>
    /// PyTorch 1.13's bits (torch.relu in float64 and float32, 1 and 20 elements): relu(−0) = −0, relu(+0) = +0, NaN stays
    /// NaN, negatives give +0 — in the vector body, its tail and a one-element tensor, eager and compiled. An IEEE maximum
    /// gave +0 for −0 (adversarial review (B), issue 13).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(20)]
    public void Relu_keeps_the_sign_of_zero_as_PyTorch_does(int length)
    {
        double[] x = [.. Enumerable.Range(0, length).Select(i => (i % 5) switch { 0 => -0.0, 1 => 0.0, 2 => double.NaN, 3 => -2.5, _ => 1.5 })];
        double[] expected = [.. x.Select(v => v < 0 ? 0.0 : v)];
        var compiled = Tensor.CompileForward<double>(t => t.Relu());
        var compiledFloat = Tensor.CompileForward<float>(t => t.Relu());
        foreach (var actual in new[] { Tensor.FromRowMajor<double>(1, length, x).Relu().ToFlatArray(), compiled.Run(Tensor.FromRowMajor<double>(1, length, x)).ToFlatArray() })
        {
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
        }
        float[] xf = [.. x.Select(v => (float)v)];
        foreach (var actual in new[] { Tensor.FromRowMajor<float>(1, length, xf).Relu().ToFlatArray(), compiledFloat.Run(Tensor.FromRowMajor<float>(1, length, xf)).ToFlatArray() })
        {
            Assert.Equal(expected.Select(v => BitConverter.SingleToInt32Bits((float)v)), actual.Select(BitConverter.SingleToInt32Bits));
        }
        Assert.True(BitConverter.DoubleToInt64Bits(Tensor.FromRowMajor<double>(1, length, x).Relu()[0, 0]) == BitConverter.DoubleToInt64Bits(-0.0));
    }
}
