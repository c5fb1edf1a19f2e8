using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>What the tape records, and what it names, for every operation.</summary>
public class RecordingTests
{
    /// <summary>Every operation as a function of two 2×2 tensors, with the name it records under.</summary>
    public static TheoryData<string, Func<Tensor<double>, Tensor<double>, Tensor<double>>> Ops => new()
    {
        { "Add", (a, b) => a + b },
        { "Sub", (a, b) => a - b },
        { "Hadamard", (a, b) => a * b },
        { "Div", (a, b) => a / b },
        { "Neg", (a, b) => -a },
        { "Sigmoid", (a, b) => a.Sigmoid() },
        { "Relu", (a, b) => a.Relu() },
        { "Tanh", (a, b) => a.Tanh() },
        { "Exp", (a, b) => a.Exp() },
        { "Log", (a, b) => a.Log() },
        { "Square", (a, b) => a.Square() },
        { "Pow(3)", (a, b) => a.Pow(3) },
        { "MatMul", (a, b) => a.MatMul(b) },
        { "MatMul(Aᵀ·B)", (a, b) => Tensor<double>.MatMul(a, b, true, false) },
        { "MatMul(A·Bᵀ)", (a, b) => Tensor<double>.MatMul(a, b, false, true) },
        { "MatMul(Aᵀ·Bᵀ)", (a, b) => Tensor<double>.MatMul(a, b, true, true) },
        { "Transpose", (a, b) => a.Transpose() },
        { "Sum", (a, b) => a.Sum() },
        { "Sum(axis: 0)", (a, b) => a.Sum(0) },
        { "Sum(axis: 1)", (a, b) => a.Sum(1) },
        { "BroadcastTo", (a, b) => Tensor.FromRowMajor<double>(1, 2, [a[0, 0], a[0, 1]], a.RequiresGrad).BroadcastTo(new Shape(2, 2)) },
    };

    private static Tensor<double> Two(bool requiresGrad, double first = 1.5) =>
        Tensor.From(new double[,] { { first, 2 }, { 3, 4 } }, requiresGrad: requiresGrad, name: "a");

    [Theory]
    [MemberData(nameof(Ops))]
    public void An_op_on_constants_records_nothing(string name, Func<Tensor<double>, Tensor<double>, Tensor<double>> op)
    {
        var result = op(Two(false), Two(false));
        Assert.True(result.IsLeaf, name);
        Assert.False(result.RequiresGrad, name);
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void An_op_on_a_parameter_records_itself_under_its_name(string name, Func<Tensor<double>, Tensor<double>, Tensor<double>> op)
    {
        var result = op(Two(true), Two(false));
        Assert.False(result.IsLeaf);
        Assert.True(result.RequiresGrad);
        Assert.Contains($"from {name}", result.ToString());
        Assert.Contains($"label=\"{name}\\n", Graph.ToDot(result));
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void In_anomaly_mode_a_non_finite_result_names_its_op(string name, Func<Tensor<double>, Tensor<double>, Tensor<double>> op)
    {
        var a = Two(true, double.PositiveInfinity);
        using (Tensor.DetectAnomaly())
        {
            if (name is "Sigmoid" or "Tanh")
            {
                Assert.Equal(1.0, op(a, Two(false))[0, 0]); // σ(∞) = tanh(∞) = 1: finite, so no anomaly
                return;
            }
            var error = Assert.Throws<AnomalyException>(() => op(a, Two(false)));
            Assert.StartsWith($"{name} forward", error.Message);
        }
    }

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
