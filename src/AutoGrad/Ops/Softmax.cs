using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Softmax along one axis (axis 1: each row sums to 1, as <c>F.softmax(x, dim=1)</c>; axis 0: each column):
    /// <c>yᵢⱼ = e^(xᵢⱼ − m) / Σₖ e^(xᵢₖ − m)</c>, m the lane's maximum, so logits of ±1000 give exact 1s and 0s.
    /// Backward: ∂L/∂xᵢⱼ = yᵢⱼ · (∂L/∂yᵢⱼ − Σₖ ∂L/∂yᵢₖ · yᵢₖ), reusing the result y.
    /// A plain backward pass computes it in one loop; a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> Softmax(int axis) => Lanewise<SoftmaxOperator>(this, axis);
}

/// <summary>y = softmax(x) along a lane; ∂L/∂x = y ⊙ (g − Σ g ⊙ y).</summary>
internal readonly struct SoftmaxOperator : ILaneOperator<SoftmaxOperator>
{
    public static string Name => "Softmax";
    public static string Symbol => "softmax";
    public static bool Reduces => false;
    public static void Forward<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        SoftmaxKernels.Softmax(x, shape, axis, y);
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => SoftmaxKernels.SoftmaxBackward(g, y, shape, axis, d);
    public static Tensor<T> RecordedGradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T> =>
        y * (g - (g * y).Sum(axis));
}
