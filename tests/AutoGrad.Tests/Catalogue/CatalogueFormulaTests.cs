using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Catalogue;

/// <summary>Every operation writes itself in formulas, and every formula evaluates back to what the tape computed.</summary>
public class CatalogueFormulaTests
{
    private static readonly string[] Names = ["a", "b", "c", "d"];

    private static void AssertSameValues(Tensor<double> expected, Tensor<double> actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToFlatArray();
        var a = actual.ToFlatArray();
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-12 * (1 + Math.Abs(e[i])), $"{what}, element {i}: tape {e[i]}, formula {a[i]}");
        }
    }

    [Fact]
    public void Every_op_result_read_as_a_formula_evaluates_back_to_the_result() =>
        Properties.Check(CatalogueCases.Over(CatalogueCases.All.Where(d => d.WritesEvaluableFormula)), c =>
        {
            var result = c.Op.Apply<double>(c.Inputs(names: Names));
            var formula = Symbolic.FromGraph(result);
            AssertSameValues(result, formula.Evaluate(), $"{formula.Text}");
            Assert.False(string.IsNullOrEmpty(formula.Latex));
        }, cases: 200);

    [Fact]
    public void Every_op_gradient_read_as_a_formula_evaluates_back_to_the_tape_gradient() =>
        Properties.Check(CatalogueCases.Over(CatalogueCases.All.Where(d => d.WritesEvaluableFormula)), c =>
        {
            var inputs = c.Inputs(names: Names);
            var result = c.Op.Apply<double>(inputs);
            var weights = Tensor.RandomUniform<double>(result.Rows, result.Cols, new Random(result.Length), 0.5, 1.5, name: "W");
            var loss = (result * weights).Sum();
            for (int i = 0; i < inputs.Length; i++)
            {
                var formula = Symbolic.Gradient(loss, inputs[i]);
                AssertSameValues(Autograd.Grad(loss, [inputs[i]])[0], formula.Evaluate(), $"∂/∂{Names[i]} = {formula.Text}");
            }
        }, cases: 200);
}
