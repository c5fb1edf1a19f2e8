using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Reshape with one size −1 (inferred) that fits no whole number of the other: the full message names the rows or the
/// columns that do not fit, and the parameter is the size given (run F's survivors on that message).
/// </summary>
public class ReshapeInferredSizeMessageTests
{
    [Fact]
    public void An_inferred_row_count_that_does_not_divide_says_no_whole_number_of_rows_fits()
    {
        var x = Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var e = Assert.Throws<ArgumentException>(() => x.Reshape(-1, 4));
        Assert.Equal("Reshape: a 2×3 tensor has 6 elements and cannot be reshaped to -1×4 (no whole number of rows fits). (Parameter 'cols')", e.Message);
        Assert.Equal("cols", e.ParamName);
    }

    [Fact]
    public void An_inferred_column_count_that_does_not_divide_says_no_whole_number_of_columns_fits()
    {
        var x = Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var e = Assert.Throws<ArgumentException>(() => x.Reshape(4, -1));
        Assert.Equal("Reshape: a 2×3 tensor has 6 elements and cannot be reshaped to 4×-1 (no whole number of columns fits). (Parameter 'rows')", e.Message);
        Assert.Equal("rows", e.ParamName);
    }
}
