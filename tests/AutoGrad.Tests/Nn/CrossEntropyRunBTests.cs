using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// Session fourteen, run B survivors of <c>CrossEntropyTerms.cs</c> and <c>Loss.ProbabilityTargets.cs</c>: the
/// operation's name lists its non-default options; a recorded backward of a weighted or smoothed loss is that loss's
/// gradient, not the plain mean's; a shape mismatch of probability targets points to class labels.
/// </summary>
public class CrossEntropyRunBTests
{
    private static Tensor<double> Logits() => Tensor.RandomNormal<double>(4, 3, new Random(7), requiresGrad: true);

    private static readonly int[] Labels = [0, 2, 1, 2];

    [Fact]
    public void The_operation_is_named_with_its_non_default_options_only()
    {
        Assert.Equal("CrossEntropy", Loss.CrossEntropy(Logits(), Labels).Creator!.Name);
        Assert.Equal("CrossEntropy(labelSmoothing: 0.1)", Loss.CrossEntropy(Logits(), Labels, labelSmoothing: 0.1).Creator!.Name);
    }

    [Theory]
    [InlineData(true, 0.0)]
    [InlineData(false, 0.2)]
    [InlineData(true, 0.2)]
    public void A_recorded_backward_of_a_weighted_or_smoothed_loss_gives_that_losss_gradient(bool weighted, double smoothing)
    {
        double[]? weight = weighted ? [0.5, 2.0, 1.25] : null;
        var plain = Logits();
        Loss.CrossEntropy(plain, Labels, weight: weight, labelSmoothing: smoothing).Backward();
        var recorded = Logits();
        Tensor<double> g = Autograd.Grad(Loss.CrossEntropy(recorded, Labels, weight: weight, labelSmoothing: smoothing), [recorded], createGraph: true)[0];
        double[] expected = plain.Grad!.ToFlatArray();
        double[] actual = g.ToFlatArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-12);
        }
    }

    [Fact]
    public void Probability_targets_of_another_shape_are_refused_pointing_to_class_labels()
    {
        var error = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Logits(), Tensor.Full(4, 2, 0.5)));
        Assert.StartsWith(
            "CrossEntropy: the logits are 4×3 but the target probabilities are 4×2; they must match (for class labels pass an int[]).",
            error.Message);
    }
}
