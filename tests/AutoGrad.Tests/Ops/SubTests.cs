using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class SubTests
{
    [Fact]
    public void Sub_gradient_matches_finite_differences_for_every_broadcast_case() =>
        Properties.Check(Gens.BroadcastPair(), pair =>
            Properties.AssertGradCheck(x => x[0] - x[1], pair.A.ToTensor(), pair.B.ToTensor()));

    [Fact]
    public void Sub_values_follow_numpy_broadcasting() =>
        Properties.Check(Gens.BroadcastPair(), pair =>
            Reference.AssertBroadcastValues(pair.A, pair.B, pair.A.ToTensor() - pair.B.ToTensor(), (x, y) => x - y));

    [Fact]
    public void Sub_of_shapes_that_do_not_broadcast_names_the_op_and_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 3) - Tensor.Zeros<double>(2, 4));
        Assert.Equal("Sub: shapes (2×3) and (2×4) cannot be broadcast together: columns 3 and 4 differ and neither is 1.", error.Message);
    }

    [Fact]
    public void Sub_with_a_scalar_on_either_side_gives_opposite_gradients()
    {
        var x = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
        var left = 10.0 - x;
        var right = x - 10.0;
        Assert.Equal(new double[,] { { 9, 8 } }, left.ToArray());
        Assert.Equal(new double[,] { { -9, -8 } }, right.ToArray());
        left.Sum().Backward();
        Assert.Equal(new double[,] { { -1, -1 } }, x.Grad!.ToArray());
    }
}
