using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// A module used twice (tied weights): its parameters are listed once, under their first name, as PyTorch's
/// <c>named_parameters()</c> lists them, so <c>new Adam(model.Parameters)</c> works — it threw "appears twice in the
/// parameter list" (adversarial review, session nine) — and the gradient sums both uses. PyTorch 1.13's values:
/// <c>l = nn.Linear(2, 2).double()</c> with these weights, <c>nn.Sequential(l, nn.Tanh(), l)</c>, x = [[1, 2]], loss = sum,
/// one <c>Adam(lr = 0.1)</c> step.
/// </summary>
public class SharedModuleTests
{
    [Fact]
    public void A_module_used_twice_lists_its_parameters_once_and_trains_as_in_PyTorch()
    {
        var weight = Tensor.From(new double[,] { { 0.5, -1 }, { 2, 0.25 } }, requiresGrad: true, name: "W");
        var bias = Tensor.From(new double[,] { { 0.1, -0.2 } }, requiresGrad: true, name: "b");
        var layer = new Linear<double>(weight, bias);
        var model = new Sequential<double>(layer, new ActivationLayer<double>(Activation.Tanh), layer);
        Assert.Equal(new[] { "0.weight", "0.bias" }, model.NamedParameters().Select(p => p.Key));

        var adam = new Adam<double>(model.Parameters, learningRate: 0.1);
        model.Forward(Tensor.From(new double[,] { { 1, 2 } })).Sum().Backward();
        Assert.Equal(new[] { -0.3449705006384196, 2.0608586913938773, -0.9149099387217811, 0.9209798152271542 }, weight.Grad!.ToFlatArray(), new Tolerance(1e-15));
        Assert.Equal(new[] { 1.540381147563843, 0.9704417094804815 }, bias.Grad!.ToFlatArray(), new Tolerance(1e-15));
        adam.Step();
        Assert.Equal(new[] { 0.5999999971012016, -1.0999999995147653, 2.099999998906996, 0.15000000108580014 }, weight.ToFlatArray(), new Tolerance(1e-15));
        Assert.Equal(new[] { 6.491899795513234e-10, -0.29999999896954144 }, bias.ToFlatArray(), new Tolerance(1e-15));
    }

    [Fact]
    public void A_model_with_a_shared_module_saves_and_loads_each_tensor_once()
    {
        var layer = new Linear<double>(2, 2, new Random(0));
        var model = new Sequential<double>(layer, layer);
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, model.NamedParameters());
        stream.Position = 0;
        double[] before = layer.Weight.ToFlatArray();
        using (Tensor.NoGrad())
        {
            layer.Weight.Fill(0);
        }
        SafeTensors.Load(stream, model.NamedParameters());
        Assert.Equal(before, layer.Weight.ToFlatArray());
    }
}

/// <summary>Element-wise absolute tolerance for collections of doubles.</summary>
internal sealed class Tolerance(double allowed) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= allowed;

    public int GetHashCode(double obj) => 0;
}
