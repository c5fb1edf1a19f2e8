using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Formulas;

/// <summary>Gradients read back from the recorded backward graph as formulas, for every note's network.</summary>
public class SymbolicFormulaTests
{
    public static TheoryData<string, string, string> PinnedFormulas => new()
    {
        { "000", "W1", "((W2ᵀ · ((ŷ − y) ⊙ σ′(z2))) ⊙ σ′(z1)) · xᵀ" },
        { "000", "b1", "(W2ᵀ · ((ŷ − y) ⊙ σ′(z2))) ⊙ σ′(z1)" },
        { "000", "W2", "((ŷ − y) ⊙ σ′(z2)) · a1ᵀ" },
        { "000", "b2", "(ŷ − y) ⊙ σ′(z2)" },
        // note 001 with N = 4 rows: 1/(2N) · 2 = 1/N = 0.25
        { "001", "W(1)", "Xᵀ · (((0.25 ⊙ (ŷ − Y) ⊙ σ′(O)) · W(2)ᵀ) ⊙ σ′(H))" },
        { "001", "W(2)", "Zᵀ · (0.25 ⊙ (ŷ − Y) ⊙ σ′(O))" },
        { "002", "W^(L-1)", "((W^Lᵀ · ((a^L − y) ⊙ σ′(z^L))) ⊙ σ′(z^(L-1))) · xᵀ" },
        { "002", "b^(L-1)", "(W^Lᵀ · ((a^L − y) ⊙ σ′(z^L))) ⊙ σ′(z^(L-1))" },
        { "002", "W^L", "((a^L − y) ⊙ σ′(z^L)) · a^(L-1)ᵀ" },
        { "002", "b^L", "(a^L − y) ⊙ σ′(z^L)" },
        { "003", "w(1)", "xᵀ · ((((ŷ − y) ⊙ σ′(z₂)) · w(2)ᵀ) ⊙ σ′(z₁))" },
        { "003", "b(1)", "(((ŷ − y) ⊙ σ′(z₂)) · w(2)ᵀ) ⊙ σ′(z₁)" },
        { "003", "w(2)", "f₁ᵀ · ((ŷ − y) ⊙ σ′(z₂))" },
        { "003", "b(2)", "(ŷ − y) ⊙ σ′(z₂)" },
        // note 004: L = ‖y − f‖² has no ½, so the factor 2 stays
        { "004", "V", "((Wᵀ · (2 ⊙ (f − y))) ⊙ σ′(g)) · xᵀ" },
        { "004", "W", "(2 ⊙ (f − y)) · hᵀ" },
    };

    private static NoteNetworks.Network Build(string note, Random random) => note switch
    {
        "000" => NoteNetworks.Note000(random),
        "001" => NoteNetworks.Note001(random),
        "002" => NoteNetworks.Note002(random),
        "003" => NoteNetworks.Note003(random),
        _ => NoteNetworks.Note004(random),
    };

    [Theory]
    [MemberData(nameof(PinnedFormulas))]
    public void The_gradient_of_every_weight_and_bias_reads_as_the_notes_formula(string note, string parameter, string formula)
    {
        var network = Build(note, new Random(1));
        var p = network.Parameters.Single(t => t.Name == parameter);
        Assert.Equal(formula, Symbolic.Gradient(network.Loss, p).Text);
    }

    [Fact]
    public void Evaluating_the_rendered_formula_gives_the_tapes_numbers() =>
        Properties.Check(Arb.From(
            from note in Gen.Elements("000", "001", "002", "003", "004")
            from dims in Gen.ArrayOf(Gen.Choose(1, 6), 3)
            from seed in Gen.Choose(0, 100_000)
            select (note, dims, seed)), c =>
        {
            var random = new Random(c.seed);
            var (a, b, d) = (c.dims[0], c.dims[1], c.dims[2]);
            var network = c.note switch
            {
                "000" => NoteNetworks.Note000(random, a, b, d),
                "001" => NoteNetworks.Note001(random, a, b, d),
                "002" => NoteNetworks.Note002(random, a, b, d),
                "003" => NoteNetworks.Note003(random, a, b, d),
                _ => NoteNetworks.Note004(random, a, b, d),
            };
            network.Loss.Backward();
            foreach (var p in network.Parameters)
            {
                var formula = Symbolic.Gradient(network.Loss, p);
                var value = formula.Evaluate();
                Assert.Equal(p.Shape, value.Shape);
                for (int i = 0; i < value.Length; i++)
                {
                    double tape = p.Grad!.AsSpan()[i];
                    Assert.True(Math.Abs(tape - value.AsSpan()[i]) <= 1e-12 * (1 + Math.Abs(tape)), $"{p.Name}: {formula.Text}: {value.AsSpan()[i]} vs tape {tape}");
                }
            }
        });

    [Fact]
    public void Latex_uses_the_usual_symbols()
    {
        var network = NoteNetworks.Note000(new Random(1));
        string latex = Symbolic.Gradient(network.Loss, network.Parameters[0]).Latex;
        Assert.Equal(@"\left(\left(W_{2}^\top \cdot \left(\left(\hat{y} - y\right) \odot \sigma'\left(z_{2}\right)\right)\right) \odot \sigma'\left(z_{1}\right)\right) \cdot x^\top", latex);
    }

    [Fact]
    public void Simplification_drops_ones_and_zeros_folds_constants_and_keeps_transposes_explicit()
    {
        var x = Tensor.From(new double[,] { { 1, 2 }, { 3, 4 } }, requiresGrad: true, name: "x");
        var w = Tensor.From(new double[,] { { 1, -1 }, { 2, 0.5 } }, requiresGrad: true, name: "w");
        // L = Σ(3·x²·2 + 0): the seed 1, the ½… constants fold into one factor, + 0 disappears
        var square = Symbolic.Gradient((3.0 * x.Square() * 2.0 + 0.0).Sum(), x);
        Assert.Equal("12 ⊙ x", square.Text);
        Assert.Equal(new double[,] { { 12, 24 }, { 36, 48 } }, square.Evaluate().ToArray());
        // transposes stay explicit: ∂Σ tanh(x·w)/∂x = tanh′(x · w) · wᵀ
        Assert.Equal("tanh′(x · w) · wᵀ", Symbolic.Gradient(x.MatMul(w).Tanh().Sum(), x).Text);
        Assert.Equal("xᵀ · tanh′(x · w)", Symbolic.Gradient(x.MatMul(w).Tanh().Sum(), w).Text);
        Assert.Equal("−x", Symbolic.Gradient((-(x.Square() * 0.5)).Sum(), x).Text);
    }

    [Fact]
    public void A_gradient_that_does_not_depend_on_any_parameter_shows_as_its_value()
    {
        // nothing in ∂(Σ 3x)/∂x = 3 requires a gradient, so the backward pass computes it eagerly: a constant
        var x = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true, name: "x");
        Assert.Equal("3", Symbolic.Gradient((3.0 * x).Sum(), x).Text);
    }

    [Fact]
    public void A_relu_derivative_shows_as_the_mask_of_its_input()
    {
        var x = Tensor.From(new double[,] { { 1, -2 } }, name: "x");
        var w1 = Tensor.From(new double[,] { { 1, 2 }, { 3, 4 } }, requiresGrad: true, name: "w1");
        var w2 = Tensor.From(new double[,] { { 1 }, { -1 } }, requiresGrad: true, name: "w2");
        // an unnamed pre-activation is expanded, a named one shows by its name
        Assert.EndsWith("⊙ relu′(x · w1))", Symbolic.Gradient(x.MatMul(w1).Relu().MatMul(w2).Sum(), w1).Text);
        var z = x.MatMul(w1);
        z.Name = "z";
        Assert.EndsWith("⊙ relu′(z))", Symbolic.Gradient(z.Relu().MatMul(w2).Sum(), w1).Text);
    }
}
