using AutoGrad.Derivations;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Nn;

namespace AutoGrad.Ledger;

/// <summary>Note 000's network: z1 = W1·x + b1, a1 = σ(z1), z2 = W2·a1 + b2, yhat = f(z2), L = ½‖y − ŷ‖².</summary>
public sealed class Tape000(Data000 d) : TapeNetwork
{
    /// <inheritdoc/>
    protected override Tensor<double> Build(Node node)
    {
        var x = node("x", () => T(d.X, false, "x"));
        var w1 = node("W1", () => T(d.W1, name: "W1"));
        var b1 = node("b1", () => T(d.B1, name: "b1"));
        var w2 = node("W2", () => T(d.W2, name: "W2"));
        var b2 = node("b2", () => T(d.B2, name: "b2"));
        var z1 = node("z1", () => w1.MatMul(x) + b1);
        var a1 = node("a1", () => Activations.Apply(d.Sigma, z1));
        var z2 = node("z2", () => w2.MatMul(a1) + b2);
        var yHat = node("yhat", () => Activations.Apply(d.F, z2));
        return Loss.HalfSumSquared(yHat, T(d.Y, false, "y"));
    }
}

/// <summary>The notes' activations on the tape.</summary>
public static class Activations
{
    /// <summary>f applied on the tape, by the activation's name.</summary>
    public static Tensor<double> Apply(ScalarFunction f, Tensor<double> z) => f.Name switch
    {
        "sigmoid" => Activation.Sigmoid.Apply(z),
        "relu" => Activation.Relu.Apply(z),
        "tanh" => Activation.Tanh.Apply(z),
        "identity" => Activation.Identity.Apply(z),
        _ => throw new ArgumentException($"Activations.Apply: unknown activation '{f.Name}'."),
    };
}
