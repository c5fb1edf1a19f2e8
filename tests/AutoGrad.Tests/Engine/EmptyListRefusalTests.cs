using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Issue 13's leftover: <c>Autograd.Grad(y, [])</c> returned an empty array where PyTorch raises "grad requires
/// non-empty inputs". Every entry point that takes a list of tensors refuses an empty one, naming itself.
/// </summary>
public class EmptyListRefusalTests
{
    [Fact]
    public void Grad_with_no_inputs_is_refused_by_name_and_changes_nothing()
    {
        var w = Tensor.Full<double>(2, 2, 1.5, requiresGrad: true);
        var y = w.Square().Sum();
        foreach (bool createGraph in new[] { false, true })
        {
            var error = Assert.Throws<ArgumentException>(() => Autograd.Grad(y, [], createGraph));
            Assert.Equal("inputs", error.ParamName);
            Assert.Contains("Autograd.Grad: the list of inputs is empty", error.Message);
        }
        Assert.Null(w.Grad);
        Assert.Equal(6.0, Autograd.Grad(y, [w])[0][0, 0] + Autograd.Grad(y, [w])[0][1, 1]); // the graph is still usable
    }

    [Fact]
    public void Float_grad_with_no_inputs_and_a_seed_is_refused_too()
    {
        var w = Tensor.Full<float>(1, 3, 2f, requiresGrad: true);
        var y = w * 3f;
        var error = Assert.Throws<ArgumentException>(() => Autograd.Grad(y, [], seed: Tensor.Ones<float>(1, 3)));
        Assert.Contains("Autograd.Grad: the list of inputs is empty", error.Message);
    }

    [Fact]
    public void The_other_list_taking_entry_points_refuse_an_empty_list_by_name()
    {
        Assert.Contains("Sgd: the parameter list is empty", Assert.Throws<ArgumentException>(() => new Sgd<double>([], 0.1)).Message);
        Assert.Contains("Adam: the parameter list is empty", Assert.Throws<ArgumentException>(() => new Adam<double>([])).Message);
        Assert.Contains("AdamW: the parameter list is empty", Assert.Throws<ArgumentException>(() => new AdamW<float>([])).Message);
        Assert.Contains("Concat: no tensors to join", Assert.Throws<ArgumentException>(() => Tensor.Concat<double>([])).Message);
        Assert.Contains("GradCheck: no input requires a gradient",
            Assert.Throws<ArgumentException>(() => GradCheck.Run<double>(x => Tensor.Scalar(1.0), [])).Message);
        Assert.Contains("Gather", Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 2).Gather([])).Message);
    }
}
