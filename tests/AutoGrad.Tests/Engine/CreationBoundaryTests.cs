using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// The factories of <see cref="Tensor"/> at their edges: odd sample counts, a standard deviation of 0, bounds that are
/// equal or infinite, which argument a refusal names, and the options every factory passes on.
/// </summary>
public class CreationBoundaryTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(1, 7)]
    public void Normal_samples_of_an_odd_count_fill_every_element_and_start_as_the_even_count_does(int rows, int cols)
    {
        var odd = Tensor.RandomNormal<double>(rows, cols, new Random(11), mean: 1, std: 2).ToFlatArray();
        var even = Tensor.RandomNormal<double>(1, rows * cols + 1, new Random(11), mean: 1, std: 2).ToFlatArray();
        // Box–Muller makes samples in pairs from the same draws: an odd count is the even one without its last sample
        Assert.Equal(even[..^1], odd);
    }

    [Fact]
    public void Normal_samples_are_symmetric_about_the_mean_with_the_normal_share_within_one_deviation()
    {
        var z = Tensor.RandomNormal<double>(200, 100, new Random(3), mean: -4, std: 0.5).ToFlatArray().Select(v => (v + 4) / 0.5).ToArray();
        // 20,000 samples: a share's standard error is below 0.004
        Assert.InRange(z.Count(v => Math.Abs(v) < 1) / (double)z.Length, 0.670, 0.696); // 0.6827
        Assert.InRange(z.Count(v => v > 0) / (double)z.Length, 0.485, 0.515);
        Assert.InRange(z.Count(v => v > 2) / (double)z.Length, 0.019, 0.027); // 0.0228
        Assert.InRange(z.Count(v => v < -2) / (double)z.Length, 0.019, 0.027);
    }

    [Fact]
    public void A_standard_deviation_of_zero_gives_the_mean_everywhere()
    {
        Assert.All(Tensor.RandomNormal<double>(3, 3, new Random(1), mean: 2.5, std: 0).ToFlatArray(), v => Assert.Equal(2.5, v));
        Assert.All(Tensor.RandomNormal<float>(2, 3, new Random(1), mean: -1, std: 0).ToFlatArray(), v => Assert.Equal(-1f, v));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_standard_deviation_that_is_negative_or_not_finite_is_refused_by_name(double std)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal<double>(2, 2, new Random(1), std: std));
        Assert.Equal("std", error.ParamName);
        Assert.StartsWith($"Tensor.RandomNormal: the standard deviation must be finite and at least 0; got {std}.", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_mean_that_is_not_finite_is_refused_by_name(double mean)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal<double>(2, 2, new Random(1), mean: mean));
        Assert.Equal("mean", error.ParamName);
        Assert.StartsWith($"Tensor.RandomNormal: the mean must be finite; got {mean}.", error.Message);
    }

    [Theory]
    [InlineData(1.0, 1.0, "high", "need low < high")]
    [InlineData(double.NaN, 1.0, "high", "need low < high")]
    [InlineData(0.0, double.NaN, "high", "need low < high")]
    [InlineData(double.NegativeInfinity, 1.0, "low", "the bounds and their difference must be finite")]
    [InlineData(0.0, double.PositiveInfinity, "high", "the bounds and their difference must be finite")]
    [InlineData(-1e308, 1e308, "high", "the bounds and their difference must be finite")]
    public void Uniform_bounds_that_are_equal_unordered_or_infinite_are_refused_naming_the_bad_one(double low, double high, string param, string rule)
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<double>(2, 2, new Random(1), low, high));
        Assert.Equal(param, error.ParamName);
        Assert.Contains($"Tensor.RandomUniform: {rule}", error.Message);
    }

    // Finite double arguments a float cannot hold gave tensors of ±∞ (RandomUniform<float>(−1e300, 1e300) was [∞, ∞]);
    // PyTorch refuses bounds outside the dtype's range too.
    [Fact]
    public void Float_samples_whose_arguments_overflow_float_are_refused_by_name()
    {
        Assert.Contains("Tensor.RandomUniform: the bounds [-1E+300, 1E+300) do not fit in Single",
            Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<float>(1, 2, new Random(0), -1e300, 1e300)).Message);
        Assert.Contains("Tensor.RandomUniform: the bounds [-2E+38, 2E+38) do not fit in Single",
            Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<float>(1, 2, new Random(0), -2e38, 2e38)).Message); // their difference does not
        Assert.Contains("Tensor.RandomUniform: the bounds [1, 1.000000000001) do not fit in Single",
            Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<float>(1, 2, new Random(0), 1, 1.000000000001)).Message); // both round to 1
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal<float>(1, 2, new Random(0), 0, 1e300)).ParamName);
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal<float>(1, 2, new Random(0), 0, 1e38)).ParamName);
        Assert.Equal("mean", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal<float>(1, 2, new Random(0), 1e39, 1)).ParamName);
        Assert.All(Tensor.RandomNormal<float>(100, 10, new Random(0), 0, 3e37).ToFlatArray(), v => Assert.True(float.IsFinite(v)));
    }

    // Finite ends whose values or spacing the element type cannot hold gave silent NaN or ∞: Linspace<float>(0, 1e300, 3)
    // was [NaN, NaN, NaN], Linspace<double>(−1.7e308, 1.7e308, 3) had NaN (the span overflows), Arange<float>(0, 1e300, 1e299) ∞.
    [Fact]
    public void Ranges_whose_values_overflow_the_element_type_are_refused_by_name()
    {
        Assert.StartsWith("Tensor.Linspace: the values from 0 to 1E+300 do not fit in Single",
            Assert.Throws<ArgumentException>(() => Tensor.Linspace<float>(0, 1e300, 3)).Message);
        Assert.StartsWith("Tensor.Linspace: the values from -1.7E+308 to 1.7E+308 do not fit in Double",
            Assert.Throws<ArgumentException>(() => Tensor.Linspace<double>(-1.7e308, 1.7e308, 3)).Message);
        Assert.StartsWith("Tensor.Arange: the values from 0 in steps of 1E+299 do not fit in Single",
            Assert.Throws<ArgumentException>(() => Tensor.Arange<float>(0, 1e300, 1e299)).Message);
    }

    /// <summary>A generator at the top of its range: NextDouble = 1 − 2⁻⁵³.</summary>
    private sealed class HighestRandom : Random
    {
        public override double NextDouble() => 1 - Math.Pow(2, -53);
    }

    // The interval is half-open in the element type: 1 − 2⁻⁵³ rounds to 1 in float, and 1 + (1 − 2⁻⁵³) to 2 in double.
    [Fact]
    public void Uniform_samples_stay_below_high_after_rounding_to_the_element_type()
    {
        Assert.True(Tensor.RandomUniform<float>(1, 1, new HighestRandom(), 0, 1).Item < 1f);
        Assert.True(Tensor.RandomUniform<double>(1, 1, new HighestRandom(), 1, 2).Item < 2.0);
        Assert.True(Tensor.RandomUniform<float>(1, 1, new HighestRandom(), -3, -2).Item < -2f);
    }

    [Fact]
    public void Uniform_samples_cover_the_interval_evenly()
    {
        var u = Tensor.RandomUniform<double>(100, 100, new Random(8), 10, 12).ToFlatArray();
        Assert.All(u, v => Assert.InRange(v, 10, 12));
        Assert.InRange(u.Count(v => v < 10.5) / (double)u.Length, 0.24, 0.26);
        Assert.InRange(u.Count(v => v >= 11.5) / (double)u.Length, 0.24, 0.26);
    }

    [Theory]
    [InlineData(0, 3, "rows")]
    [InlineData(-2, 3, "rows")]
    [InlineData(3, 0, "cols")]
    [InlineData(0, 0, "rows")]
    [InlineData(1, 0, "cols")]
    public void A_shape_with_no_rows_or_no_columns_is_refused_naming_the_bad_dimension(int rows, int cols, string param)
    {
        foreach (var (op, make) in new (string, Action)[]
        {
            ("Tensor.Zeros", () => Tensor.Zeros<double>(rows, cols)),
            ("Tensor.Ones", () => Tensor.Ones<double>(rows, cols)),
            ("Tensor.Full", () => Tensor.Full(rows, cols, 1.0)),
            ("Tensor.RandomNormal", () => Tensor.RandomNormal<double>(rows, cols, new Random(1))),
            ("Tensor.RandomUniform", () => Tensor.RandomUniform<double>(rows, cols, new Random(1))),
            ("Tensor.FromRowMajor", () => Tensor.FromRowMajor<double>(rows, cols, [])),
        })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(make);
            Assert.Equal(param, error.ParamName);
            Assert.StartsWith($"{op}: a tensor needs at least one row and one column; got {rows}×{cols}.", error.Message);
        }
    }

    [Fact]
    public void From_refuses_an_array_without_columns_and_jagged_rows_with_null_or_missing_ones()
    {
        Assert.Contains("Tensor.From: the array is 3×0", Assert.Throws<ArgumentException>(() => Tensor.From(new double[3, 0])).Message);
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => Tensor.From(Array.Empty<double[]>())).Message);
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => Tensor.From(new double[][] { null!, [1.0] })).Message);
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => Tensor.From(new double[][] { [], [] })).Message);
        Assert.Contains("row 0 has 2 values but row 2 has 0",
            Assert.Throws<ArgumentException>(() => Tensor.From(new double[][] { [1.0, 2.0], [3.0, 4.0], null! })).Message);
        Assert.Contains("row 0 has 1 values but row 1 has 2",
            Assert.Throws<ArgumentException>(() => Tensor.From(new double[][] { [1.0], [3.0, 4.0] })).Message);
    }

    [Fact]
    public void FromRowMajor_needs_exactly_rows_times_columns_values()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromRowMajor<double>(2, 3, [1, 2, 3, 4, 5]));
        Assert.Equal("values", error.ParamName);
        Assert.StartsWith("Tensor.FromRowMajor: a 2×3 tensor needs 6 values; got 5.", error.Message);
        Assert.Contains("got 7", Assert.Throws<ArgumentException>(() => Tensor.FromRowMajor<double>(2, 3, [1, 2, 3, 4, 5, 6, 7])).Message);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], Tensor.FromRowMajor<double>(2, 3, [1, 2, 3, 4, 5, 6]).ToFlatArray());
    }

    [Fact]
    public void Every_factory_passes_on_requiresGrad_and_the_name()
    {
        var made = new[]
        {
            Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true, name: "t"),
            Tensor.From(new[] { 1.0, 2 }, requiresGrad: true, name: "t"),
            Tensor.From(new[] { new[] { 1.0, 2 } }, requiresGrad: true, name: "t"),
            Tensor.FromRowMajor<double>(1, 2, [1, 2], requiresGrad: true, name: "t"),
            Tensor.Scalar(1.0, requiresGrad: true, name: "t"),
            Tensor.Zeros<double>(1, 2, requiresGrad: true, name: "t"),
            Tensor.Ones<double>(1, 2, requiresGrad: true, name: "t"),
            Tensor.Full(1, 2, 3.0, requiresGrad: true, name: "t"),
            Tensor.RandomNormal<double>(1, 2, new Random(1), requiresGrad: true, name: "t"),
            Tensor.RandomUniform<double>(1, 2, new Random(1), requiresGrad: true, name: "t"),
        };
        Assert.All(made, t => Assert.Equal((true, "t", true), (t.RequiresGrad, t.Name, t.IsLeaf)));
        Assert.All(new[] { Tensor.Zeros<double>(1, 2), Tensor.Scalar(1.0), Tensor.From(new[] { 1.0 }) }, t => Assert.False(t.RequiresGrad));
    }

    [Fact]
    public void From_copies_its_array()
    {
        double[,] grid = { { 1, 2 }, { 3, 4 } };
        double[] column = [5, 6];
        double[][] rows = [[7, 8], [9, 10]];
        var a = Tensor.From(grid);
        var b = Tensor.From(column);
        var c = Tensor.From(rows);
        grid[1, 1] = column[0] = rows[1][0] = -1;
        Assert.Equal([1.0, 2, 3, 4], a.ToFlatArray());
        Assert.Equal([5.0, 6], b.ToFlatArray());
        Assert.Equal([7.0, 8, 9, 10], c.ToFlatArray());
        Assert.Equal(new Shape(2, 1), b.Shape);
    }
}
