using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Maximum along one axis (axis 1: per row, a Rows×1 column; axis 0: per column, a 1×Cols row), as the values of
    /// <c>torch.max(x, dim)</c>; NaN counts as the largest value.
    /// Backward: the whole of ∂L/∂mᵢ goes to the element <see cref="ArgMax"/> returns — the first maximum on ties —
    /// and the others get +0 (whatever ∂L/∂mᵢ is). This is PyTorch's rule for <c>max(dim)</c> (gradient to the returned index), not that of
    /// <c>amax</c>, which splits the gradient evenly between ties.
    /// </summary>
    public Tensor<T> Max(int axis) => Lanewise<MaxOperator>(this, axis);

    /// <summary>
    /// Minimum along one axis, as the values of <c>torch.min(x, dim)</c>; NaN counts as the smallest value.
    /// Backward: the gradient goes to the element <see cref="ArgMin"/> returns (the first minimum on ties).
    /// </summary>
    public Tensor<T> Min(int axis) => Lanewise<MinOperator>(this, axis);

    private int[] ArgExtreme(T[] data, int axis, bool smallest)
    {
        var lanes = Lanes.Of(Shape, axis);
        var indices = new int[lanes.Count];
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            indices[lane] = SoftmaxKernels.ArgExtreme<T>(data, lanes, lane, smallest);
        }
        return indices;
    }

    /// <summary>
    /// ∂L/∂x of a maximum or minimum along <paramref name="axis"/> as recorded operations: g at the selected elements and
    /// +0 elsewhere whatever g is (<see cref="MaskedProduct"/> by the constant 0/1 mask of the selection), as PyTorch's
    /// scatter of g into zeros.
    /// </summary>
    internal static Tensor<T> SelectionGradient(Tensor<T> g, Tensor<T> x, int axis, bool smallest)
    {
        var mask = Zeros(x.Shape);
        mask.Name = $"{(smallest ? "argmin" : "argmax")}′({x.Name ?? "·"})";
        var lanes = Lanes.Of(x.Shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            mask.Data[lanes.Index(lane, SoftmaxKernels.ArgExtreme<T>(x.Data, lanes, lane, smallest))] = T.One;
        }
        return g.MaskedProduct(mask);
    }
}

/// <summary>
/// A maximum or minimum along a lane, one value per lane: the forward picks the element <see cref="SoftmaxKernels.ArgExtreme"/>
/// picks (the first on ties, NaN first of all), and ∂L/∂x is g there and 0 elsewhere.
/// </summary>
internal interface IExtremeOperator<TSelf> : ILaneOperator<TSelf> where TSelf : struct, IExtremeOperator<TSelf>
{
    /// <summary>True for the minimum.</summary>
    static abstract bool Smallest { get; }

    static bool ILaneOperator<TSelf>.Reduces => true;

    static bool ILaneOperator<TSelf>.DerivativeIsPiecewiseConstant => true;

    static void ILaneOperator<TSelf>.Forward<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> y) =>
        SoftmaxKernels.Extreme(x, shape, axis, TSelf.Smallest, y);

    static void ILaneOperator<TSelf>.Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Shape shape, int axis, Span<T> d) =>
        SoftmaxKernels.ExtremeBackward(g, x, shape, axis, TSelf.Smallest, d);

    static Tensor<T> ILaneOperator<TSelf>.RecordedGradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y, int axis) =>
        Tensor<T>.SelectionGradient(g, x, axis, TSelf.Smallest);
}

/// <summary>m = max x along a lane; ∂L/∂x = g at the first maximum, 0 elsewhere.</summary>
internal readonly struct MaxOperator : IExtremeOperator<MaxOperator>
{
    public static string Name => "Max";
    public static string Symbol => "max";
    public static bool Smallest => false;
}

/// <summary>m = min x along a lane; ∂L/∂x = g at the first minimum, 0 elsewhere.</summary>
internal readonly struct MinOperator : IExtremeOperator<MinOperator>
{
    public static string Name => "Min";
    public static string Symbol => "min";
    public static bool Smallest => true;
}
