using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Log-sum-exp along one axis: <c>rᵢ = m + ln Σⱼ e^(xᵢⱼ − m)</c> with m the lane's maximum (axis 1: one value per
    /// row, a Rows×1 column; axis 0: one per column, a 1×Cols row). Stable for any finite logits (±1000 included);
    /// a lane of −∞ gives −∞, a lane holding +∞ gives +∞, as <c>torch.logsumexp</c>.
    /// Backward: ∂L/∂xᵢⱼ = ∂L/∂rᵢ · softmax(x)ᵢⱼ, the softmax computed again from x (e^(xᵢⱼ − rᵢ) from the result would
    /// lose the digits r rounds away far from 0: PyTorch's gradient of logsumexp([1e10, 1e10]) in float is [1, 1]).
    /// A plain backward pass computes it in one loop; a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> LogSumExp(int axis) => Lanewise<LogSumExpOperator>(this, axis);
}

/// <summary>r = ln Σ e^x along a lane, one value per lane; ∂L/∂x = g · softmax(x).</summary>
internal readonly struct LogSumExpOperator : ILaneOperator<LogSumExpOperator>
{
    public static string Name => "LogSumExp";
    public static string Symbol => "logsumexp";
    public static bool Reduces => true;
    public static void Forward<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        SoftmaxKernels.LogSumExp(x, shape, axis, y);
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => SoftmaxKernels.LogSumExpBackward(g, x, shape, axis, d);
    public static Tensor<T> RecordedGradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T> =>
        g * x.Softmax(axis);
}
