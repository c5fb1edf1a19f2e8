using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>A compiled classifier step reads each call's labels, trains to the eager bits with Adam, and refuses a bad label changing nothing.</summary>
public class CompiledClassifierTests
{
    private static Tensor<double> Labels(int batch, int classes, Random random) =>
        Tensor.FromRowMajor(batch, 1, Enumerable.Range(0, batch).Select(_ => (double)random.Next(classes)).ToArray());

    [Fact]
    public void A_compiled_classifier_step_with_adam_and_new_labels_each_call_trains_to_the_eager_bits()
    {
        Mlp<double> Make() => new([8, 24, 5], Activation.Relu, new Random(3));
        var eager = Make();
        var compiled = Make();
        var eagerAdam = new Adam<double>(eager.Parameters, learningRate: 0.01);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.CrossEntropyOfLabels(compiled.Forward(x), y),
            new Adam<double>(compiled.Parameters, learningRate: 0.01));
        var random = new Random(4);
        for (int i = 0; i < 6; i++)
        {
            var x = Tensor.RandomNormal<double>(16, 8, random);
            var labels = Labels(16, 5, random);
            eagerAdam.ZeroGrad();
            var loss = Loss.CrossEntropy(eager.Forward(x), labels.ToFlatArray().Select(v => (int)v).ToArray());
            loss.Backward();
            eagerAdam.Step();
            Assert.Equal(loss.Item, step.Run(x, labels));
        }
        Assert.Equal(1, step.TraceCount);
        foreach (var (e, c) in eager.Parameters.Zip(compiled.Parameters))
        {
            Assert.Equal(e.ToFlatArray(), c.ToFlatArray());
            Assert.Equal(e.Grad!.ToFlatArray(), c.Grad!.ToFlatArray());
        }
    }

    [Fact]
    public void A_compiled_call_with_a_label_that_is_not_a_class_is_refused_naming_it_and_changes_nothing()
    {
        var model = new Mlp<double>([4, 6, 3], Activation.Relu, new Random(1));
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.CrossEntropyOfLabels(model.Forward(x), y),
            new Sgd<double>(model.Parameters, 0.1));
        var x = Tensor.RandomNormal<double>(2, 4, new Random(2));
        step.Run(x, Tensor.FromRowMajor(2, 1, [0.0, 2.0]));
        var parameters = model.Parameters.Select(p => p.ToFlatArray()).ToArray();
        var gradients = model.Parameters.Select(p => p.Grad!.ToFlatArray()).ToArray();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => step.Run(x, Tensor.FromRowMajor(2, 1, [0.0, 3.0])));
        Assert.Contains("CrossEntropyOfLabels: label 3 of row 1 is not a class of 2×3 logits", error.Message);
        Assert.Equal(parameters, model.Parameters.Select(p => p.ToFlatArray()).ToArray());
        Assert.Equal(gradients, model.Parameters.Select(p => p.Grad!.ToFlatArray()).ToArray());
    }
}
