using Xunit;

namespace AutoGrad.Tests.Formulas;

/// <summary>
/// How formulas show the selecting operations and their masks: a gradient read off the backward graph names Clamp's
/// mask clamp′(·) and Max/Min's argmax′(·)/argmin′(·) (of the named input, or of "·"), and the LaTeX forms of relu,
/// clamp and the masked product ⊙.
/// </summary>
public class SelectionNotationTests
{
    private static (Tensor<double> Z, Tensor<double> W1, Tensor<double> W2) Layer(string? zName)
    {
        var x = Tensor.From(new double[,] { { 0.5, -2 }, { 1, 0.25 } }, name: "x");
        var w1 = Tensor.From(new double[,] { { 1, 2 }, { 3, 4 } }, requiresGrad: true, name: "w1");
        var w2 = Tensor.From(new double[,] { { 1 }, { -1 } }, requiresGrad: true, name: "w2");
        var z = x.MatMul(w1);
        z.Name = zName;
        return (z, w1, w2);
    }

    [Fact]
    public void A_clamp_derivative_shows_as_the_clamp_mask_of_its_input()
    {
        var (z, w1, w2) = Layer("z");
        Assert.EndsWith("⊙ clamp′(z))", Symbolic.Gradient(z.Clamp(-1.0, 1.0).MatMul(w2).Sum(), w1).Text);
    }

    [Fact]
    public void A_max_or_min_along_an_axis_shows_its_mask_as_argmax_or_argmin_of_its_input()
    {
        var (z, w1, _) = Layer("z");
        // squared, so the upstream gradient depends on w1 and the selection is recorded rather than computed as a constant
        string max = Symbolic.Gradient(z.Max(1).Square().Sum(), w1).Text, min = Symbolic.Gradient(z.Min(0).Square().Sum(), w1).Text;
        Assert.Contains("argmax′(z)", max);
        Assert.DoesNotContain("argmin", max);
        Assert.Contains("argmin′(z)", min);
        Assert.DoesNotContain("argmax", min);
    }

    [Fact]
    public void A_mask_of_an_unnamed_input_is_written_of_a_dot()
    {
        var x = Tensor.From(new double[,] { { 0.5, -2 }, { 1, 0.25 } }, requiresGrad: true, name: "x");
        var g = Autograd.Grad((x * 2.0).Max(1).Square().Sum(), [x], createGraph: true)[0];
        Assert.Contains("argmax′(·)", Symbolic.FromGraph(g).Text);
        var c = Autograd.Grad((x * 2.0).Clamp(-1.0, 1.0).Square().Sum(), [x], createGraph: true)[0];
        Assert.Contains("clamp′(·)", Symbolic.FromGraph(c).Text);
    }

    [Fact]
    public void Max_and_min_along_an_axis_write_max_and_min()
    {
        var x = Tensor.From(new double[,] { { 0.5, -2 }, { 1, 0.25 } }, requiresGrad: true, name: "x");
        Assert.Equal("max₁(x)", Symbolic.FromGraph(x.Max(1)).Text);
        Assert.Equal("min₀(x)", Symbolic.FromGraph(x.Min(0)).Text);
    }

    [Fact]
    public void Relu_clamp_and_the_masked_product_have_their_latex_forms()
    {
        var x = Tensor.From(new double[,] { { 0.5, -2 } }, requiresGrad: true, name: "x");
        var m = Tensor.From(new double[,] { { 1, 0 } }, requiresGrad: true, name: "m");
        Assert.Equal("\\mathrm{relu}\\left(x\\right)", Symbolic.FromGraph(x.Relu()).Expression.ToLatex());
        Assert.Equal("\\operatorname{clamp[-1, 1]}\\left(x\\right)", Symbolic.FromGraph(x.Clamp(-1.0, 1.0)).Expression.ToLatex());
        Assert.Equal("x \\odot m", Symbolic.FromGraph(x.MaskedProduct(m)).Expression.ToLatex());
    }
}
