using AutoGrad.Nn;
using Xunit;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Compilation;

public class CompiledStepTests(ITestOutputHelper output)
{
    private static Mlp<double> Model(int n0, int n1, int n2, int seed = 1) =>
        new([n0, n1, n2], [Activation.Sigmoid, Activation.Sigmoid], new Random(seed));

    [Fact]
    public void A_compiled_step_gives_the_eager_loss_and_gradients_bit_for_bit()
    {
        var eagerModel = Model(4, 8, 1);
        var compiledModel = Model(4, 8, 1);
        var x = Tensor.RandomNormal<double>(3, 4, new Random(2));
        var y = Tensor.RandomUniform<double>(3, 1, new Random(3));
        var step = Tensor.Compile((Tensor<double> a, Tensor<double> b) => Loss.HalfSumSquared(compiledModel.Forward(a), b));

        var loss = Loss.HalfSumSquared(eagerModel.Forward(x), y);
        loss.Backward();
        double compiledLoss = step.Run(x, y);
        output.WriteLine(step.DescribePlan());

        Assert.Equal(loss.Item, compiledLoss);
        foreach (var (e, c) in eagerModel.Parameters.Zip(compiledModel.Parameters))
        {
            Assert.Equal(e.Grad!.ToFlatArray(), c.Grad!.ToFlatArray());
        }
    }
}
