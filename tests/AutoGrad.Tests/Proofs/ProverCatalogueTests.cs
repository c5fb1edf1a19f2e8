using Xunit;

namespace AutoGrad.Tests.Proofs;

/// <summary>Identities the prover must prove, and near-misses it must refute, over named dimensions.</summary>
public class ProverCatalogueTests
{
    /// <summary>A, B, C, D of shapes n×k, k×m, k×m, n×m; P, Q, R of n×m; S of n×p, T of p×m; z of n×m.</summary>
    private static ProofContext Context() => new ProofContext()
        .Declare("A", "n", "k").Declare("B", "k", "m").Declare("C", "k", "m").Declare("D", "n", "m")
        .Declare("P", "n", "m").Declare("Q", "n", "m").Declare("S", "n", "p").Declare("T", "p", "m")
        .Declare("z", "n", "m").Declare("v", "n", 1).Declare("u", 1, "m").Declare("A1", "n", "m").Declare("A2", "n", 1);

    public static TheoryData<string, string> Identities => new()
    {
        { "(A · B)ᵀ", "Bᵀ · Aᵀ" },
        { "A · (B + C)", "A · B + A · C" },
        { "(P ⊙ Q)ᵀ", "Pᵀ ⊙ Qᵀ" },
        { "Σ(P ⊙ (S · T))", "Σ((Sᵀ · P) ⊙ T)" },
        { "Σrows(P)ᵀ", "Σcols(Pᵀ)" },
        { "σ′(z)", "σ(z) ⊙ (1 − σ(z))" },
        { "tanh′(z)", "1 − tanh(z)²" },
        { "(A · B · Cᵀ)ᵀ", "C · Bᵀ · Aᵀ" },
        { "2 ⊙ (P − Q)", "P + P − 2 ⊙ Q" },
        { "Σ(v)", "Σ(vᵀ)" },
        { "v ⊙ u", "v · u" },
        { "Σcols(v · u)", "Σ(u) ⊙ v" },
        { "(P − Q)²", "P ⊙ P − 2 ⊙ P ⊙ Q + Q^2" },
        { "σ(A · B + D ᵀᵀ) ⊙ P", "P ⊙ σ(A · C + A · B − A · C + D)" },
        // derivatives of exp, log, softplus; relu′ an indicator (relu(z) = z ⊙ relu′(z)); reciprocals of σ and exp cancel
        { "exp′(z)", "exp(z)" },
        { "log′(z)", "1 / z" },
        { "softplus′(z)", "σ(z)" },
        { "relu(z)", "z ⊙ relu′(z)" },
        { "relu′(z) ⊙ relu′(z)", "relu′(z)" },
        { "(relu(z) − P) ⊙ relu′(z)", "(z − P) ⊙ relu′(z)" },
        { "(1 / σ(z)) ⊙ σ′(z)", "1 − σ(z)" },
        { "P ⊙ exp(z) / exp(z)", "P" },
        { "(2 ⊙ exp(A · B) ⊙ σ(D)) / (σ(D) ⊙ exp(A · B))", "2 + 0 ⊙ P" },
        // tanh is odd
        { "tanh(−2 ⊙ z)", "−tanh(2 ⊙ z)" },
        { "tanh′(Q − P)", "1 − tanh(P − Q)²" },
        // a ratio of σ cancels whatever the sign of its argument
        { "P ⊙ σ(A1 − A2) ⊙ σ(A1 − A2) / σ(A1 − A2)", "P ⊙ σ(A1 − A2)" },
    };

    [Theory]
    [MemberData(nameof(Identities))]
    public void Every_identity_of_the_catalogue_is_proved(string left, string right)
    {
        var result = Prover.Prove(left, right, Context());
        Assert.True(result.Verdict == ProofVerdict.Proved, result.ToString());
    }

    public static TheoryData<string, string> NearMisses => new()
    {
        { "Aᵀ · Bᵀ", "(A · B)ᵀ" },          // the classic: order not reversed (does not multiply)
        { "Σ((S · P) ⊙ T)", "Σ(P ⊙ (S · T))" }, // a dropped transpose (does not multiply)
        { "σ(z)", "σ′(z)" },                  // σ instead of σ′
        { "Q − P", "P − Q" },                  // a swapped operand
        { "σ(−z)", "σ(z)" },                  // a sign inside σ
        { "tanh(−z)", "1 − tanh(z)" },
        { "A · B + A · B", "A · (B + C)" },
    };

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void A_near_miss_is_refuted_with_a_counterexample(string left, string right)
    {
        var result = Prover.Prove(left, right, Context());
        Assert.True(result.Verdict == ProofVerdict.Refuted, result.ToString());
        Assert.NotNull(result.Counterexample);
    }

    [Fact]
    public void A_transposed_claim_is_proved_up_to_the_transpose()
    {
        var result = Prover.Prove("Bᵀ · Aᵀ", "A · B", Context());
        Assert.Equal(ProofVerdict.ProvedUpToTranspose, result.Verdict);
    }

    /// <summary>x / x = 1 only where x is never zero: σ and exp are never zero; tanh, relu and a matrix are, so these stay unproved.</summary>
    [Theory]
    [InlineData("P ⊙ tanh(z) / tanh(z)", "P")]
    [InlineData("P ⊙ relu(z) / relu(z)", "P")]
    [InlineData("P ⊙ Q / Q", "P")]
    [InlineData("P ⊙ σ(z) / (σ(z) + 0 ⊙ Q)", "P ⊙ Q / Q")]
    public void A_ratio_that_can_be_zero_over_zero_is_not_cancelled(string left, string right)
    {
        var result = Prover.Prove(left, right, Context());
        Assert.True(result.Verdict is ProofVerdict.Unknown or ProofVerdict.Refuted, result.ToString());
    }

    /// <summary>
    /// A term through a factor that can be infinite (Q⁻¹, relu(z)⁻¹, log z) is not 0 when it cancels or is multiplied by 0:
    /// 0/0, 0·∞ and ∞ − ∞ are undefined. The canonical forms of these pairs are equal (both 0 or both P ⊙ (Q − Q)), but
    /// the left side is NaN where Q, relu(z) or z is 0, so none may be proved (found by the ratio soundness property:
    /// (3 ⊙ A ⊙ (B − B) ⊙ relu(A)) / relu(A) against 3 ⊙ A ⊙ (B − B) was proved, NaN vs −0).
    /// </summary>
    [Theory]
    [InlineData("(P − P) / relu(z)", "P − P")]
    [InlineData("P ⊙ (Q − Q) ⊙ relu(z) / relu(z)", "P ⊙ (Q − Q)")]
    [InlineData("P / Q − P / Q", "P − P")]
    [InlineData("0 ⊙ log(z)", "P − P")]
    [InlineData("σ((P − P) / Q)", "σ(P − P)")]
    [InlineData("(P − P)ᵀ / relu(z)ᵀ", "P − P")]
    public void A_term_through_a_factor_that_can_be_infinite_does_not_cancel(string left, string right)
    {
        var result = Prover.Prove(left, right, Context());
        Assert.True(result.Verdict is ProofVerdict.Unknown or ProofVerdict.Refuted, result.ToString());
    }

    [Fact]
    public void A_ratio_through_a_factor_that_can_be_infinite_is_still_proved_when_nothing_cancels()
    {
        Assert.Equal(ProofVerdict.Proved, Prover.Prove("P / relu(z) + Q", "Q + P / relu(z)", Context()).Verdict);
    }

    [Fact]
    public void An_identity_outside_the_rules_is_unknown_not_refuted_and_not_proved()
    {
        var result = Prover.Prove("σ(−z)", "1 − σ(z)", Context());
        Assert.Equal(ProofVerdict.Unknown, result.Verdict);
        Assert.Contains("no counterexample", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_refutation_of_a_missing_transpose_names_the_product_that_does_not_multiply()
    {
        // ∂L/∂W = δ · xᵀ for W = 2×3, x = 3×1, δ = 2×1; written without the transpose
        var result = Prover.Prove("δ · x", "δ · xᵀ", new ProofContext().Declare("δ", 2, 1).Declare("x", 3, 1));
        Assert.Equal(ProofVerdict.Refuted, result.Verdict);
        Assert.Equal("δ · x: a product needs the inner dimensions to agree, but it is (2×1) · (3×1)", result.Counterexample!.ShapeConflict);
    }
}
