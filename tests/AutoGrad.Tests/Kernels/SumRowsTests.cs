using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Σ over rows (<see cref="Reductions.SumRows"/>, <c>Sum(axis: 0)</c> and the bias gradient of every linear layer) sums
/// each column in row order from row 0, one rounding per addition in double (in float: the additions in double and one
/// rounding to float at the end); in double a column whose sum comes out ±∞ or NaN is summed again in the same order
/// scaled by 2⁻ᵏ (2ᵏ ≥ 2·rows) and scaled back, so a column of finite values with a finite total is finite; its vector blocks must give exactly those bits for
/// every shape — full blocks of four vectors, single vectors of each width and the scalar tail — and for ±0, ±∞ and NaN.
/// </summary>
public class SumRowsTests
{
    public sealed record Matrix(int Rows, int Cols, double[] Values)
    {
        public override string ToString() => $"{Rows}×{Cols}: [{string.Join(", ", Values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]";
    }

    private static readonly Gen<double> Element = Gen.Frequency(
        (8, Gen.Choose(-1_000_000, 1_000_000).Select(k => k / 1000.0)),
        (2, Gen.Choose(-1000, 1000).Select(k => k * 1e13)),
        (1, Gen.Elements(0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-310, 1e308)));

    private static readonly Arbitrary<Matrix> Matrices = Arb.From(
        from wide in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        // up to 300 columns (every remainder of eight vectors of 8 doubles, the 512-bit blocks), fewer rows there
        from rows in wide ? Gen.Choose(1, 12) : Gen.Choose(1, 40)
        from cols in wide ? Gen.Choose(81, 300) : Gen.Choose(1, 80)
        from values in Gen.ArrayOf(Element, rows * cols)
        select new Matrix(rows, cols, values));

    private static void RowOrderSum<T>(Matrix m, Func<double, T> convert) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = [.. m.Values.Select(convert)];
        var expected = new T[m.Cols];
        for (int j = 0; j < m.Cols; j++)
        {
            if (typeof(T) == typeof(float))
            {
                double wide = double.CreateTruncating(x[j]); // float: the additions in double, one rounding at the end
                for (int i = 1; i < m.Rows; i++)
                {
                    wide += double.CreateTruncating(x[i * m.Cols + j]);
                }
                expected[j] = T.CreateTruncating(wide);
                continue;
            }
            T sum = x[j];
            for (int i = 1; i < m.Rows; i++)
            {
                sum += x[i * m.Cols + j];
            }
            if (!T.IsFinite(sum))
            {
                // the second pass of a column whose row-order sum is ±∞ or NaN: the same order scaled by 2⁻ᵏ, 2ᵏ ≥ 2·rows
                int k = 1;
                while ((1 << k) < 2 * m.Rows)
                {
                    k++;
                }
                sum = T.Zero;
                for (int i = 0; i < m.Rows; i++)
                {
                    sum += x[i * m.Cols + j] * T.ScaleB(T.One, -k);
                }
                sum = T.ScaleB(sum, k);
            }
            expected[j] = sum;
        }
        // must write exactly cols elements: a finite stale value in each (a NaN there would be summed again by the
        // kernel's second pass for non-finite columns and so hide a column the vector blocks skipped), NaN past the end
        T[] actual = [.. Enumerable.Repeat(T.CreateTruncating(12345.5), m.Cols), .. Enumerable.Repeat(T.NaN, 3)];
        Reductions.SumRows<T>(x, new Shape(m.Rows, m.Cols), actual);
        for (int j = 0; j < m.Cols; j++)
        {
            bool same = T.IsNaN(expected[j]) ? T.IsNaN(actual[j]) : expected[j].Equals(actual[j]) && T.IsNegative(expected[j]) == T.IsNegative(actual[j]);
            Assert.True(same, $"column {j}: {actual[j]} instead of {expected[j]}");
        }
        Assert.All(actual[m.Cols..], v => Assert.True(T.IsNaN(v), "SumRows wrote past its 1×cols result"));
    }

    [Fact]
    public void Sum_over_rows_adds_each_column_in_row_order_in_double() =>
        Properties.Check(Matrices, m => RowOrderSum(m, v => v), cases: 300);

    [Fact]
    public void Sum_over_rows_adds_each_column_in_row_order_in_double_and_rounds_once_in_float() =>
        Properties.Check(Matrices, m => RowOrderSum(m, v => (float)v), cases: 300);

    /// <summary>The kernel's own guard (its callers pass whole tensors): a source or destination too short is refused
    /// by name, with the shape and the counts it needs, before anything is written.</summary>
    [Fact]
    public void Spans_too_short_for_the_shape_are_refused_before_anything_is_written()
    {
        var shape = new Shape(2, 3);
        double[] destination = [7, 7, 7];
        const string expected = "Sum(axis: 0): 2×3 needs 6 source and 3 destination elements, at least one row (internal error).";
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => Reductions.SumRows<double>(new double[5], shape, destination)).Message);
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => Reductions.SumRows<double>(new double[6], shape, new double[2])).Message);
        Assert.Equal([7.0, 7, 7], destination);
        Reductions.SumRows<double>([1, 2, 3, 4, 5, 6], shape, destination);
        Assert.Equal([5.0, 7, 9], destination);
    }
}
