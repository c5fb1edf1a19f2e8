using AutoGrad.Derivations.Ledger;
using AutoGrad.Nn;

namespace AutoGrad.Ledger;

/// <summary>Note 001's network: H = X·W1, Z = σ(H), O = Z·W2, yhat = σ(O), L = 1/(2N) Σ (Y − ŷ)².</summary>
public sealed class Tape001(Data001 d) : TapeNetwork
{
    /// <inheritdoc/>
    protected override Tensor<double> Build(Node node)
    {
        var x = node("X", () => T(d.X, false, "X"));
        var w1 = node("W1", () => T(d.W1, name: "W1"));
        var w2 = node("W2", () => T(d.W2, name: "W2"));
        var h = node("H", () => x.MatMul(w1));
        var z = node("Z", () => h.Sigmoid());
        var o = node("O", () => z.MatMul(w2));
        var yHat = node("yhat", () => o.Sigmoid());
        return Loss.HalfMeanSquared(yHat, T(d.Y, false, "Y"));
    }
}
