using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class AddTests
{
    [Fact]
    public void Add_gradient_matches_finite_differences_for_every_broadcast_case() =>
        Properties.Check(Gens.BroadcastPair(), pair =>
            Properties.AssertGradCheck(x => x[0] + x[1], pair.A.ToTensor(), pair.B.ToTensor()));

    [Fact]
    public void Add_values_follow_numpy_broadcasting() =>
        Properties.Check(Gens.BroadcastPair(), pair =>
            Reference.AssertBroadcastValues(pair.A, pair.B, (pair.A.ToTensor() + pair.B.ToTensor()), (x, y) => x + y));

    [Fact]
    public void Add_gradient_of_a_broadcast_row_is_the_column_sums_of_the_upstream_gradient()
    {
        var a = Tensor.Zeros<double>(3, 2, requiresGrad: true);
        var row = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
        var upstream = Tensor.From(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        (a + row).Backward(upstream);
        Assert.Equal(new double[,] { { 9, 12 } }, row.Grad!.ToArray());
        Assert.Equal(upstream.ToArray(), a.Grad!.ToArray());
    }

    [Fact]
    public void Add_of_shapes_that_do_not_broadcast_names_the_op_and_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(3, 4) + Tensor.Zeros<double>(2, 4));
        Assert.Equal("Add: shapes (3×4) and (2×4) cannot be broadcast together: rows 3 and 2 differ and neither is 1.", error.Message);
    }

    [Fact]
    public void Add_with_a_scalar_on_either_side_adds_it_to_every_element_and_passes_the_gradient_through()
    {
        var x = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
        var y = (2.0 + x) + (x + 3.0);
        Assert.Equal(new double[,] { { 7, 9 } }, y.ToArray());
        y.Sum().Backward();
        Assert.Equal(new double[,] { { 2, 2 } }, x.Grad!.ToArray());
    }
}
