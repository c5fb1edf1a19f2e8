namespace AutoGrad.Derivations;

/// <summary>An element-wise activation and its derivative, as the notes use them (σ, f, f1, f2, σₙ).</summary>
/// <param name="Name">How the notes name it.</param>
/// <param name="Value">The function.</param>
/// <param name="Derivative">Its derivative, in closed form.</param>
public sealed record ScalarFunction(string Name, Func<double, double> Value, Func<double, double> Derivative)
{
    /// <summary>σ(z) = 1 / (1 + e^−z), σ′(z) = σ(z)(1 − σ(z)) (note 002, eq. 24).</summary>
    public static readonly ScalarFunction Sigmoid = new("sigmoid", SigmoidValue, z => SigmoidValue(z) * (1 - SigmoidValue(z)));

    /// <summary>max(z, 0), with derivative [z &gt; 0] (0 at the kink, PyTorch's convention).</summary>
    public static readonly ScalarFunction Relu = new("relu", z => Math.Max(z, 0), z => z > 0 ? 1 : 0);

    /// <summary>The identity (note 000's regression case, f′ = 1).</summary>
    public static readonly ScalarFunction Identity = new("identity", z => z, _ => 1);

    /// <summary>tanh, with derivative 1 − tanh².</summary>
    public static readonly ScalarFunction Tanh = new("tanh", Math.Tanh, z => 1 - Math.Tanh(z) * Math.Tanh(z));

    /// <summary>
    /// The logistic function as the notes define it, σ(z) = 1 / (1 + e^−z) (note 001 eq. 3, note 002 eq. 13), evaluated
    /// so that it stays right where e^−z overflows: below z = −708, 1 + e^z rounds to 1 and σ(z) is e^z itself (down
    /// to the subnormals), as the tape's σ kernel computes it. (PyTorch returns 0 there.) Everywhere else the bits
    /// are those of 1 / (1 + e^−z).
    /// </summary>
    public static double SigmoidValue(double z) => z < -708 ? Math.Exp(z) : 1 / (1 + Math.Exp(-z));

    /// <inheritdoc/>
    public override string ToString() => Name;
}
