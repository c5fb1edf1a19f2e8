using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="DivKernel.DenominatorGradient"/>'s index arithmetic and thresholds, case by case: a range that starts
/// inside a row, a broadcast a whose row or column index is not 0 in the split form, and float's largest finite number
/// as the vector path's bound (a quotient that overflows float must leave the vector path).
/// </summary>
public class DivKernelBroadcastTests
{
    private static (double[] G, double[] Z, double[] A, double[] B) Inputs(Shape sd, Shape sa, Shape sb)
    {
        double[] a = Enumerable.Range(0, sa.Length).Select(i => 1.5 + i).ToArray();
        double[] b = Enumerable.Range(0, sb.Length).Select(i => -0.75 - 0.5 * i).ToArray();
        double[] g = Enumerable.Range(0, sd.Length).Select(i => 0.3 + 0.01 * i).ToArray();
        double[] z = new double[sd.Length];
        for (int e = 0; e < sd.Length; e++)
        {
            z[e] = a[Index(sa, sd, e)] / b[Index(sb, sd, e)];
        }
        return (g, z, a, b);
    }

    /// <summary>The element of an operand of shape <paramref name="s"/> broadcast to element e of <paramref name="sd"/>.</summary>
    private static int Index(Shape s, Shape sd, int e) => (s.Rows == 1 ? 0 : e / sd.Cols) * s.Cols + (s.Cols == 1 ? 0 : e % sd.Cols);

    [Theory]
    [InlineData(1, 6)] // b a row
    [InlineData(4, 1)] // b a column
    [InlineData(1, 1)] // b a scalar
    public void A_range_that_starts_inside_a_row_gets_the_elements_of_the_whole_call_and_no_others(int bRows, int bCols)
    {
        Shape sd = new(4, 6), sb = new(bRows, bCols);
        var (g, z, a, b) = Inputs(sd, sd, sb);
        var whole = new double[sd.Length];
        DivKernel.DenominatorGradient<double>(g, z, a, sd, b, sb, whole, sd, 0, sd.Length);
        for (int e = 0; e < sd.Length; e++)
        {
            double bi = b[Index(sb, sd, e)];
            Assert.Equal(-(g[e] * (z[e] / bi)), whole[e]);
        }
        var part = Enumerable.Repeat(double.NaN, sd.Length).ToArray();
        DivKernel.DenominatorGradient<double>(g, z, a, sd, b, sb, part, sd, 5, 10); // rows 0 … 2, from column 5 to column 2
        for (int e = 0; e < sd.Length; e++)
        {
            Assert.Equal(e is >= 5 and < 15 ? whole[e] : double.NaN, part[e]);
        }
    }

    [Theory]
    [InlineData(3, 1)] // a a column: the split form must read a's row
    [InlineData(1, 5)] // a a row: the split form must read a's column
    public void A_broadcast_a_is_read_at_its_own_row_and_column_where_the_split_form_decides(int aRows, int aCols)
    {
        // g = 1e-200, a ≈ 1e200, b = 1e-100: (a / b) / b = ∞, so every element goes to the split form −g·a/b², ≈ −a·1e200
        Shape sd = new(3, 5), sa = new(aRows, aCols), sb = sd;
        double[] a = Enumerable.Range(0, sa.Length).Select(i => (1 + i) * 1e200).ToArray();
        double[] b = Enumerable.Repeat(1e-100, sd.Length).ToArray();
        double[] g = Enumerable.Repeat(1e-200, sd.Length).ToArray();
        double[] z = Enumerable.Range(0, sd.Length).Select(e => a[Index(sa, sd, e)] / b[e]).ToArray();
        var d = new double[sd.Length];
        DivKernel.DenominatorGradient<double>(g, z, a, sa, b, sb, d, sd, 0, sd.Length);
        for (int e = 0; e < sd.Length; e++)
        {
            double expected = -(1 + Index(sa, sd, e)) * 1e200;
            Assert.True(Math.Abs(d[e] - expected) <= 1e-14 * Math.Abs(expected), $"element {e}: {d[e]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void A_float_quotient_beyond_floats_largest_number_leaves_the_vector_path()
    {
        // float: g = 1e-30, a = 1e30, b = 1e-5: z = 1e35 is normal, z / b = 1e40 overflows to ∞ and g·∞ = ∞; the true
        // −g·a/b² is −1e10. A whole vector of such lanes must go element by element (to the split form), not give −∞.
        const int Length = 40;
        float[] g = Enumerable.Repeat(1e-30f, Length).ToArray(), a = Enumerable.Repeat(1e30f, Length).ToArray();
        float[] b = Enumerable.Repeat(1e-5f, Length).ToArray(), z = a.Zip(b, (ai, bi) => ai / bi).ToArray();
        Assert.True(float.IsNormal(z[0]) && float.IsInfinity(z[0] / b[0]));
        var shape = new Shape(1, Length);
        var d = new float[Length];
        DivKernel.DenominatorGradient<float>(g, z, a, shape, b, shape, d, shape, 0, Length);
        float expected = (float)(-(1e-30f * (double)1e30f) / ((double)1e-5f * 1e-5f));
        Assert.All(d, v => Assert.True(Math.Abs(v - expected) <= Math.Abs(expected) * 2e-7f, $"{v:R}, expected {expected:R}"));
    }

    [Fact]
    public void A_double_quotient_beyond_floats_largest_number_stays_on_the_plain_path()
    {
        // double: z / b = 1e40 is an ordinary double; the bits are −g·(z / b) on every lane
        const int Length = 40;
        double[] g = Enumerable.Repeat(1e-30, Length).ToArray(), a = Enumerable.Repeat(1e30, Length).ToArray();
        double[] b = Enumerable.Repeat(1e-5, Length).ToArray(), z = a.Zip(b, (ai, bi) => ai / bi).ToArray();
        var shape = new Shape(1, Length);
        var d = new double[Length];
        DivKernel.DenominatorGradient<double>(g, z, a, shape, b, shape, d, shape, 0, Length);
        Assert.All(d, v => Assert.Equal(-(g[0] * (z[0] / b[0])), v));
    }
}
