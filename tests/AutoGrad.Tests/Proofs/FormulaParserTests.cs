using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Proofs;

/// <summary>The formula parser: rendered text and its ASCII spelling read back to an equal formula; errors point at a column.</summary>
public class FormulaParserTests
{
    private static readonly ProofContext Context = RandomFormulas.Context();

    [Fact]
    public void Parsing_a_rendered_formula_gives_back_the_same_formula() =>
        Properties.Check(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var formula = new RandomFormulas(new Random(seed)).Formula(4);
            var parsed = FormulaParser.Parse(formula.ToText(), Context);
            Assert.Equal(formula.ToText(), parsed.ToText());
            Assert.Equal(ProofVerdict.Proved, Prover.Prove(parsed, formula, Context).Verdict);
        }, cases: 500);

    [Fact]
    public void Parsing_the_ascii_spelling_of_a_rendered_formula_gives_an_equal_formula() =>
        Properties.Check(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var formula = new RandomFormulas(new Random(seed)).Formula(4);
            string ascii = Ascii(formula.ToText());
            Assert.True(ascii.All(char.IsAscii), ascii);
            var parsed = FormulaParser.Parse(ascii, Context);
            var result = Prover.Prove(parsed, formula, Context);
            Assert.True(result.Verdict == ProofVerdict.Proved, $"{ascii}: {result}");
        }, cases: 300);

    private static string Ascii(string text) => text
        .Replace("σ′", "dsigmoid").Replace("σ", "sigmoid").Replace("tanh′", "dtanh").Replace("relu′", "drelu").Replace("softplus′", "dsoftplus")
        .Replace("Σrows", "sumrows").Replace("Σcols", "sumcols").Replace("Σ", "sum")
        .Replace("ᵀ", "^T").Replace("·", "@").Replace("⊙", "*").Replace("−", "-").Replace("²", "^2").Replace("ŷ", "yhat");

    [Fact]
    public void The_tapes_formulas_of_note_000_read_back_as_the_same_text()
    {
        var net = ProofNetwork.Note000();
        var context = ProofContext.FromGraph(net.Loss);
        foreach (var name in new[] { "W1", "b1", "W2", "b2", "a1", "z1" })
        {
            string text = Symbolic.Gradient(net.Loss, net[name]).Text;
            Assert.Equal(text, FormulaParser.Parse(text, context).ToText());
        }
    }

    [Fact]
    public void Ascii_and_unicode_spellings_read_as_the_same_formula()
    {
        var net = ProofNetwork.Note000();
        var context = ProofContext.FromGraph(net.Loss);
        Assert.Equal(
            FormulaParser.Parse("W2ᵀ · ((ŷ − y) ⊙ σ′(z2))", context),
            FormulaParser.Parse("W2^T @ ((yhat - y) * dsigmoid(z2))", context));
        Assert.Equal(FormulaParser.Parse("2 ⊙ (ŷ − y)", context), FormulaParser.Parse("2(yhat - y)", context));
        Assert.Equal(FormulaParser.Parse("W2ᵀ · (ŷ − y)", context), FormulaParser.Parse("W2.T (ŷ − y)", context));
    }

    [Fact]
    public void Names_of_the_notes_that_look_like_calls_or_powers_are_names()
    {
        var context = new ProofContext().Declare("W(1)", "d", "h").Declare("a^(L-1)", "h", 1).Declare("z₁", 1, "h");
        Assert.Equal(new SymbolBinary("·", new SymbolName("W(1)"), new SymbolName("a^(L-1)")), FormulaParser.Parse("W(1) a^(L-1)", context));
        Assert.Equal(new SymbolFunction("σ′", new SymbolName("z₁")), FormulaParser.Parse("σ'(z₁)", context));
        // known names side by side without a space are a product, as notes write XW(1)
        var batch = new ProofContext().Declare("X", "n", "d").Declare("W(1)", "d", "h").Declare("W", "d", "h");
        Assert.Equal(new SymbolBinary("·", new SymbolName("X"), new SymbolName("W(1)")), FormulaParser.Parse("XW(1)", batch));
        Assert.Equal(new SymbolBinary("·", new SymbolName("X"), new SymbolName("W")), FormulaParser.Parse("XW", batch));
        Assert.Equal(9, Assert.Throws<FormulaSyntaxException>(() => FormulaParser.Parse("XW(1) · XV", batch)).Column);
    }

    [Fact]
    public void A_function_alias_reads_as_its_function()
    {
        var context = new ProofContext().Declare("z2", 2, 1).AliasFunction("df", "σ′");
        Assert.Equal(new SymbolFunction("σ′", new SymbolName("z2")), FormulaParser.Parse("df(z2)", context));
    }

    public static TheoryData<string, int, string> SyntaxErrors => new()
    {
        { "W2ᵀ · (δ", 9, "a '(' at column 7 is not closed" },
        { "W2 ·· x", 5, "unexpected '·' where an operand is expected" },
        { "W3 · x", 1, "unknown name W3" },
        { "σ′ z", 1, "the function σ needs an argument in parentheses" },
        { "x )", 3, "a closing parenthesis without an opening one" },
        { "", 1, "the formula is empty" },
        { "x +", 4, "the formula ends where an operand is expected" },
        { "x ^ q", 5, "expected T or a number after ^" },
        { "x $ y", 3, "unexpected '$'" },
        { "σ(x", 4, "the argument of σ (column 1) is not closed with ')'" },
    };

    [Theory]
    [MemberData(nameof(SyntaxErrors))]
    public void A_syntax_error_names_its_column(string text, int column, string problem)
    {
        var context = new ProofContext().Declare("W2", 2, 4).Declare("δ", 2, 1).Declare("x", 3, 1).Declare("y", 3, 1);
        var error = Assert.Throws<FormulaSyntaxException>(() => FormulaParser.Parse(text, context));
        Assert.Equal(column, error.Column);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"column {column}: ", error.Message, StringComparison.Ordinal);
    }
}
