using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>Cross-entropy with the labels as an N×1 tensor: the same operation, kernels and bits as with an int[].</summary>
public class CrossEntropyOfLabelsTests
{
    private static readonly FsCheck.Arbitrary<(Matrix m, int[] labels)> LogitsAndLabels = Arb.From(
        from m in Gens.Matrix(Gens.Value)
        from labels in Gen.ArrayOf(Gen.Choose(0, m.Cols - 1), m.Rows)
        select (m, labels));

    private static Tensor<double> LabelTensor(int[] labels, bool requiresGrad = false) =>
        Tensor.FromRowMajor(labels.Length, 1, labels.Select(l => (double)l).ToArray(), requiresGrad);

    [Fact]
    public void A_labels_tensor_gives_the_int_array_loss_and_gradients_bit_for_bit_and_the_labels_no_gradient() =>
        Properties.Check(LogitsAndLabels, c =>
        {
            var a = c.m.ToTensor();
            var b = c.m.ToTensor();
            var labels = LabelTensor(c.labels, requiresGrad: true);
            var withArray = Loss.CrossEntropy(a, c.labels);
            var withTensor = Loss.CrossEntropyOfLabels(b, labels);
            Assert.Equal(withArray.Item, withTensor.Item);
            withArray.Backward();
            withTensor.Backward();
            Assert.Equal(a.Grad!.ToFlatArray(), b.Grad!.ToFlatArray());
            Assert.Null(labels.Grad);
            var recordedA = Autograd.Grad(Loss.CrossEntropy(a, c.labels), [a], createGraph: true)[0];
            var recordedB = Autograd.Grad(Loss.CrossEntropyOfLabels(b, labels), [b], createGraph: true)[0];
            Assert.Equal(recordedA.ToFlatArray(), recordedB.ToFlatArray());
        });

    [Fact]
    public void Null_logits_or_labels_are_refused_by_name()
    {
        var logits = Tensor.Zeros<double>(2, 3);
        var labels = Tensor.Zeros<double>(2, 1);
        Assert.Equal("logits", Assert.Throws<ArgumentNullException>(() => Loss.CrossEntropyOfLabels(null!, labels)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => Loss.CrossEntropyOfLabels(logits, null!)).ParamName);
    }

    [Fact]
    public void A_labels_tensor_of_the_wrong_shape_is_refused_naming_both_shapes()
    {
        var logits = Tensor.Zeros<double>(3, 4, requiresGrad: true);
        var error = Assert.Throws<ArgumentException>(() => Loss.CrossEntropyOfLabels(logits, Tensor.Zeros<double>(1, 3)));
        Assert.Contains("CrossEntropyOfLabels: the labels are 1×3 for 3×4 logits; need a 3×1 tensor of class indices", error.Message);
    }

    [Theory]
    [InlineData(4.0)]
    [InlineData(-1.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_label_that_is_not_a_class_is_refused(double label)
    {
        var logits = Tensor.Zeros<double>(3, 4, requiresGrad: true);
        var labels = Tensor.FromRowMajor(3, 1, [0.0, label, 2.0]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropyOfLabels(logits, labels));
        Assert.Contains($"CrossEntropyOfLabels: label {label} of row 1 is not a class of 3×4 logits", error.Message);
    }
}
