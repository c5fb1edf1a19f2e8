using AutoGrad.Derivations.Ledger;
using AutoGrad.Nn;

namespace AutoGrad.Ledger;

/// <summary>
/// Note 003's three networks: z1 = X·W1 (+ b1), a1 = f1(z1) (or z1), z2 = a1·W2 (+ b2), yhat = f2(z2) (or z2),
/// L = ½ Σ (ŷ − y)² (from ∂L/∂ŷ = ŷ − y).
/// </summary>
public sealed class Tape003(Data003 d) : TapeNetwork
{
    /// <inheritdoc/>
    protected override Tensor<double> Build(Node node)
    {
        bool biases = d.Network != Network003.Linear, activations = d.Network == Network003.Activations;
        var x = node("X", () => T(d.X, false, "X"));
        var w1 = node("W1", () => T(d.W1, name: "W1"));
        var w2 = node("W2", () => T(d.W2, name: "W2"));
        var b1 = biases ? node("b1", () => T(d.B1, name: "b1")) : null;
        var b2 = biases ? node("b2", () => T(d.B2, name: "b2")) : null;
        var z1 = node("z1", () => b1 is null ? x.MatMul(w1) : x.MatMul(w1) + b1);
        var a1 = node("a1", () => activations ? Activations.Apply(d.F1, z1) : z1);
        var z2 = node("z2", () => b2 is null ? a1.MatMul(w2) : a1.MatMul(w2) + b2);
        var yHat = node("yhat", () => activations ? Activations.Apply(d.F2, z2) : z2);
        return Loss.HalfSumSquared(yHat, T(d.Y, false, "y"));
    }
}
