using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

public class LayerValidationTests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(3, 0)]
    public void Linear_refuses_a_size_below_one(int inFeatures, int outFeatures) =>
        Assert.Contains("Linear: sizes must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => new Linear<double>(inFeatures, outFeatures, new Random(0))).Message);

    [Fact]
    public void Linear_of_width_one_is_allowed() => Assert.Equal(1, new Linear<double>(1, 1, new Random(0)).InFeatures);

    [Fact]
    public void Linear_without_bias_has_only_its_weight_and_computes_x_times_w_transposed()
    {
        var layer = new Linear<double>(Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true), null);
        Assert.Single(layer.Parameters);
        Assert.Equal(new double[,] { { 11 } }, layer.Forward(Tensor.From(new double[,] { { 3, 4 } })).ToArray());
        Assert.Equal(2, new Linear<double>(2, 3, new Random(0)).Parameters.Count());
    }

    [Fact]
    public void Linear_refuses_a_bias_of_the_wrong_shape() =>
        Assert.Contains("the bias must be 1×2", Assert.Throws<ArgumentException>(() =>
            new Linear<double>(Tensor.Zeros<double>(2, 3), Tensor.Zeros<double>(2, 1))).Message);

    [Fact]
    public void Layers_name_their_parameters_by_position()
    {
        var model = new Mlp<double>([2, 3, 1], [Activation.Relu, Activation.Identity], new Random(0));
        Assert.Equal(["W_1", "b_1", "W_2", "b_2"], model.Parameters.Select(p => p.Name));
        Assert.Equal(["W", "b"], new Linear<double>(2, 2, new Random(0)).Parameters.Select(p => p.Name));
        Assert.Equal(2, model.Layers.Count);
        Assert.Equal([Activation.Relu, Activation.Identity], model.Activations);
    }

    [Fact]
    public void Mlp_needs_at_least_two_sizes() =>
        Assert.Contains("need at least two sizes", Assert.Throws<ArgumentException>(() => new Mlp<double>([2], [], new Random(0))).Message);

    // adv16: too few sizes, or an activation list of the wrong length, is refused naming the parameter that is wrong
    // (both were an ArgumentException with no ParamName; the one-activation form said "got 1 sizes and 0 activations",
    // a list its caller never passed), and nothing is drawn from the caller's Random.
    [Fact]
    public void Mlp_names_the_list_that_has_the_wrong_length()
    {
        var random = new Random(5);
        var few = Assert.Throws<ArgumentException>(() => new Mlp<double>([3], Activation.Relu, random));
        Assert.Equal("sizes", few.ParamName);
        Assert.StartsWith("Mlp: need at least two sizes (the input width and the output width); got 1.", few.Message);
        Assert.DoesNotContain("activations", few.Message);
        var empty = Assert.Throws<ArgumentException>(() => new Mlp<double>([], [], random));
        Assert.Equal("sizes", empty.ParamName);
        var mismatch = Assert.Throws<ArgumentException>(() => new Mlp<double>([3, 2, 1], [Activation.Relu], random));
        Assert.Equal("activations", mismatch.ParamName);
        Assert.StartsWith("Mlp: 3 sizes make 2 layers, which need one activation each (2); got 1.", mismatch.Message);
        Assert.Equal(new Random(5).Next(), random.Next());
    }

    // A refused constructor changes nothing: every size is checked before the first layer draws its weights from the
    // caller's Random, and the message names Mlp (the caller's call) and the size, not an inner Linear's parameter.
    [Fact]
    public void Mlp_refuses_a_size_below_one_by_name_before_drawing_any_weight()
    {
        var random = new Random(7);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp<double>([3, 4, 0, 2], Activation.Relu, random));
        Assert.Equal("sizes", error.ParamName);
        Assert.StartsWith("Mlp: every size must be at least 1; size 2 is 0 (sizes 3, 4, 0, 2).", error.Message);
        Assert.Equal(new Random(7).Next(), random.Next());
    }

    [Fact]
    public void Mlp_refuses_an_activation_that_is_not_one_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp<double>([3, 4, 2], [Activation.Relu, (Activation)99], new Random(0)));
        Assert.Equal("activations", error.ParamName);
        Assert.StartsWith("Mlp: activation 1 is 99, not an Activation.", error.Message);
    }

    [Fact]
    public void Mlp_refuses_a_hidden_activation_that_is_not_one_by_its_own_name_even_with_one_layer()
    {
        foreach (int[] sizes in new[] { new[] { 2, 3, 1 }, new[] { 2, 1 } })
        {
            var random = new Random(4);
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp<double>(sizes, (Activation)42, random));
            Assert.Equal("hidden", error.ParamName);
            Assert.StartsWith("Mlp: the hidden activation 42 is not an Activation.", error.Message);
            Assert.Equal(new Random(4).Next(), random.Next()); // no weight was drawn
        }
    }

    [Fact]
    public void Linear_names_the_size_it_refuses() =>
        Assert.Equal("outFeatures", Assert.Throws<ArgumentOutOfRangeException>(() => new Linear<double>(3, 0, new Random(0))).ParamName);

    [Fact]
    public void Mlp_with_one_layer_is_allowed() =>
        Assert.Single(new Mlp<double>([2, 1], [Activation.Sigmoid], new Random(0)).Layers);

    // A rate of 0 is allowed, as in PyTorch: a cosine schedule reaches η_min = 0 at the end of its period.
    [Theory]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Sgd_refuses_a_learning_rate_that_is_negative_or_not_finite(double rate) =>
        Assert.Contains("learning rate must be non-negative and finite", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>([Tensor.Scalar(1.0, requiresGrad: true)], rate)).Message);

    [Fact]
    public void Sgd_names_the_tensor_it_refuses() =>
        Assert.Contains("'frozen' (1×1) is not a trainable leaf", Assert.Throws<ArgumentException>(() => new Sgd<double>([Tensor.Scalar(1.0, name: "frozen")], 0.1)).Message);

    [Fact]
    public void Sgd_skips_a_parameter_without_a_gradient()
    {
        var used = Tensor.Scalar(1.0, requiresGrad: true);
        var unused = Tensor.Scalar(1.0, requiresGrad: true);
        (used * 2.0).Backward();
        new Sgd<double>([used, unused], 0.5).Step();
        Assert.Equal(0.0, used.Item);
        Assert.Equal(1.0, unused.Item);
        Assert.Equal(0, unused.Version);
    }

    [Theory]
    [InlineData("HalfSumSquared")]
    [InlineData("HalfMeanSquared")]
    [InlineData("SumSquared")]
    [InlineData("MeanSquaredError")]
    public void Every_loss_names_itself_when_shapes_differ(string loss)
    {
        Func<Tensor<double>, Tensor<double>, Tensor<double>> f = loss switch
        {
            "HalfSumSquared" => Loss.HalfSumSquared,
            "HalfMeanSquared" => Loss.HalfMeanSquared,
            "SumSquared" => Loss.SumSquared,
            _ => Loss.MeanSquaredError,
        };
        Assert.StartsWith($"{loss}: the prediction is 2×1 but the target is 1×2", Assert.Throws<ArgumentException>(() => f(Tensor.Zeros<double>(2, 1), Tensor.Zeros<double>(1, 2))).Message);
    }
}
