using System.Numerics;

namespace AutoGrad.Nn;

/// <summary>The element-wise activation applied after a layer.</summary>
public enum Activation
{
    /// <summary>No activation: f(z) = z.</summary>
    Identity,

    /// <summary>Logistic sigmoid σ(z) = 1 / (1 + e^−z).</summary>
    Sigmoid,

    /// <summary>Rectifier max(z, 0).</summary>
    Relu,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
}

/// <summary>Applies an <see cref="Activation"/> with the tensor primitives.</summary>
public static class ActivationExtensions
{
    /// <summary>f(z) for the chosen activation, recorded on the tape like any other operation.</summary>
    public static Tensor<T> Apply<T>(this Activation activation, Tensor<T> z)
        where T : unmanaged, IFloatingPointIeee754<T> => activation switch
        {
            Activation.Identity => z ?? throw new ArgumentNullException(nameof(z)),
            _ when z is null => throw new ArgumentNullException(nameof(z)),
            Activation.Sigmoid => z.Sigmoid(),
            Activation.Relu => z.Relu(),
            Activation.Tanh => z.Tanh(),
            _ => throw new ArgumentOutOfRangeException(nameof(activation),
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Activation.Apply: {(int)activation} is not an Activation.")),
        };
}
