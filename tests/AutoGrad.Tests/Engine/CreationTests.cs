using Xunit;

namespace AutoGrad.Tests.Engine;

public class CreationTests
{
    [Fact]
    public void From_a_2d_array_keeps_rows_and_columns()
    {
        var t = Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, name: "A");
        Assert.Equal(new Shape(2, 3), t.Shape);
        Assert.Equal(6.0, t[1, 2]);
        Assert.Equal(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, t.ToArray());
        Assert.Equal("A", t.Name);
    }

    [Fact]
    public void From_a_1d_array_is_a_column_vector()
    {
        var t = Tensor.From(new[] { 1f, 2f, 3f });
        Assert.Equal(new Shape(3, 1), t.Shape);
    }

    [Fact]
    public void Factories_fill_as_named()
    {
        Assert.All(Tensor.Zeros<double>(2, 3).ToFlatArray(), v => Assert.Equal(0.0, v));
        Assert.All(Tensor.Ones<float>(2, 3).ToFlatArray(), v => Assert.Equal(1f, v));
        Assert.All(Tensor.Full(2, 2, 7.5).ToFlatArray(), v => Assert.Equal(7.5, v));
        Assert.Equal(4.0, Tensor.Scalar(4.0).Item);
        Assert.True(Tensor.Zeros<double>(1, 1, requiresGrad: true).RequiresGrad);
    }

    [Fact]
    public void Seeded_random_tensors_repeat_and_have_the_asked_distribution()
    {
        var a = Tensor.RandomNormal<double>(100, 100, new Random(5), mean: 2, std: 3);
        var b = Tensor.RandomNormal<double>(100, 100, new Random(5), mean: 2, std: 3);
        Assert.Equal(a.ToFlatArray(), b.ToFlatArray());
        var values = a.ToFlatArray();
        double mean = values.Average();
        double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, 1.9, 2.1); // 10,000 samples: standard error of the mean 0.03
        Assert.InRange(std, 2.9, 3.1);
        var u = Tensor.RandomUniform<double>(50, 50, new Random(1), -2, 5).ToFlatArray();
        Assert.All(u, v => Assert.InRange(v, -2, 5));
        Assert.InRange(u.Average(), 1.3, 1.7);
    }

    [Fact]
    public void An_empty_array_is_refused_with_a_clear_message()
    {
        Assert.Contains("at least one row and one column", Assert.Throws<ArgumentException>(() => Tensor.From(new double[0, 3])).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Tensor.From(Array.Empty<double>())).Message);
        Assert.Contains("at least one row", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(0, 2)).Message);
    }

    [Fact]
    public void A_jagged_array_is_refused_naming_the_bad_row()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.From(new[] { new[] { 1.0, 2 }, new[] { 3.0 } }));
        Assert.Contains("row 0 has 2 values but row 1 has 1", error.Message);
    }

    [Fact]
    public void Item_on_a_matrix_says_it_needs_a_scalar()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros<double>(2, 2).Item);
        Assert.Equal("Item: only a 1×1 tensor has a single value; this one is 2×2.", error.Message);
    }

    [Fact]
    public void Indexing_outside_the_shape_names_the_index_and_shape()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(2, 2)[2, 0]);
        Assert.Contains("index [2, 0] is outside a 2×2 tensor", error.Message);
    }

    [Fact]
    public void ToString_shows_type_shape_name_and_values()
    {
        var t = Tensor.From(new double[,] { { 1, 2 }, { 3, 4.5 } }, requiresGrad: true, name: "W1");
        Assert.Equal("Tensor<Double> 2×2 'W1' requiresGrad\n[[1, 2],\n [3, 4.5]]", t.ToString());
        Assert.Contains("from Sigmoid", t.Sigmoid().ToString());
    }

    [Fact]
    public void ToString_abbreviates_large_tensors()
    {
        var text = Tensor.Zeros<double>(100, 100).ToString();
        Assert.Contains("...", text);
        Assert.True(text.Length < 300, text);
    }

    [Fact]
    public void Only_double_and_float_are_supported()
    {
        // refused before Tensor<Half>'s static constructor runs, so not wrapped in a TypeInitializationException
        Assert.Throws<NotSupportedException>(() => Tensor.Zeros<Half>(1, 1));
    }
}
