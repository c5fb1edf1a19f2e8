using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The index of the largest element along one axis (axis 1: a column index per row, as <c>x.argmax(dim=1)</c>;
    /// axis 0: a row index per column). The first one on ties; NaN counts as the largest value. Not differentiable:
    /// it returns plain integers, and records nothing.
    /// </summary>
    public int[] ArgMax(int axis)
    {
        Lanes.CheckAxis("ArgMax", axis, Shape);
        return ArgExtreme(DataFor("ArgMax"), axis, smallest: false);
    }

    /// <summary>The index of the smallest element along one axis; the first one on ties; NaN counts as the smallest.</summary>
    public int[] ArgMin(int axis)
    {
        Lanes.CheckAxis("ArgMin", axis, Shape);
        return ArgExtreme(DataFor("ArgMin"), axis, smallest: true);
    }
}
