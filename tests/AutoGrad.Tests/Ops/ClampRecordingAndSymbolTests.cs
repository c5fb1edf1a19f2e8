using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Clamp records an operation only when asked to, and its formula symbol clamp[min, max] evaluates back to the clamp it
/// names (the declaration's Evaluate parses the bounds; run F's survivors on that parsing).
/// </summary>
public class ClampRecordingAndSymbolTests
{
    [Fact]
    public void Clamp_of_a_constant_or_under_no_grad_records_nothing()
    {
        var constant = Tensor.From(new double[,] { { -2, 0.5 } });
        var y = constant.Clamp(-1.0, 1.0);
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        var x = Tensor.From(new double[,] { { -2, 0.5 } }, requiresGrad: true);
        using (Tensor.NoGrad())
        {
            Assert.False(x.Clamp(-1.0, 1.0).RequiresGrad);
        }
        Assert.True(x.Clamp(-1.0, 1.0).RequiresGrad);
    }

    [Fact]
    public void A_clamp_symbol_evaluates_to_the_clamp_with_its_bounds()
    {
        var x = Tensor.From(new double[,] { { -2, -0.25, 0.5, 3 } }, name: "x");
        Assert.Equal(new double[,] { { -0.5, -0.25, 0.5, 2 } }, OperationCatalogue.Evaluate<double>("clamp[-0.5, 2]", [x]).ToArray());
        var f = Tensor.From(new float[,] { { -2, -0.25f, 0.5f, 3 } });
        Assert.Equal(new float[,] { { -0.5f, -0.25f, 0.5f, 2 } }, OperationCatalogue.Evaluate<float>("clamp[-0.5, 2]", [f]).ToArray());
    }

    [Fact]
    public void A_formula_read_off_a_clamp_evaluates_to_its_values()
    {
        var x = Tensor.From(new double[,] { { -2, -0.25, 0.5, 3 } }, requiresGrad: true, name: "x");
        var formula = Symbolic.FromGraph(x.Clamp(-0.5, 2.0));
        Assert.Equal("clamp[-0.5, 2](x)", formula.Text);
        Assert.Equal(new double[,] { { -0.5, -0.25, 0.5, 2 } }, formula.Evaluate().ToArray());
    }

    [Fact]
    public void A_clamp_symbol_with_two_arguments_is_not_a_clamp()
    {
        var x = Tensor.From(new double[,] { { 1 } });
        var e = Assert.Throws<NotSupportedException>(() => OperationCatalogue.Evaluate<double>("clamp[-1, 1]", [x, x]));
        Assert.Equal("Symbolic: no operation writes 'clamp[-1, 1]' with 2 argument(s).", e.Message);
    }
}
