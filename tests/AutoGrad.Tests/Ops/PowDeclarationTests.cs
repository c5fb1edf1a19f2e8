using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Pow's declarations as the catalogue reads them: the test domain of x (negative x for an integer power, including 0;
/// positive x only for a fractional one, where xᵖ of a negative x is NaN; x away from 0 for a negative integer power,
/// where 0 is a pole), the seeds' domain of the recorded gradient (any value), and how a formula writes Pow and its
/// recorded gradient in text and LaTeX.
/// </summary>
public class PowDeclarationTests
{
    [Fact]
    public void Pow_is_checked_on_negative_x_for_integer_powers_on_positive_x_for_fractional_ones_and_away_from_zero_below_zero()
    {
        Assert.Same(TestDomain.Standard, new PowDeclaration(3).Domain(0));
        Assert.Same(TestDomain.Standard, new PowDeclaration(0).Domain(0));
        Assert.Same(TestDomain.Standard, new PowDeclaration(1).Domain(0));
        Assert.Same(TestDomain.Positive, new PowDeclaration(1.5).Domain(0));
        Assert.Same(TestDomain.Positive, new PowDeclaration(-0.5).Domain(0));
        Assert.Same(TestDomain.AwayFromZero, new PowDeclaration(-1).Domain(0));
        Assert.Same(TestDomain.AwayFromZero, new PowDeclaration(-3).Domain(0));
    }

    [Fact]
    public void Pow_gradient_checks_its_seeds_everywhere_and_x_as_the_power_x_to_the_q_needs()
    {
        var cube = new PowGradientDeclaration(3, 2, 2);
        Assert.Same(TestDomain.Standard, cube.Domain(0));
        Assert.Same(TestDomain.Standard, cube.Domain(1));
        Assert.Same(TestDomain.Standard, cube.Domain(2)); // x² on any x
        var linear = new PowGradientDeclaration(6, 0, 1);
        Assert.Same(TestDomain.Standard, linear.Domain(1)); // x⁰: q = 0 is an integer ≥ 0
        var root = new PowGradientDeclaration(0.75, -0.5, 2);
        Assert.Same(TestDomain.Standard, root.Domain(0));
        Assert.Same(TestDomain.Standard, root.Domain(1));
        Assert.Same(TestDomain.Positive, root.Domain(2));
        var pole = new PowGradientDeclaration(2, -3, 1);
        Assert.Same(TestDomain.Standard, pole.Domain(0));
        Assert.Same(TestDomain.AwayFromZero, pole.Domain(1));
    }

    [Fact]
    public void Pow_and_its_recorded_gradient_write_their_formulas_in_text_latex_and_as_expressions()
    {
        var x = Tensor.From(new[,] { { 1.5, 2.0 } }, requiresGrad: true, name: "x");
        var g = Tensor.From(new[,] { { 0.5, -1.0 } }, requiresGrad: true, name: "g");
        var pow = Symbolic.FromGraph(x.Pow(3.0)).Expression;
        var gradient = Symbolic.FromGraph(Tensor<double>.PowGradient(g, x, 3, 2)).Expression;
        Assert.Equal("x^3", pow.ToString());
        Assert.Equal("x^{3}", pow.ToLatex());
        Assert.Equal("3 ⊙ g ⊙ x^2", gradient.ToString());
        Assert.Equal("3 \\odot g \\odot x^{2}", gradient.ToLatex());
        // a power is a postfix form: its SymbolFunction carries no LaTeX name (null), in Pow and in its recorded gradient
        var x3 = new SymbolFunction("^3", new SymbolName("x"));
        Assert.Null(x3.Latex);
        Assert.Equal(x3, pow);
        Assert.Equal([new SymbolFunction("^2", new SymbolName("x"))], Powers(gradient));
    }

    private static List<SymbolFunction> Powers(SymbolicExpression e) => e switch
    {
        SymbolFunction f when f.Function.StartsWith('^') => [f, .. Powers(f.Argument)],
        SymbolFunction f => Powers(f.Argument),
        SymbolBinary b => [.. Powers(b.Left), .. Powers(b.Right)],
        SymbolCall c => [.. Powers(c.Left), .. Powers(c.Right)],
        _ => [],
    };
}
