using System.Numerics;

namespace AutoGrad;

/// <summary>
/// A lane operator (softmax, log-softmax) whose gradient d = G(g, y) reads the seed g and the result y only, and is
/// recorded as one operation (<see cref="Tensor{T}.LaneGradient{TOp}"/>, named <c>Softmax′(axis: a)</c>) with the bits
/// of the one-pass kernel <see cref="ILaneOperator{TSelf}.Gradient{T}"/> (which must not read x). Its derivatives are
/// PyTorch's, term by term: written as the one recorded sum y ⊙ (g − Σ g ⊙ y), a seed of ±1.8e308 in a lane made
/// g − Σ g ⊙ y overflow, and the next order's ∞ − ∞ gave NaN where PyTorch's expanded terms stay finite.
/// </summary>
internal interface ILaneGradientOperator<TSelf> : ILaneOperator<TSelf> where TSelf : struct, ILaneGradientOperator<TSelf>
{
    /// <summary>∂⟨h, G(g, y)⟩/∂g, recorded, under the seed <paramref name="h"/>.</summary>
    static abstract Tensor<T> GradientOfSeed<T>(Tensor<T> h, Tensor<T> g, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>∂⟨h, G(g, y)⟩/∂y, recorded, under the seed <paramref name="h"/>.</summary>
    static abstract Tensor<T> GradientOfResult<T>(Tensor<T> h, Tensor<T> g, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>G(g, y) in a formula, as the recorded operations it equals would write it.</summary>
    static abstract SymbolicExpression WriteGradient(SymbolicExpression g, SymbolicExpression y, int axis);
}
