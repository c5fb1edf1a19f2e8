using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>What the tape records, and when.</summary>
public class RecordingTests
{
    // What every operation records, under which name, and its anomaly message: Catalogue/CatalogueTests.cs, for every
    // operation of the catalogue.

    [Fact]
    public void A_plain_backward_pass_records_nothing_even_inside_a_recording_scope()
    {
        var x = Tensor.Scalar(2.0, requiresGrad: true);
        x.Square().Backward();
        Assert.True(x.Grad!.IsLeaf);
        Assert.False(x.Grad.RequiresGrad);
    }

    [Fact]
    public void Backward_with_createGraph_records_even_inside_NoGrad()
    {
        var x = Tensor.Scalar(2.0, requiresGrad: true);
        var y = x.Pow(3);
        using (Tensor.NoGrad())
        {
            y.Backward(createGraph: true);
        }
        Assert.True(x.Grad!.RequiresGrad);
        Assert.False(x.Grad.IsLeaf);
    }

    [Fact]
    public void Anomaly_checks_of_forward_results_resume_after_a_backward_pass()
    {
        var x = Tensor.From(new double[,] { { 0.5, 2 } }, requiresGrad: true);
        using (Tensor.DetectAnomaly())
        {
            x.Sigmoid().Sum().Backward();
            Assert.Throws<AnomalyException>(() => (x - 1.0).Log());
        }
    }

    [Fact]
    public void A_backward_anomaly_names_where_the_op_was_created()
    {
        var x = Tensor.From(new double[,] { { 0, 2 } }, requiresGrad: true);
        using (Tensor.DetectAnomaly())
        {
            var y = x.Pow(0.5);
            var error = Assert.Throws<AnomalyException>(() => y.Sum().Backward());
            Assert.Contains("RecordingTests.cs", error.Message);
        }
    }

    [Fact]
    public void Null_arguments_are_refused_by_name()
    {
        var t = Tensor.Scalar(1.0);
        Assert.Throws<ArgumentNullException>(() => Tensor<double>.MatMul(null!, t, false, false));
        Assert.Throws<ArgumentNullException>(() => Tensor<double>.MatMul(t, null!, false, false));
        Assert.Throws<ArgumentNullException>(() => Tensor.From((double[,])null!));
        Assert.Throws<ArgumentNullException>(() => AutoGrad.Nn.Loss.HalfSumSquared(null!, t));
        Assert.Throws<ArgumentNullException>(() => AutoGrad.Nn.Loss.HalfSumSquared(t, null!));
        Assert.Throws<ArgumentNullException>(() => new AutoGrad.Nn.Linear<double>(null!, null));
        Assert.Throws<ArgumentNullException>(() => new AutoGrad.Nn.Sgd<double>(null!, 0.1));
        Assert.Throws<ArgumentNullException>(() => new AutoGrad.Nn.Mlp<double>(null!, [AutoGrad.Nn.Activation.Relu], new Random(0)));
        Assert.Throws<ArgumentNullException>(() => new AutoGrad.Nn.Mlp<double>([1, 2], null!, new Random(0)));
        Assert.Throws<ArgumentNullException>(() => Autograd.Grad(null!, [t]));
        Assert.Throws<ArgumentNullException>(() => Autograd.Grad(t, null!));
        Assert.Throws<ArgumentNullException>(() => GradCheck.Run<double>(null!, [t]));
        Assert.Throws<ArgumentNullException>(() => GradCheck.Run<double>(x => x[0], null!));
    }

    [Fact]
    public void A_transposed_matmul_of_mismatched_shapes_shows_the_transposes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor<double>.MatMul(Tensor.Zeros<double>(3, 4), Tensor.Zeros<double>(5, 2), true, true));
        Assert.Equal("MatMul: (3×4)ᵀ · (5×2)ᵀ: inner dimensions 3 and 2 differ.", error.Message);
    }
}
