using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>Modules: named parameters with stable dotted names, Sequential composition, Mlp and Linear on the base.</summary>
public class ModuleTests
{
    [Fact]
    public void Mlp_names_its_layers_by_position()
    {
        var mlp = new Mlp<double>([4, 3, 2], Activation.Relu, new Random(0));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias"], mlp.NamedParameters().Select(p => p.Key));
        Assert.Equal(mlp.NamedParameters().Select(p => p.Value), mlp.Parameters);
        Assert.Same(mlp.Layers[1].Weight, mlp.NamedParameters()[2].Value);
    }

    [Fact]
    public void Mlp_with_one_hidden_activation_has_a_linear_output_layer() =>
        Assert.Equal([Activation.Tanh, Activation.Tanh, Activation.Identity], new Mlp<float>([3, 5, 5, 2], Activation.Tanh, new Random(0)).Activations);

    [Fact]
    public void Sequential_numbers_every_module_as_PyTorch_does_so_activations_take_an_index()
    {
        var random = new Random(1);
        var model = new Sequential<double>(new Linear<double>(4, 8, random), new ActivationLayer<double>(Activation.Relu),
            new Sequential<double>(new Linear<double>(8, 3, random, bias: false)));
        Assert.Equal(["0.weight", "0.bias", "2.0.weight"], model.NamedParameters().Select(p => p.Key));
    }

    [Fact]
    public void A_user_module_declares_its_own_parameters_and_children()
    {
        var block = new Residual(new Random(2));
        Assert.Equal(["scale", "inner.weight", "inner.bias"], block.NamedParameters().Select(p => p.Key));
        var x = Tensor.From(new double[,] { { 1, 2 } });
        Assert.Equal(2, block.Forward(x).Cols);
    }

    [Fact]
    public void Sequential_is_the_composition_of_its_modules() =>
        Properties.Check(Gens.MatrixOf(3, 4, Gens.Value).ToArbitrary(), m =>
        {
            var random = new Random(m.Rows);
            var first = new Linear<double>(4, 5, random);
            var second = new Linear<double>(5, 2, random);
            var model = new Sequential<double>(first, new ActivationLayer<double>(Activation.Tanh), second);
            var x = m.ToTensor(requiresGrad: false);
            Assert.Equal(second.Forward(first.Forward(x).Tanh()).ToFlatArray(), model.Forward(x).ToFlatArray());
        });

    [Fact]
    public void Names_that_repeat_are_refused() =>
        Assert.Equal("NamedParameters: two parameters are named 'w' in Twice; names must be unique.",
            Assert.Throws<InvalidOperationException>(() => new Twice().NamedParameters()).Message);

    [Fact]
    public void Sequential_refuses_no_modules_or_a_null_one()
    {
        Assert.StartsWith("Sequential: needs at least one module and no nulls; got 0 modules.", Assert.Throws<ArgumentException>(() => new Sequential<double>()).Message);
        Assert.StartsWith("Sequential: needs at least one module and no nulls; got 2 modules with a null.",
            Assert.Throws<ArgumentException>(() => new Sequential<double>(new ActivationLayer<double>(Activation.Relu), null!)).Message);
    }

    [Fact]
    public void An_activation_layer_refuses_a_value_that_is_not_an_activation() =>
        Assert.StartsWith("ActivationLayer: 42 is not an Activation.", Assert.Throws<ArgumentOutOfRangeException>(() => new ActivationLayer<double>((Activation)42)).Message);

    [Fact]
    public void ZeroGrad_clears_every_parameter_of_every_child()
    {
        var model = new Mlp<double>([2, 3, 1], Activation.Sigmoid, new Random(3));
        model.Forward(Tensor.From(new double[,] { { 1, -1 } })).Sum().Backward();
        Assert.All(model.Parameters, p => Assert.NotNull(p.Grad));
        model.ZeroGrad();
        Assert.All(model.Parameters, p => Assert.Null(p.Grad));
    }

    private sealed class Residual(Random random) : Module<double>
    {
        private readonly Tensor<double> scale = Tensor.Scalar(0.5, requiresGrad: true);
        private readonly Linear<double> inner = new(2, 2, random);

        public override Tensor<double> Forward(Tensor<double> input) => input + inner.Forward(input) * scale;

        protected override IEnumerable<KeyValuePair<string, Tensor<double>>> OwnParameters() => [new("scale", scale)];

        protected override IEnumerable<KeyValuePair<string, Module<double>>> Children() => [new("inner", inner)];
    }

    private sealed class Twice : Module<double>
    {
        private readonly Tensor<double> w = Tensor.Scalar(1.0, requiresGrad: true);

        public override Tensor<double> Forward(Tensor<double> input) => input * w;

        protected override IEnumerable<KeyValuePair<string, Tensor<double>>> OwnParameters() => [new("w", w), new("w", w)];
    }
}
