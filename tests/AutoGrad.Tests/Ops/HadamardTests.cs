using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class HadamardTests
{
    [Fact]
    public void Hadamard_gradient_matches_finite_differences_for_every_broadcast_case() =>
        Properties.Check(Gens.BroadcastPair(), pair =>
            Properties.AssertGradCheck(x => x[0] * x[1], pair.A.ToTensor(), pair.B.ToTensor()));

    [Fact]
    public void Hadamard_values_follow_numpy_broadcasting() =>
        Properties.Check(Gens.BroadcastPair(), pair =>
            Reference.AssertBroadcastValues(pair.A, pair.B, pair.A.ToTensor().Hadamard(pair.B.ToTensor()), (x, y) => x * y));

    [Fact]
    public void Hadamard_gradient_of_a_is_upstream_times_b()
    {
        var a = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
        var b = Tensor.From(new double[,] { { 3, 5 } }, requiresGrad: true);
        (a * b).Backward(Tensor.From(new double[,] { { 7, 11 } }));
        Assert.Equal(new double[,] { { 21, 55 } }, a.Grad!.ToArray());
        Assert.Equal(new double[,] { { 7, 22 } }, b.Grad!.ToArray());
    }

    [Fact]
    public void Hadamard_of_shapes_that_do_not_broadcast_names_the_op_and_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(3, 1) * Tensor.Zeros<double>(2, 5));
        Assert.Contains("Hadamard: shapes (3×1) and (2×5)", error.Message);
    }
}
