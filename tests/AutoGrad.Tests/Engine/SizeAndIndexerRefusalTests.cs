using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Issue 13 (polish13): a result too large for one array is refused with a ParamName that is a parameter of the method
/// the caller called, or none — MatMul and the element-wise operations had "rows", which none of them takes; and a
/// refused range indexer names the indexer the caller used, not Slice, which it calls.
/// </summary>
public class SizeAndIndexerRefusalTests
{
    private static readonly double[,] Six = { { 1, 2, 3 }, { 4, 5, 6 } };

    [Fact]
    public void An_oversized_product_names_MatMul_the_operands_and_no_parameter_it_does_not_take()
    {
        var column = Tensor.Zeros<float>(65536, 1);
        var row = Tensor.Zeros<float>(1, 65536);
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => column.MatMul(row));
        Assert.Null(refused.ParamName);
        Assert.StartsWith("MatMul: a 65536×65536 result of (65536×1) · (1×65536) would have 4294967296 elements; " +
            "the most a tensor can hold is 2147483591.", refused.Message);
        Assert.Null(Assert.Throws<ArgumentOutOfRangeException>(() => Tensor<float>.MatMul(row, column, true, true)).ParamName);
    }

    [Fact]
    public void An_oversized_broadcast_names_the_operation_and_no_parameter_it_does_not_take()
    {
        var column = Tensor.Zeros<float>(65536, 1);
        var row = Tensor.Zeros<float>(1, 65536);
        foreach (var (name, call) in new (string, Func<Tensor<float>>)[]
        {
            ("Add", () => column + row), ("Sub", () => column.Sub(row)), ("Hadamard", () => column * row),
            ("Div", () => column / row), ("Maximum", () => column.Maximum(row)),
        })
        {
            var refused = Assert.Throws<ArgumentOutOfRangeException>(() => call());
            Assert.Null(refused.ParamName);
            Assert.StartsWith($"{name}: a 65536×65536 result of (65536×1) and (1×65536) would have 4294967296 elements", refused.Message);
        }
        var broadcast = Assert.Throws<ArgumentException>(() => row.BroadcastTo(new Shape(65536, 1)));
        Assert.Equal("shape", broadcast.ParamName);
        Assert.StartsWith("BroadcastTo: a 1×65536 tensor cannot be broadcast to 65536×1", broadcast.Message);
    }

    [Fact]
    public void Range_indexer_refusals_name_the_indexer_the_caller_used()
    {
        var x = Tensor.From(Six, requiresGrad: true);
        var rows = Assert.Throws<ArgumentOutOfRangeException>(() => x[1..5, ..]);
        Assert.Equal("rows", rows.ParamName);
        Assert.StartsWith("Indexer [rows, cols]: rows 1..5 are 1..5 (end exclusive), not a non-empty range of a 2×3 tensor's 2 rows.", rows.Message);
        var cols = Assert.Throws<ArgumentOutOfRangeException>(() => x[.., 2..2]);
        Assert.Equal("cols", cols.ParamName);
        Assert.StartsWith("Indexer [rows, cols]: columns 2..2 are 2..2 (end exclusive), not a non-empty range of a 2×3 tensor's 3 columns.", cols.Message);
        var rowsOnly = Assert.Throws<ArgumentOutOfRangeException>(() => x[^3..]);
        Assert.Equal("rows", rowsOnly.ParamName);
        Assert.StartsWith("Indexer [rows]: rows ^3..^0 are -1..2 (end exclusive), not a non-empty range of a 2×3 tensor's 2 rows.", rowsOnly.Message);
        Assert.Equal(Six, x.ToArray());
        Assert.Null(x.Grad);
    }
}
