using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.UserPrograms;

/// <summary>The second program: logistic regression from zero weights, binary cross-entropy on logits, Adam.</summary>
public class BinaryClassificationProgram
{
    [Fact]
    public void Separates_two_clouds_with_logistic_regression_started_at_zero()
    {
        // data: two Gaussian clouds around (−1, −1) and (1, 1), labels 0 and 1
        var random = new Random(1);
        var labels = Tensor.FromRowMajor<double>(300, 1, Enumerable.Range(0, 300).Select(i => (double)(i % 2)).ToArray());
        var x = Tensor.RandomNormal<double>(300, 2, random, std: 0.7) + (labels * 2.0 - 1.0);

        var model = new Linear<double>(2, 1, random);
        using (Tensor.NoGrad())
        {
            model.Weight.Fill(0); // a zero start: every logit is 0, where a hand-made stable loss goes wrong
            model.Bias!.Fill(0);
        }
        var adam = new Adam<double>(model.Parameters, learningRate: 0.05);
        for (int epoch = 0; epoch < 200; epoch++)
        {
            using var scope = Tensor.Scope();
            adam.ZeroGrad();
            var loss = Loss.BinaryCrossEntropyWithLogits(model.Forward(x), labels);
            loss.Backward();
            adam.Step();
        }

        using var noGrad = Tensor.NoGrad();
        double[] logits = model.Forward(x).ToFlatArray();
        double accuracy = logits.Where((z, i) => z > 0 == (labels[i, 0] == 1)).Count() / 300.0;
        Assert.True(accuracy > 0.95, $"accuracy {accuracy}");
    }
}
