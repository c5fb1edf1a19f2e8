using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="Reductions.BroadcastTo{T}"/>, the kernel behind BroadcastTo: a row, a column, a scalar, or a tensor of the
/// result's own shape, repeated into the result — every element from the source element it comes from.
/// </summary>
public class BroadcastToKernelTests
{
    [Fact]
    public void Every_element_comes_from_its_source_element_for_rows_columns_scalars_and_the_same_shape() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            var to = new Shape(m.Rows, m.Cols);
            foreach (var from in new[] { to, new Shape(1, m.Cols), new Shape(m.Rows, 1), new Shape(1, 1) })
            {
                double[] source = new double[from.Length];
                for (int k = 0; k < source.Length; k++)
                {
                    source[k] = k + 1; // distinct values: a wrong source element shows
                }
                double[] destination = new double[to.Length];
                Reductions.BroadcastTo<double>(source, from, destination, to);
                for (int i = 0; i < to.Rows; i++)
                {
                    for (int j = 0; j < to.Cols; j++)
                    {
                        int si = from.Rows == 1 ? 0 : i, sj = from.Cols == 1 ? 0 : j;
                        Assert.Equal(source[si * from.Cols + sj], destination[i * to.Cols + j]);
                    }
                }
            }
        });
}
