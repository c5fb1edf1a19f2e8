using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// <see cref="Shape"/>: its size check at the exact limit of a .NET array (checked without allocating), and the small
/// members every message and every operation relies on.
/// </summary>
public class ShapeTests
{
    [Theory]
    [InlineData(1, int.MaxValue - 56)] // Array.MaxLength exactly
    [InlineData(46340, 46341)] // 2,147,441,940: the largest square-ish product below the limit
    [InlineData(int.MaxValue - 56, 1)]
    public void A_size_up_to_the_largest_array_fits_and_is_accepted(int rows, int cols)
    {
        Assert.Equal(int.MaxValue - 56, Array.MaxLength);
        Assert.True(Shape.FitsArray(rows, cols));
        Assert.Equal(new Shape(rows, cols), Shape.CheckSize("Op", rows, cols, operands: null, paramName: "rows"));
    }

    [Theory]
    [InlineData(1, int.MaxValue - 55)] // Array.MaxLength + 1
    [InlineData(46341, 46341)] // 2,147,488,281
    [InlineData(65536, 65536)] // 2³², which an int product wraps to 0
    [InlineData(int.MaxValue, int.MaxValue)]
    public void A_size_beyond_the_largest_array_is_refused_naming_the_operation_and_the_true_count(int rows, int cols)
    {
        Assert.False(Shape.FitsArray(rows, cols));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Shape.CheckSize("Op", rows, cols, operands: null, paramName: "rows"));
        Assert.Equal("rows", error.ParamName);
        Assert.StartsWith(
            $"Op: a {rows}×{cols} result would have {(long)rows * cols} elements; the most a tensor can hold is {Array.MaxLength}.",
            error.Message);
    }

    [Theory]
    [InlineData(65537, 65537)] // 4,295,098,369: an int Length wrapped to 131,073
    [InlineData(65536, 65536)] // 2³², wrapped to 0
    [InlineData(46341, 46341)]
    public void A_shape_whose_length_would_overflow_is_refused_by_its_constructor(int rows, int cols)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Shape(rows, cols));
        Assert.Equal("rows", error.ParamName);
        Assert.StartsWith($"Shape: a {rows}×{cols} shape would have {(long)rows * cols} elements; the most a tensor can hold is {Array.MaxLength}.", error.Message);
        Assert.Equal(Array.MaxLength, new Shape(1, Array.MaxLength).Length);
    }

    [Fact]
    public void A_refused_size_names_the_operands_when_it_is_given_them()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Shape.CheckSize("MatMul", 65536, 65536, "(65536×1) · (1×65536)", paramName: null));
        Assert.StartsWith("MatMul: a 65536×65536 result of (65536×1) · (1×65536) would have 4294967296 elements", error.Message);
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(1, 2, false)]
    [InlineData(2, 1, false)]
    [InlineData(3, 4, false)]
    public void Only_one_by_one_is_a_scalar(int rows, int cols, bool scalar) =>
        Assert.Equal(scalar, new Shape(rows, cols).IsScalar);

    [Fact]
    public void Length_transpose_and_text_of_a_shape()
    {
        var shape = new Shape(3, 4);
        Assert.Equal(12, shape.Length);
        Assert.Equal(new Shape(4, 3), shape.Transposed);
        Assert.Equal("3×4", shape.ToString());
        Assert.Equal("4×3", shape.Transposed.ToString());
    }
}
