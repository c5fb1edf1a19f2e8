using AutoGrad.Derivations;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Nn;

namespace AutoGrad.Ledger;

/// <summary>
/// Note 002's network, every layer of width 1: z1 = W1·x + b1, a1 = σ(z1), z2 = W2·a1 + b2, a2 = σ(z2),
/// L = ½(a2 − y)²; and one_minus_a2 = 1 − a2 (for the identities eq. 21–23).
/// </summary>
public sealed class Tape002(Data002 d) : TapeNetwork
{
    private static Tensor<double> S(double v, bool requiresGrad = true, string? name = null) => Tensor.Scalar(v, requiresGrad, name);

    /// <inheritdoc/>
    protected override Tensor<double> Build(Node node)
    {
        var x = node("x", () => S(d.X, false, "x"));
        var w1 = node("W1", () => S(d.W1, name: "W^(L-1)"));
        var b1 = node("b1", () => S(d.B1, name: "b^(L-1)"));
        var w2 = node("W2", () => S(d.W2, name: "W^L"));
        var b2 = node("b2", () => S(d.B2, name: "b^L"));
        var z1 = node("z1", () => w1.MatMul(x) + b1);
        var a1 = node("a1", () => z1.Sigmoid());
        var z2 = node("z2", () => w2.MatMul(a1) + b2);
        var a2 = node("a2", () => z2.Sigmoid());
        node("one_minus_a2", () => S(1.0, false) - a2);
        return Loss.HalfSumSquared(a2, S(d.Y, false, "y"));
    }
}
