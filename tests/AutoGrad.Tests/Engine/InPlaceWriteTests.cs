using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>CopyFrom, Fill and the indexer's setter: PyTorch's rules for in-place writes, and the version counter.</summary>
public class InPlaceWriteTests
{
    private static Tensor<double> Weights() => Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, requiresGrad: true, name: "W");

    [Fact]
    public void CopyFrom_copies_every_value_and_bumps_the_version_for_any_shape() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            var target = Tensor.Zeros<double>(m.Rows, m.Cols);
            var source = Tensor.FromRowMajor<double>(m.Rows, m.Cols, m.Values);
            target.CopyFrom(source);
            Assert.Equal(m.Values, target.ToFlatArray());
            Assert.Equal(1, target.Version);
            target.CopyFrom(m.Values.Select(v => -v).ToArray());
            Assert.Equal(m.Values.Select(v => -v), target.ToFlatArray());
            Assert.Equal(2, target.Version);
        });

    [Fact]
    public void A_leaf_that_requires_a_gradient_is_written_only_under_NoGrad()
    {
        var w = Weights();
        var error = Assert.Throws<InvalidOperationException>(() => w.Fill(0));
        Assert.Equal("Fill: 'W' (2×3) is a leaf that requires a gradient, and recording is on; an in-place write would not be recorded. " +
            "Write inside `using (Tensor.NoGrad()) { ... }`, as an optimizer step does.", error.Message);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], w.ToFlatArray());
        Assert.Equal(0, w.Version);

        using (Tensor.NoGrad())
        {
            w.Fill(7);
            w[1, 2] = -1;
        }
        Assert.Equal([7.0, 7, 7, 7, 7, -1], w.ToFlatArray());
        Assert.Equal(2, w.Version);
        Assert.True(w.RequiresGrad);
    }

    [Fact]
    public void A_recorded_result_is_never_written_even_under_NoGrad()
    {
        var w = Weights();
        var y = w * 2.0;
        double[] before = y.ToFlatArray();
        using (Tensor.NoGrad())
        {
            Assert.StartsWith("CopyFrom: a 2×3 tensor is the result of ", Assert.Throws<InvalidOperationException>(() => y.CopyFrom(w)).Message);
            Assert.Contains("recorded on the tape", Assert.Throws<InvalidOperationException>(() => y[0, 0] = 1).Message);
            Assert.StartsWith("Fill: ", Assert.Throws<InvalidOperationException>(() => y.Fill(0)).Message);
        }
        Assert.Equal(before, y.ToFlatArray());
        Assert.Equal(0, y.Version);
    }

    [Fact]
    public void Writes_of_the_wrong_size_or_outside_the_tensor_are_refused_and_change_nothing()
    {
        var x = Tensor.Zeros<double>(2, 3, name: "x");
        Assert.Equal("CopyFrom: the source is 3×2 but 'x' (2×3) is 2×3; the shapes must match. (Parameter 'source')",
            Assert.Throws<ArgumentException>(() => x.CopyFrom(Tensor.Zeros<double>(3, 2))).Message);
        Assert.Equal("CopyFrom: 'x' (2×3) has 6 elements but 5 values were given. (Parameter 'values')",
            Assert.Throws<ArgumentException>(() => x.CopyFrom(new double[5])).Message);
        Assert.StartsWith("Indexer: index [2, 0] is outside a 2×3 tensor.", Assert.Throws<ArgumentOutOfRangeException>(() => x[2, 0] = 1).Message);
        Assert.StartsWith("Indexer: index [0, -1] is outside", Assert.Throws<ArgumentOutOfRangeException>(() => x[0, -1] = 1).Message);
        Assert.Equal(new double[6], x.ToFlatArray());
        Assert.Equal(0, x.Version);
    }

    [Fact]
    public void A_graph_that_read_a_tensor_refuses_to_back_propagate_after_it_is_written()
    {
        var w = Weights();
        var x = Tensor.From(new double[,] { { 1, 1, 1 }, { 1, 1, 1 } }, name: "x");
        var loss = (w * x).Sum();
        x[0, 0] = 5;
        Assert.Contains("was modified in place after the operation was recorded (version 0 then, 1 now)",
            Assert.Throws<InvalidOperationException>(() => loss.Backward()).Message);
    }

    [Fact]
    public void A_detached_view_shares_the_version_counter_so_writing_through_it_is_caught()
    {
        var w = Weights();
        var loss = (w * w).Sum();
        var view = w.Detach();
        view.Fill(0); // a detached tensor needs no gradient, so the write is allowed ...
        Assert.Equal(new double[6], w.ToFlatArray()); // ... it shares w's array ...
        Assert.Equal(1, w.Version); // ... and w's version
        Assert.Contains("was modified in place", Assert.Throws<InvalidOperationException>(() => loss.Backward()).Message);
    }

    /// <summary>A write one column past the last is refused at every row — the row-major offset row·Cols + Cols would
    /// otherwise land on the next row's first element — and changes nothing; so is a write into a recorded result, whose
    /// message says what the caller called and why.</summary>
    [Fact]
    public void A_write_one_column_past_the_last_is_refused_at_every_row_and_changes_nothing()
    {
        var x = Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        for (int row = 0; row < 2; row++)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => x[row, 3] = 9);
            Assert.StartsWith($"Indexer: index [{row}, 3] is outside a 2×3 tensor.", error.Message);
        }
        Assert.Equal([1.0, 2, 3, 4, 5, 6], x.ToFlatArray());
        var w = Tensor.From(new double[,] { { 0.5, -1 } }, requiresGrad: true);
        var y = w.Exp();
        var recorded = Assert.Throws<InvalidOperationException>(() => y[0, 1] = 1);
        Assert.StartsWith("Indexer: a 1×2 tensor", recorded.Message);
        Assert.Contains("is the result of Exp, recorded on the tape; writing into it would change values its graph depends on.", recorded.Message);
        Assert.Equal(Math.Exp(-1), y[0, 1]);
    }
}
