using Xunit;

namespace AutoGrad.Tests.Proofs;

/// <summary>
/// Gradients through exp, log, softplus and ReLU, written as people write them, against the tape's own formula: proved
/// by the rules exp′ = exp, log′ = 1/x, softplus′ = σ, relu(z) = z ⊙ relu′(z) with relu′ an indicator, and the
/// cancellation of σ and exp against their reciprocals; near misses refuted.
/// </summary>
public class TapeFormulaProofTests
{
    /// <summary>z = W·x (4×3 · 3×1), then the named head: L = Σ exp(z), Σ log σ(z), Σ softplus(z), or ½‖relu(z) − y‖².</summary>
    private static (Tensor<double> Loss, Tensor<double> W) Network(string head)
    {
        var random = new Random(3);
        var x = Tensor.RandomNormal<double>(3, 1, random, name: "x");
        var w = Tensor.RandomNormal<double>(4, 3, random, requiresGrad: true, name: "W");
        var z = w.MatMul(x);
        z.Name = "z";
        Tensor<double> Named(Tensor<double> t, string name)
        {
            t.Name = name;
            return t;
        }
        var loss = head switch
        {
            "exp" => Named(z.Exp(), "e").Sum(),
            "log σ" => Named(z.Sigmoid(), "s").Log().Sum(),
            "softplus" => Named(z.Softplus(), "a").Sum(),
            _ => AutoGrad.Nn.Loss.HalfSumSquared(Named(z.Relu(), "a"), Tensor.RandomNormal<double>(4, 1, random, name: "y")),
        };
        return (loss, w);
    }

    public static TheoryData<string, string, ProofVerdict> Formulas => new()
    {
        { "exp", "dexp(z) @ x^T", ProofVerdict.Proved },
        { "exp", "exp(W @ x) @ x^T", ProofVerdict.Proved },
        { "exp", "z @ x^T", ProofVerdict.Refuted },
        { "log σ", "(dlog(s) * dsigmoid(z)) @ x^T", ProofVerdict.Proved },
        { "log σ", "(1 - s) @ x^T", ProofVerdict.Proved },                    // (1/σ)·σ(1 − σ) = 1 − σ
        { "log σ", "(1 - sigmoid(z)) @ x^T", ProofVerdict.Proved },
        { "log σ", "s @ x^T", ProofVerdict.Refuted },
        { "softplus", "dsoftplus(z) @ x^T", ProofVerdict.Proved },
        { "softplus", "sigmoid(z) @ x^T", ProofVerdict.Proved },
        { "softplus", "softplus(z) @ x^T", ProofVerdict.Refuted },
        { "relu", "((a - y) * drelu(z)) @ x^T", ProofVerdict.Proved },
        { "relu", "((z - y) * drelu(z)) @ x^T", ProofVerdict.Proved },         // relu(z) ⊙ relu′(z) = z ⊙ relu′(z)
        { "relu", "((z * drelu(z) - y) * drelu(z)) @ x^T", ProofVerdict.Proved },
        { "relu", "(z - y) @ x^T", ProofVerdict.Refuted },                     // the indicator left out
        { "relu", "(a - y) @ x^T", ProofVerdict.Refuted },
    };

    [Theory]
    [MemberData(nameof(Formulas))]
    public void A_gradient_through_exp_log_softplus_or_relu_gets_its_verdict(string head, string formula, ProofVerdict expected)
    {
        var (loss, w) = Network(head);
        var result = Prover.ProveGradient(loss, w, formula);
        Assert.True(result.Verdict == expected, $"{head}: {formula}: expected {expected}, got {result}");
    }
}
