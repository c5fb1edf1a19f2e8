using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.UserPrograms;

/// <summary>The first of the five programs a PyTorch user writes (README): linear regression, with no helper of one's own.</summary>
public class RegressionProgram
{
    [Fact]
    public void Fits_a_noisy_line_with_Linear_Sgd_and_mean_squared_error()
    {
        // data: y = 3x − 2 + noise
        var random = new Random(0);
        var x = Tensor.RandomUniform<double>(200, 1, random, -1, 1);
        var y = x * 3.0 - 2.0 + Tensor.RandomNormal<double>(200, 1, random, std: 0.1);

        var model = new Linear<double>(1, 1, random);
        var sgd = new Sgd<double>(model.Parameters, learningRate: 0.1, momentum: 0.9);
        for (int epoch = 0; epoch < 200; epoch++)
        {
            using var scope = Tensor.Scope();
            sgd.ZeroGrad();
            var loss = Loss.MeanSquaredError(model.Forward(x), y);
            loss.Backward();
            sgd.Step();
        }

        Assert.Equal(3.0, model.Weight.Item, 0.05);
        Assert.Equal(-2.0, model.Bias!.Item, 0.05);
    }
}
