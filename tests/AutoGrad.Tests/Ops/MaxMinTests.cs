using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>Max/Min along an axis, and ArgMax/ArgMin.</summary>
public class MaxMinTests
{
    /// <summary>
    /// Matrices without ties: grid values 0.001 apart, each nudged by its index times 1e-5, so any two differ by at least
    /// 1e-5, ten times GradCheck's step. No shrinking: shrunk values would tie.
    /// </summary>
    private static readonly FsCheck.Arbitrary<(Matrix m, int axis)> DistinctMatrixAndAxis =
        Arb.From(from m in Gens.Matrix(Gens.Value) from axis in Gen.Elements(0, 1)
                 select (m with { Values = m.Values.Select((v, i) => v + i * 1e-5).ToArray() }, axis), _ => []);

    [Fact]
    public void Max_gradient_matches_finite_differences() =>
        Properties.Check(DistinctMatrixAndAxis, c => Properties.AssertGradCheck(x => x[0].Max(c.axis), c.m.ToTensor()));

    [Fact]
    public void Min_gradient_matches_finite_differences() =>
        Properties.Check(DistinctMatrixAndAxis, c => Properties.AssertGradCheck(x => x[0].Min(c.axis), c.m.ToTensor()));

    [Fact]
    public void Max_and_min_are_the_lane_extremes_at_argmax_and_argmin() =>
        Properties.Check(Arb.From(from m in Gens.Matrix(Gens.Value) from axis in Gen.Elements(0, 1) select (m, axis)), c =>
        {
            var x = c.m.ToTensor(requiresGrad: false);
            var max = x.Max(c.axis).ToFlatArray();
            var min = x.Min(c.axis).ToFlatArray();
            int[] argMax = x.ArgMax(c.axis), argMin = x.ArgMin(c.axis);
            for (int lane = 0; lane < max.Length; lane++)
            {
                double[] values = Enumerable.Range(0, c.axis == 1 ? c.m.Cols : c.m.Rows).Select(k => c.axis == 1 ? c.m[lane, k] : c.m[k, lane]).ToArray();
                Assert.Equal(values.Max(), max[lane]);
                Assert.Equal(values.Min(), min[lane]);
                Assert.Equal(Array.IndexOf(values, values.Max()), argMax[lane]); // the first on ties
                Assert.Equal(Array.IndexOf(values, values.Min()), argMin[lane]);
            }
        });

    [Fact]
    public void With_ties_the_gradient_goes_to_the_index_pytorch_returns()
    {
        // m = torch.tensor([[1., 3., 3.], [2., 2., 1.]]); v, i = m.max(1) → v [3, 2], i [1, 0]; grad [[0, 1, 0], [1, 0, 0]]
        // m.min(0) → [1, 2, 1], indices [0, 1, 1]; grad [[1, 0, 0], [0, 1, 1]] (float64 and float32 alike)
        var m = Tensor.From(new double[,] { { 1, 3, 3 }, { 2, 2, 1 } }, requiresGrad: true);
        Assert.Equal([3.0, 2.0], m.Max(1).ToFlatArray());
        Assert.Equal([1, 0], m.ArgMax(1));
        m.Max(1).Sum().Backward();
        Assert.Equal(new double[,] { { 0, 1, 0 }, { 1, 0, 0 } }, m.Grad!.ToArray());
        m.ZeroGrad();
        Assert.Equal([1.0, 2.0, 1.0], m.Min(0).ToFlatArray());
        Assert.Equal([0, 1, 1], m.ArgMin(0));
        m.Min(0).Sum().Backward();
        Assert.Equal(new double[,] { { 1, 0, 0 }, { 0, 1, 1 } }, m.Grad!.ToArray());
        Assert.Equal([1, 0, 0], m.ArgMax(0));

        var f = Tensor.From(new float[,] { { 1, 3, 3 }, { 2, 2, 1 } }, requiresGrad: true);
        f.Max(1).Sum().Backward();
        Assert.Equal(new float[,] { { 0, 1, 0 }, { 1, 0, 0 } }, f.Grad!.ToArray());
    }

    [Fact]
    public void Recorded_gradient_with_ties_also_goes_to_the_returned_index()
    {
        var m = Tensor.From(new double[,] { { 1, 3, 3 }, { 2, 2, 1 } }, requiresGrad: true);
        var g = Autograd.Grad((m.Max(1) * 2.0).Sum(), [m], createGraph: true)[0];
        Assert.Equal(new double[,] { { 0, 2, 0 }, { 2, 0, 0 } }, g.ToArray());
    }

    [Fact]
    public void Nan_wins_both_max_and_min_as_in_pytorch()
    {
        // torch.tensor([[nan, 1.]]).max(1) → (nan, 0); .min(1) → (nan, 0); [[inf, 1.]].min(1) → (1, 1)
        var x = Tensor.From(new double[,] { { 1, double.NaN, 2 } });
        Assert.True(double.IsNaN(x.Max(1).Item));
        Assert.True(double.IsNaN(x.Min(1).Item));
        Assert.Equal([1], x.ArgMax(1));
        Assert.Equal([1], x.ArgMin(1));
    }

    [Fact]
    public void Max_of_an_axis_resolves_to_the_library_op_not_to_linq()
    {
        var x = Tensor.From(new double[,] { { 1, 5 }, { 7, 2 } });
        Tensor<double> rowMax = x.Max(1); // would be Enumerable.Max if Tensor<T> were IEnumerable<T>
        Assert.Equal([5.0, 7.0], rowMax.ToFlatArray());
        Assert.False(typeof(System.Collections.IEnumerable).IsAssignableFrom(typeof(Tensor<double>)));
    }

    [Fact]
    public void A_bad_axis_names_the_op_the_axis_and_the_shape()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.StartsWith("Max: axis must be 0 (down the rows) or 1 (across the columns) for a 2-D tensor; got 2 for a 2×3 tensor.",
            Assert.Throws<ArgumentOutOfRangeException>(() => x.Max(2)).Message);
        Assert.StartsWith("Min: axis must be 0", Assert.Throws<ArgumentOutOfRangeException>(() => x.Min(-1)).Message);
        Assert.StartsWith("ArgMax: axis must be 0", Assert.Throws<ArgumentOutOfRangeException>(() => x.ArgMax(5)).Message);
        Assert.StartsWith("ArgMin: axis must be 0", Assert.Throws<ArgumentOutOfRangeException>(() => x.ArgMin(5)).Message);
    }
}
