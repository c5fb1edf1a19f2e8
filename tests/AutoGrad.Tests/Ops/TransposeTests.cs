using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class TransposeTests
{
    [Fact]
    public void Transpose_gradient_matches_finite_differences() =>
        Properties.Check(Gens.AnyMatrix(), m => Properties.AssertGradCheck(x => x[0].Transpose(), m.ToTensor()));

    [Fact]
    public void Transpose_swaps_rows_and_columns() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            var t = m.ToTensor().Transpose();
            Assert.Equal(new Shape(m.Cols, m.Rows), t.Shape);
            for (int i = 0; i < m.Rows; i++)
            {
                for (int j = 0; j < m.Cols; j++)
                {
                    Assert.Equal(m[i, j], t[j, i]);
                }
            }
        });

    [Fact]
    public void Transpose_of_a_large_odd_matrix_crosses_tile_boundaries_correctly()
    {
        var x = Tensor.RandomNormal<double>(67, 45, new Random(1));
        var t = x.Transpose();
        for (int i = 0; i < 67; i++)
        {
            for (int j = 0; j < 45; j++)
            {
                Assert.Equal(x[i, j], t[j, i]);
            }
        }
    }
}
