using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Log-softmax along one axis (axis 1: per row, as <c>F.log_softmax(x, dim=1)</c>):
    /// <c>yᵢⱼ = (xᵢⱼ − m) − ln Σₖ e^(xᵢₖ − m)</c>, m the lane's maximum: finite for any finite logits ([1000, −1000] gives
    /// [0, −2000]), where <c>Softmax(axis).Log()</c> would give −∞.
    /// Backward: ∂L/∂xᵢⱼ = ∂L/∂yᵢⱼ − e^(yᵢⱼ) · Σₖ ∂L/∂yᵢₖ, reusing the result y.
    /// A plain backward pass computes it in one loop; a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> LogSoftmax(int axis) => Lanewise<LogSoftmaxOperator>(this, axis);
}

/// <summary>y = log_softmax(x) along a lane; ∂L/∂x = g − e^y · Σ g.</summary>
internal readonly struct LogSoftmaxOperator : ILaneOperator<LogSoftmaxOperator>
{
    public static string Name => "LogSoftmax";
    public static string Symbol => "logsoftmax";
    public static bool Reduces => false;
    public static void Forward<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        SoftmaxKernels.LogSoftmax(x, shape, axis, y);
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => SoftmaxKernels.LogSoftmaxBackward(g, y, shape, axis, d);
    public static Tensor<T> RecordedGradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T> =>
        g - y.Exp() * g.Sum(axis);
}
