using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// <c>ToString</c> is what a debugger and a REPL show, so its layout is pinned exactly: up to 7 rows and 7 columns are
/// shown in full; more show the first and last three around an ellipsis (as NumPy does).
/// </summary>
public class FormatTests
{
    private static Tensor<double> Counting(int rows, int cols) =>
        Tensor.FromRowMajor<double>(rows, cols, Enumerable.Range(0, rows * cols).Select(v => (double)v).ToArray());

    [Fact]
    public void A_row_vector_prints_on_one_line()
    {
        Assert.Equal("Tensor<Double> 1×3 [[0, 1, 2]]", Counting(1, 3).ToString());
        Assert.Equal("Tensor<Single> 1×1 [[0.5]]", Tensor.Scalar(0.5f).ToString());
    }

    [Fact]
    public void A_column_vector_prints_one_row_per_line()
    {
        Assert.Equal("Tensor<Double> 3×1\n[[0],\n [1],\n [2]]", Counting(3, 1).ToString());
    }

    [Fact]
    public void Seven_rows_and_columns_print_in_full()
    {
        string text = Counting(7, 7).ToString();
        Assert.DoesNotContain("...", text);
        Assert.Equal(7, text.Split('\n').Length - 1);
        Assert.StartsWith("Tensor<Double> 7×7\n[[0, 1, 2, 3, 4, 5, 6],\n [7, 8,", text);
        Assert.EndsWith(" [42, 43, 44, 45, 46, 47, 48]]", text);
    }

    [Fact]
    public void Eight_rows_and_columns_show_the_first_and_last_three_around_an_ellipsis()
    {
        Assert.Equal(
            "Tensor<Double> 8×8\n" +
            "[[0, 1, 2, ..., 5, 6, 7],\n" +
            " [8, 9, 10, ..., 13, 14, 15],\n" +
            " [16, 17, 18, ..., 21, 22, 23],\n" +
            " ...,\n" +
            " [40, 41, 42, ..., 45, 46, 47],\n" +
            " [48, 49, 50, ..., 53, 54, 55],\n" +
            " [56, 57, 58, ..., 61, 62, 63]]",
            Counting(8, 8).ToString());
    }

    [Fact]
    public void A_long_row_is_abbreviated_but_a_long_column_of_one_row_is_not_split()
    {
        Assert.Equal("Tensor<Double> 1×9 [[0, 1, 2, ..., 6, 7, 8]]", Counting(1, 9).ToString());
    }

    [Fact]
    public void Values_use_six_significant_digits_and_the_invariant_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("Tensor<Double> 1×2 [[3.14159, -1E-07]]", Tensor.From(new double[,] { { Math.PI, -1e-7 } }).ToString());
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void An_op_result_names_its_op_and_a_leaf_says_whether_it_requires_a_gradient()
    {
        var x = Tensor.Scalar(0.0, requiresGrad: true, name: "x");
        Assert.Equal("Tensor<Double> 1×1 'x' requiresGrad [[0]]", x.ToString());
        Assert.Equal("Tensor<Double> 1×1 from Sigmoid [[0.5]]", x.Sigmoid().ToString());
        Assert.Equal("Tensor<Double> 1×1 'x' [[0]]", x.Detach().ToString()); // Detach keeps the name
    }
}
