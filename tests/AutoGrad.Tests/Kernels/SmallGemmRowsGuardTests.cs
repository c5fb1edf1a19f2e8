using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The internal-error guard of <see cref="SmallGemm{T, TVec}.MultiplyRows{TEpilogue}"/> (a compiled plan's row band of a
/// product): a row range outside the result, or an epilogue whose row or operand is shorter than the result needs, is
/// refused before anything is written; the shortest row and operand that suffice are accepted and give the product.
/// Mutation run D (session fifteen) left this guard's conditions alive: nothing called a band with bad arguments.
/// </summary>
public class SmallGemmRowsGuardTests
{
    // 4×3 · 3×8 = 4×8: eight columns are whole vectors of doubles at 256 bits (4 lanes).
    private static readonly Shape Sa = new(4, 3), Sb = new(3, 8), Sc = new(4, 8);

    private static double[] A() => [.. Enumerable.Range(1, 12).Select(i => (double)i)];

    private static double[] B() => [.. Enumerable.Range(1, 24).Select(i => 0.5 * i)];

    private static bool Band(double[] c, int start, int end) =>
        SmallGemm<double, Math256<double>>.MultiplyRows<NoEpilogue<double>>(A(), Sa, false, B(), Sb, false, c, Sc, null, [], [], start, end);

    private static bool BandWithRow(double[] c, double[] row) =>
        SmallGemm<double, Math256<double>>.MultiplyRows<RowEpilogue<double, AddOperator, ProductOnTheLeft>>(A(), Sa, false, B(), Sb, false, c, Sc, null, row, [], 0, 4);

    private static bool BandWithOperand(double[] c, double[] operand) =>
        SmallGemm<double, Math256<double>>.MultiplyRows<GradientEpilogue<double, SigmoidOperator>>(A(), Sa, false, B(), Sb, false, c, Sc, null, [], operand, 0, 4);

    private static double Product(int i, int j) => Enumerable.Range(0, 3).Sum(p => A()[i * 3 + p] * B()[p * 8 + j]);

    [Fact]
    public void A_range_that_starts_after_it_ends_is_refused_naming_the_rows_and_writes_nothing()
    {
        var c = Enumerable.Repeat(7.0, 32).ToArray();
        var error = Assert.Throws<ArgumentException>(() => Band(c, 3, 2));
        Assert.Equal("rowStart", error.ParamName);
        Assert.StartsWith("A product's rows [3, 2) of a 4×8 result, A transposed: False, row of 0, operand of 0 (internal error).", error.Message);
        Assert.All(c, v => Assert.Equal(7.0, v));
    }

    [Fact]
    public void A_range_that_ends_past_the_last_row_is_refused_and_one_that_ends_on_it_is_computed()
    {
        var c = Enumerable.Repeat(7.0, 32).ToArray();
        var error = Assert.Throws<ArgumentException>(() => Band(c, 2, 5));
        Assert.Equal("rowStart", error.ParamName);
        Assert.All(c, v => Assert.Equal(7.0, v));

        Assert.False(Band(c, 2, 4));
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                Assert.Equal(i < 2 ? 7.0 : Product(i, j), c[i * 8 + j]); // rows 0 and 1 untouched
            }
        }
    }

    [Fact]
    public void An_epilogue_row_one_short_is_refused_and_a_row_of_exactly_the_columns_is_added()
    {
        var c = Enumerable.Repeat(7.0, 32).ToArray();
        var error = Assert.Throws<ArgumentException>(() => BandWithRow(c, new double[7]));
        Assert.Contains("row of 7, operand of 0", error.Message);
        Assert.All(c, v => Assert.Equal(7.0, v));

        double[] row = [.. Enumerable.Range(0, 8).Select(j => 100.0 * j)];
        Assert.False(BandWithRow(c, row));
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                Assert.Equal(Product(i, j) + row[j], c[i * 8 + j]);
            }
        }
    }

    [Fact]
    public void An_epilogue_operand_one_short_is_refused_and_one_of_the_results_length_is_read()
    {
        var c = Enumerable.Repeat(7.0, 32).ToArray();
        var error = Assert.Throws<ArgumentException>(() => BandWithOperand(c, new double[31]));
        Assert.Contains("row of 0, operand of 31", error.Message);
        Assert.All(c, v => Assert.Equal(7.0, v));

        // y = 0.5 everywhere: σ′ = y(1 − y) = 0.25, exactly, so the stored value is the product times 0.25
        Assert.False(BandWithOperand(c, Enumerable.Repeat(0.5, 32).ToArray()));
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                Assert.Equal(Product(i, j) * 0.25, c[i * 8 + j]);
            }
        }
    }
}
