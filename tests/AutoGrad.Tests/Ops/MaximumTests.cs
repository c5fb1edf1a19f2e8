using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class MaximumTests
{
    [Fact]
    public void Maximum_values_are_the_larger_element_with_broadcasting() =>
        Properties.Check(Gens.BroadcastPair(), p =>
        {
            var z = p.A.ToTensor().Maximum(p.B.ToTensor());
            var expected = p.A.ToTensor() + 0.0 * p.B.ToTensor(); // the broadcast shape
            Assert.Equal(expected.Shape, z.Shape);
            for (int i = 0; i < z.Rows; i++)
            {
                for (int j = 0; j < z.Cols; j++)
                {
                    double a = p.A.Values[(p.A.Rows == 1 ? 0 : i) * p.A.Cols + (p.A.Cols == 1 ? 0 : j)];
                    double b = p.B.Values[(p.B.Rows == 1 ? 0 : i) * p.B.Cols + (p.B.Cols == 1 ? 0 : j)];
                    Assert.Equal(Math.Max(a, b), z[i, j]);
                }
            }
        });

    [Fact]
    public void Maximum_gradient_matches_finite_differences_away_from_ties() =>
        Properties.Check(Gens.BroadcastPair(), p => Properties.AssertGradCheck(x => x[0].Maximum(x[1]), p.A.ToTensor(), p.B.ToTensor()));

    [Fact]
    public void Maximum_gradient_goes_to_the_larger_input_and_is_split_evenly_on_ties_as_in_pytorch()
    {
        // a = torch.tensor([1., 5., 3., nan]); b = torch.tensor([2., 4., 3., 0.]); torch.maximum(a, b).sum().backward()
        // → a.grad [0, 1, 0.5, 1], b.grad [1, 0, 0.5, 1]
        var a = Tensor.From(new double[,] { { 1, 5, 3, double.NaN } }, requiresGrad: true);
        var b = Tensor.From(new double[,] { { 2, 4, 3, 0 } }, requiresGrad: true);
        var z = a.Maximum(b);
        Assert.True(double.IsNaN(z[0, 3]));
        z.Sum().Backward();
        Assert.Equal(new double[,] { { 0, 1, 0.5, 1 } }, a.Grad!.ToArray());
        Assert.Equal(new double[,] { { 1, 0, 0.5, 1 } }, b.Grad!.ToArray());
    }

    [Fact]
    public void A_broadcast_scalar_collects_the_gradient_of_every_element_it_wins_or_ties()
    {
        var x = Tensor.From(new double[,] { { -1, 0, 2 } }, requiresGrad: true);
        var floor = Tensor.Scalar(0.0, requiresGrad: true);
        x.Maximum(floor).Sum().Backward();
        Assert.Equal(new double[,] { { 0, 0.5, 1 } }, x.Grad!.ToArray());
        Assert.Equal(1.5, floor.Grad!.Item);
    }

    [Fact]
    public void Maximum_appears_in_formulas()
    {
        var a = Tensor.From(new double[,] { { 1, 5 } }, requiresGrad: true, name: "a");
        var b = Tensor.From(new double[,] { { 2, 4 } }, name: "b");
        var formula = Symbolic.FromGraph(a.Maximum(b));
        Assert.Equal("max(a, b)", formula.Text);
        Assert.Equal("\\max\\left(a, b\\right)", formula.Latex);
        Assert.Equal(new double[,] { { 2, 5 } }, formula.Evaluate().ToArray());
    }

    [Fact]
    public void Maximum_of_mismatched_shapes_names_the_op_and_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 3).Maximum(Tensor.Zeros<double>(4, 3)));
        Assert.StartsWith("Maximum: shapes (2×3) and (4×3) cannot be broadcast together", error.Message);
    }
}
