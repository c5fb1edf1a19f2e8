using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class SumTests
{
    [Fact]
    public void Sum_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(), m => Properties.AssertGradCheck(x => x[0].Sum(), m.ToTensor()));

    [Fact]
    public void Sum_along_an_axis_gradient_matches_finite_differences() =>
        Properties.Check(Arb.From(from m in Gens.Matrix(Gens.Value) from axis in Gen.Elements(0, 1) select (m, axis)),
            c => Properties.AssertGradCheck(x => x[0].Sum(c.axis), c.m.ToTensor()));

    [Fact]
    public void Sum_along_axis_0_gives_a_row_of_column_sums_and_axis_1_a_column_of_row_sums() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            var t = m.ToTensor();
            var columnSums = t.Sum(0);
            var rowSums = t.Sum(1);
            Assert.Equal(new Shape(1, m.Cols), columnSums.Shape);
            Assert.Equal(new Shape(m.Rows, 1), rowSums.Shape);
            for (int j = 0; j < m.Cols; j++)
            {
                Assert.Equal(Enumerable.Range(0, m.Rows).Sum(i => m[i, j]), columnSums[0, j], 1e-12);
            }
            for (int i = 0; i < m.Rows; i++)
            {
                Assert.Equal(Enumerable.Range(0, m.Cols).Sum(j => m[i, j]), rowSums[i, 0], 1e-12);
            }
            Assert.Equal(m.Values.Sum(), t.Sum().Item, 1e-12);
        });

    [Fact]
    public void Sum_with_a_bad_axis_names_the_axis_and_the_shape()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(2, 3).Sum(2));
        Assert.Contains("Sum(axis): axis must be 0 (rows) or 1 (columns) for a 2-D tensor; got 2 for a 2×3 tensor.", error.Message);
    }

    [Fact]
    public void Mean_gradient_matches_finite_differences_and_is_one_over_n() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            Properties.AssertGradCheck(x => x[0].Mean(), m.ToTensor());
            var t = m.ToTensor();
            Assert.Equal(m.Values.Average(), t.Mean().Item, 1e-12);
            t.Mean().Backward();
            Assert.All(t.Grad!.ToFlatArray(), g => Assert.Equal(1.0 / m.Values.Length, g, 1e-15));
        });

    [Fact]
    public void BroadcastTo_gradient_matches_finite_differences() =>
        Properties.Check(Arb.From(from rows in Gens.Dim from cols in Gens.Dim from kind in Gen.Choose(0, 2)
                                  from m in Gens.MatrixOf(kind == 1 ? rows : 1, kind == 0 ? cols : 1, Gens.Value)
                                  select (m, new Shape(rows, cols))),
            c => Properties.AssertGradCheck(x => x[0].BroadcastTo(c.Item2), c.m.ToTensor()));

    [Fact]
    public void BroadcastTo_a_shape_it_cannot_reach_says_so()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 3).BroadcastTo(new Shape(2, 1)));
        Assert.Contains("BroadcastTo: a 2×3 tensor cannot be broadcast to 2×1", error.Message);
    }
}
