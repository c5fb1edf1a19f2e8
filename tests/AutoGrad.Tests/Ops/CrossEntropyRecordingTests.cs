using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>Cross-entropy of a labels tensor records an operation only when a gradient is wanted, like every other operation.</summary>
public class CrossEntropyRecordingTests
{
    [Fact]
    public void Cross_entropy_of_a_labels_tensor_records_nothing_when_no_gradient_is_wanted()
    {
        var logits = Tensor.From(new double[,] { { 1, 2, 0 }, { 0, 1, 3 } });
        var labels = Tensor.From(new double[,] { { 1 }, { 2 } });
        var constant = Loss.CrossEntropyOfLabels(logits, labels);
        Assert.True(constant.IsLeaf);
        Assert.False(constant.RequiresGrad);

        var trainable = Tensor.From(new double[,] { { 1, 2, 0 }, { 0, 1, 3 } }, requiresGrad: true);
        using (Tensor.NoGrad())
        {
            var unrecorded = Loss.CrossEntropyOfLabels(trainable, labels);
            Assert.True(unrecorded.IsLeaf);
            Assert.False(unrecorded.RequiresGrad);
            Assert.Equal(Loss.CrossEntropy(logits, [1, 2]).Item, unrecorded.Item);
        }
        Assert.False(Loss.CrossEntropyOfLabels(trainable, labels).IsLeaf);
    }
}
