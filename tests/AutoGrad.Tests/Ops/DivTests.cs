using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class DivTests
{
    [Fact]
    public void Div_gradient_matches_finite_differences_for_every_broadcast_case() =>
        Properties.Check(Gens.BroadcastPair(right: Gens.AwayFromZero), pair =>
            Properties.AssertGradCheck(x => x[0] / x[1], pair.A.ToTensor(), pair.B.ToTensor()));

    [Fact]
    public void Div_values_follow_numpy_broadcasting() =>
        Properties.Check(Gens.BroadcastPair(right: Gens.AwayFromZero), pair =>
            Reference.AssertBroadcastValues(pair.A, pair.B, pair.A.ToTensor() / pair.B.ToTensor(), (x, y) => x / y));

    [Fact]
    public void Div_by_zero_follows_ieee()
    {
        var q = Tensor.From(new double[,] { { 1, -1, 0 } }) / 0.0;
        Assert.Equal(double.PositiveInfinity, q[0, 0]);
        Assert.Equal(double.NegativeInfinity, q[0, 1]);
        Assert.True(double.IsNaN(q[0, 2]));
    }

    [Fact]
    public void Div_of_a_constant_by_a_tensor_has_gradient_minus_constant_over_square()
    {
        var x = Tensor.From(new double[,] { { 2, 4 } }, requiresGrad: true);
        (8.0 / x).Sum().Backward();
        Assert.Equal(new double[,] { { -2, -0.5 } }, x.Grad!.ToArray());
    }

    [Fact]
    public void Div_of_shapes_that_do_not_broadcast_names_the_op_and_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(1, 3) / Tensor.Zeros<double>(1, 2));
        Assert.Contains("Div: shapes (1×3) and (1×2)", error.Message);
    }
}
