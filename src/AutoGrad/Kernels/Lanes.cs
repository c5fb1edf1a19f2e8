using System.Globalization;

namespace AutoGrad.Kernels;

/// <summary>
/// The lanes of a reduction along one axis of a row-major tensor: axis 1 has one lane per row (contiguous), axis 0 one
/// lane per column (stride Cols). Element k of lane l sits at <c>l · LaneStart + k · Step</c>.
/// </summary>
internal readonly record struct Lanes(int Count, int Length, int LaneStart, int Step)
{
    public static Lanes Of(Shape shape, int axis) =>
        axis == 1 ? new(shape.Rows, shape.Cols, shape.Cols, 1) : new(shape.Cols, shape.Rows, 1, shape.Cols);

    /// <summary>The shape of a reduction's result: a Rows×1 column for axis 1, a 1×Cols row for axis 0.</summary>
    public static Shape Reduced(Shape shape, int axis) => axis == 1 ? new(shape.Rows, 1) : new(1, shape.Cols);

    public int Index(int lane, int k) => lane * LaneStart + k * Step;

    /// <summary>Throws unless <paramref name="axis"/> is 0 or 1, naming the operation and the shape.</summary>
    public static void CheckAxis(string op, int axis, Shape shape)
    {
        if (axis is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(axis),
                string.Create(CultureInfo.InvariantCulture, $"{op}: axis must be 0 (down the rows) or 1 (across the columns) for a 2-D tensor; got {axis} for a {shape} tensor."));
        }
    }
}
