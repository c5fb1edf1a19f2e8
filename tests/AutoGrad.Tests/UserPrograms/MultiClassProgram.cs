using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.UserPrograms;

/// <summary>The third program: three classes, an MLP, cross-entropy on integer labels, shuffled mini-batches, Adam.</summary>
public class MultiClassProgram
{
    [Fact]
    public void Classifies_three_blobs_with_an_Mlp_and_cross_entropy()
    {
        // data: three Gaussian blobs on a circle, labels 0, 1, 2
        var random = new Random(2);
        int[] labels = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
        var x = Tensor.From(labels.Select(c => new[]
        {
            2 * Math.Cos(2 * Math.PI * c / 3) + 0.5 * random.NextDouble(),
            2 * Math.Sin(2 * Math.PI * c / 3) + 0.5 * random.NextDouble(),
        }).ToArray());

        var model = new Mlp<double>([2, 16, 3], Activation.Relu, random);
        var adam = new Adam<double>(model.Parameters, learningRate: 0.01);
        for (int epoch = 0; epoch < 20; epoch++)
        {
            foreach (var (batch, batchLabels) in MiniBatches.Shuffled(x, labels, batchSize: 32, random))
            {
                using var scope = Tensor.Scope();
                adam.ZeroGrad();
                Loss.CrossEntropy(model.Forward(batch), batchLabels).Backward();
                adam.Step();
            }
        }

        using var noGrad = Tensor.NoGrad();
        int[] predicted = model.Forward(x).ArgMax(1);
        Assert.True(predicted.Zip(labels).Count(p => p.First == p.Second) >= 297);
    }
}
