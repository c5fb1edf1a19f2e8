using FsCheck;
using FsCheck.Fluent;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Issue 13's leftover: <c>new Shape(-1, 3)</c> constructed a shape with a negative size. The constructor refuses a
/// negative size by name; every public way to make a tensor's shape refuses sizes below 1 naming the method called.
/// </summary>
public class ShapeValidationTests
{
    [Fact]
    public void A_negative_size_is_refused_by_the_shape_constructor()
    {
        var rows = Assert.Throws<ArgumentOutOfRangeException>(() => new Shape(-1, 3));
        Assert.Equal("rows", rows.ParamName);
        Assert.Contains("Shape: a -1×3 shape has a negative size", rows.Message);
        var cols = Assert.Throws<ArgumentOutOfRangeException>(() => new Shape(2, int.MinValue));
        Assert.Equal("cols", cols.ParamName);
        Assert.Equal(new Shape(0, 3), new Shape(0, 3)); // a count of 0 is a shape; tensors refuse it (below)
        var (r, c) = new Shape(4, 5);
        Assert.Equal((4, 5), (r, c));
    }

    [Fact]
    public void Every_size_pair_is_accepted_exactly_when_neither_is_negative_and_the_length_fits_an_array()
    {
        Properties.Check(Gen.Two(Gen.Choose(-3, 3).Select(k => k == -3 ? int.MinValue : k == 3 ? int.MaxValue : k)).ToArbitrary(), pair =>
        {
            var (rows, cols) = pair;
            if (rows >= 0 && cols >= 0 && (long)rows * cols <= Array.MaxLength)
            {
                var shape = new Shape(rows, cols);
                Assert.Equal((rows, cols), (shape.Rows, shape.Cols));
                Assert.Equal((long)rows * cols, shape.Length);
            }
            else
            {
                var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Shape(rows, cols));
                Assert.Equal(rows < 0 || cols >= 0 ? "rows" : "cols", error.ParamName);
            }
        });
    }

    [Fact]
    public void Every_public_maker_of_a_shape_refuses_sizes_below_one_naming_itself()
    {
        var random = new Random(3);
        var x = Tensor.Zeros<double>(2, 3);
        Assert.Contains("Tensor.Zeros: a tensor needs at least one row and one column; got -1×3",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(-1, 3)).Message);
        Assert.Contains("Tensor.Ones", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones<float>(2, -5)).Message);
        Assert.Contains("Tensor.Full", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Full<double>(0, 1, 2.0)).Message);
        Assert.Contains("Tensor.RandomNormal", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal<double>(-2, 2, random)).Message);
        Assert.Contains("Tensor.RandomUniform", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomUniform<float>(2, -2, random)).Message);
        Assert.Contains("Tensor.FromRowMajor", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.FromRowMajor<double>(-1, -6, [1, 2, 3, 4, 5, 6])).Message);
        Assert.Contains("Reshape: a 2×3 tensor cannot be reshaped to -2×-3",
            Assert.Throws<ArgumentException>(() => x.Reshape(-2, -3)).Message);
        Assert.Contains("Reshape", Assert.Throws<ArgumentException>(() => x.Reshape(-1, -1)).Message);
        Assert.Contains("Slice", Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(0, -1, 0, 3)).Message);
        Assert.Contains("Slice", Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(-1, 1, 0, 3)).Message);
        Assert.Contains("Slice", Assert.Throws<ArgumentOutOfRangeException>(() => x.SliceRows(1, -1)).Message);
        Assert.StartsWith("Indexer [rows, cols]: rows 1..0", Assert.Throws<ArgumentOutOfRangeException>(() => x[1..0, ..]).Message); // the indexer called, not the Slice it calls
        Assert.Contains("BroadcastTo: a 1×3 tensor cannot be broadcast to 0×3",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(1, 3).BroadcastTo(new Shape(0, 3))).Message);
        Assert.Contains("BroadcastTo", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(1, 3).BroadcastTo(default)).Message);
        Assert.Contains("Tensor.Linspace", Assert.Throws<ArgumentException>(() => Tensor.Linspace<double>(0, 1, -4)).Message);
    }
}
