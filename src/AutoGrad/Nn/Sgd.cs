using System.Numerics;

namespace AutoGrad.Nn;

/// <summary>
/// Plain stochastic gradient descent, note 004 eq. (78): <c>W ← W − η · ∂L/∂W</c> for every parameter.
/// </summary>
public sealed class Sgd<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] parameters;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> with learning rate η.</summary>
    public Sgd(IEnumerable<Tensor<T>> parameters, T learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = [.. parameters];
        foreach (var p in this.parameters)
        {
            if (!p.IsLeaf || !p.RequiresGrad)
            {
                throw new ArgumentException($"Sgd: {p.Describe()} is not a trainable leaf (it must be created with requiresGrad: true).", nameof(parameters));
            }
        }
        if (!T.IsFinite(learningRate) || learningRate <= T.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"Sgd: the learning rate must be positive and finite; got {learningRate}.");
        }
        LearningRate = learningRate;
    }

    /// <summary>η.</summary>
    public T LearningRate { get; set; }

    /// <summary>The parameters updated by <see cref="Step"/>.</summary>
    public IReadOnlyList<Tensor<T>> Parameters => parameters;

    /// <summary>
    /// Updates every parameter that has a gradient, in place (bumping its <see cref="Tensor{T}.Version"/>,
    /// so a graph recorded before the step can no longer be back-propagated).
    /// </summary>
    public void Step()
    {
        T rate = -LearningRate;
        foreach (var p in parameters)
        {
            if (p.Grad is { } grad)
            {
                p.AddScaledInPlace(grad, rate);
            }
        }
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters)
        {
            p.ZeroGrad();
        }
    }
}
