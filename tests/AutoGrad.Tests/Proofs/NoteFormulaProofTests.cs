using Xunit;

namespace AutoGrad.Tests.Proofs;

/// <summary>
/// The notes' formulas, typed as the notes write them (in their layout), against the tape's gradient formula:
/// corrected formulas are proved for every size, layout conventions proved up to a transpose, errata refuted at the
/// note's own sizes — and a refutation's values are the tape's.
/// </summary>
public class NoteFormulaProofTests
{
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, double[,]>?, ProofNetwork>> Networks = new()
    {
        ["000"] = v => ProofNetwork.Note000(values: v),
        ["000, n2 = 1"] = v => ProofNetwork.Note000(3, 4, 1, values: v),
        ["001"] = v => ProofNetwork.Note001(values: v),
        ["002"] = v => ProofNetwork.Note002(values: v),
        ["002, vector layers"] = v => ProofNetwork.Note002(3, 4, 2, values: v),
        ["003, linear"] = v => ProofNetwork.Note003Linear(values: v),
        ["003"] = v => ProofNetwork.Note003(values: v),
        ["003, 1×1"] = v => ProofNetwork.Note003(1, 1, values: v),
        ["004"] = v => ProofNetwork.Note004(values: v),
    };

    public static TheoryData<string, string, string, ProofVerdict> Rows => new()
    {
        // note 000, column layout
        { "000", "W1", "((W2ᵀ · ((ŷ − y) ⊙ σ′(z2))) ⊙ σ′(z1)) · xᵀ", ProofVerdict.Proved },
        { "000", "W1", "((W2ᵀ · ((ŷ − y) ⊙ ŷ ⊙ (1 − ŷ))) ⊙ a1 ⊙ (1 − a1)) · xᵀ", ProofVerdict.Proved },
        { "000", "b1", "(W2^T @ ((yhat - y) * dsigmoid(z2))) * a1 * (1 - a1)", ProofVerdict.Proved },
        { "000", "W2", "((ŷ − y) ⊙ σ′(z2)) · a1ᵀ", ProofVerdict.Proved },
        { "000", "b2", "(ŷ − y) ⊙ ŷ ⊙ (1 − ŷ)", ProofVerdict.Proved },
        { "000", "a1", "W2ᵀ · ((ŷ − y) ⊙ σ′(z2))", ProofVerdict.Proved },
        { "000", "a1", "((ŷ − y) ⊙ σ′(z2)) · W2", ProofVerdict.Refuted },              // chain-rule order: does not multiply for n2 = 2
        { "000, n2 = 1", "a1", "((ŷ − y) ⊙ σ′(z2)) · W2", ProofVerdict.ProvedUpToTranspose }, // …and is the transpose for n2 = 1
        { "000", "W1", "((W2 · ((ŷ − y) ⊙ σ′(z2))) ⊙ σ′(z1)) · xᵀ", ProofVerdict.Refuted }, // the classic missing transpose
        { "000", "W1", "((W2ᵀ · ((ŷ − y) ⊙ σ(z2))) ⊙ σ′(z1)) · xᵀ", ProofVerdict.Refuted },  // σ instead of σ′
        // note 001, batch rows; 1/(2N) with N = 4 gives the factor 1/4
        { "001", "W(2)", "Zᵀ · ((ŷ − Y) ⊙ ŷ ⊙ (1 − ŷ)) / 4", ProofVerdict.Proved },
        { "001", "W(1)", "Xᵀ · (((0.25 ⊙ (ŷ − Y) ⊙ σ′(O)) · W(2)ᵀ) ⊙ Z ⊙ (1 − Z))", ProofVerdict.Proved },
        { "001", "W(1)", "Xᵀ · (((0.5 ⊙ (ŷ − Y) ⊙ σ′(O)) · W(2)ᵀ) ⊙ Z ⊙ (1 − Z))", ProofVerdict.Refuted }, // 1/2 for 1/(2N)·2
        // note 002: scalars, where its chain-rule products are right, and vector layers, where they do not multiply
        { "002", "W^L", "a^(L-1) · a^L(1 − a^L) · (a^L − y)", ProofVerdict.Proved },
        { "002", "W^(L-1)", "x · a^(L-1)(1 − a^(L-1)) · W^L · a^L(1 − a^L) · (a^L − y)", ProofVerdict.Proved },
        { "002, vector layers", "W^L", "a^(L-1) · (a^L ⊙ (1 − a^L)) · (a^L − y)", ProofVerdict.Refuted },
        { "002, vector layers", "W^L", "((a^L − y) ⊙ a^L ⊙ (1 − a^L)) · a^(L-1)ᵀ", ProofVerdict.Proved },
        // note 003: the linear network's formulas as written and corrected
        { "003, linear", "W(2)", "(ŷ − y) X W(1)", ProofVerdict.Refuted },
        { "003, linear", "W(2)", "(X W(1))ᵀ (ŷ − y)", ProofVerdict.Proved },
        { "003, linear", "W(1)", "(ŷ − y) W(2)ᵀ X", ProofVerdict.Refuted },
        { "003, linear", "W(1)", "Xᵀ (ŷ − y) W(2)ᵀ", ProofVerdict.Proved },
        // note 003 with activations, one example
        { "003", "w(2)", "(ŷ − y)(1)σ′(z₂) f₁", ProofVerdict.ProvedUpToTranspose },      // a row where w(2) is a column: a convention
        { "003", "w(2)", "f₁ᵀ ((ŷ − y) ⊙ σ′(z₂))", ProofVerdict.Proved },
        { "003", "w(1)", "(ŷ − y) σ′(z₂) w(2)ᵀ σ′(f₁) x", ProofVerdict.Refuted },     // does not multiply for d, h > 1
        { "003, 1×1", "w(1)", "(ŷ − y) σ′(z₂) w(2)ᵀ σ′(f₁) x", ProofVerdict.Refuted }, // σ′ of the activation: wrong in value at 1×1
        { "003, 1×1", "w(1)", "(ŷ − y) σ′(z₂) w(2)ᵀ σ′(z₁) x", ProofVerdict.Proved }, // σ′ of the pre-activation: exact at 1×1
        { "003", "w(1)", "xᵀ ((((ŷ − y) ⊙ σ′(z₂)) w(2)ᵀ) ⊙ f₁ ⊙ (1 − f₁))", ProofVerdict.Proved },
        // note 004: eq. (23), eq. (40), the row-layout ∂L/∂h of section 2, eq. (50) as written
        { "004", "W", "2(f − y)hᵀ", ProofVerdict.Proved },
        { "004", "V", "((Wᵀ · 2(f − y)) ⊙ h ⊙ (1 − h)) · xᵀ", ProofVerdict.Proved },
        { "004", "h", "2(f − y)ᵀ W", ProofVerdict.ProvedUpToTranspose },
        { "004", "W", "2(f − y)ᵀ hᵀ", ProofVerdict.Refuted },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_note_formula_gets_its_verdict_against_the_tape(string network, string parameter, string formula, ProofVerdict expected)
    {
        var net = Networks[network](null);
        var result = Prover.ProveGradient(net.Loss, net[parameter], formula);
        Assert.True(expected == result.Verdict, $"{formula}: expected {expected}, got {result}");
        if (result.Verdict == ProofVerdict.Refuted)
        {
            AssertTheCounterexampleIsTheTapes(network, parameter, result.Counterexample!);
        }
    }

    /// <summary>A refutation's reference side is the tape's own gradient at the counterexample's values, at the note's sizes.</summary>
    private static void AssertTheCounterexampleIsTheTapes(string network, string parameter, Counterexample counterexample)
    {
        var context = ProofContext.FromGraph(Networks[network](null).Loss);
        Assert.All(counterexample.Sizes, s => Assert.Equal(context.ReferenceSizes[s.Key], s.Value));
        var net = Networks[network](counterexample.Values);
        var tape = Autograd.Grad(net.Loss, [net[parameter]])[0];
        Assert.NotNull(counterexample.Reference);
        Assert.Equal(tape.ToArray(), counterexample.Reference!, new MatrixComparer(1e-12));
    }

    [Fact]
    public void Note_003s_scalar_counterexample_is_the_derivations_literal_formula()
    {
        var net = Networks["003, 1×1"](null);
        var result = Prover.ProveGradient(net.Loss, net["w(1)"], "(ŷ − y) σ′(z₂) w(2)ᵀ σ′(f₁) x");
        var v = result.Counterexample!.Values;
        var M = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build;
        var fw = Derivations.Note003.RunWithActivations(M.DenseOfArray(v["x"]), M.DenseOfArray(v["w(1)"]), M.DenseOfArray(v["b(1)"]), M.DenseOfArray(v["w(2)"]), M.DenseOfArray(v["b(2)"]));
        var literal = Derivations.Note003.ActivationGradW1AsWritten(fw, M.DenseOfArray(v["x"]), M.DenseOfArray(v["w(2)"]), M.DenseOfArray(v["y"]));
        Assert.Equal(literal.ToArray(), result.Counterexample.Claim!, new MatrixComparer(1e-12));
    }

    private sealed class MatrixComparer(double tolerance) : IEqualityComparer<double[,]>
    {
        public bool Equals(double[,]? a, double[,]? b) =>
            a is not null && b is not null && a.GetLength(0) == b.GetLength(0) && a.GetLength(1) == b.GetLength(1) &&
            a.Cast<double>().Zip(b.Cast<double>()).All(p => Math.Abs(p.First - p.Second) <= tolerance * (1 + Math.Abs(p.First)));

        public int GetHashCode(double[,] m) => 0;
    }
}
