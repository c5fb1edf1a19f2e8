using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>Results are allocated without zeroing; the suite depends on the NaN poisoning that makes a gap visible.</summary>
public class UninitializedMemoryTests
{
    [Fact]
    public void The_suite_runs_with_uninitialised_results_poisoned()
    {
        Assert.True(Tensor<double>.PoisonUninitializedMemory);
        Assert.True(Tensor<float>.PoisonUninitializedMemory);
        Assert.All(Tensor<double>.Uninitialized(new Shape(3, 700)).ToFlatArray(), v => Assert.True(double.IsNaN(v)));
        Assert.All(Tensor<float>.Uninitialized(new Shape(1, 5)).ToFlatArray(), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Every_element_of_a_result_is_written_even_when_its_memory_starts_as_nan()
    {
        // Shapes that exercise edge tiles, broadcasting and both reduction axes; any unwritten element would be NaN.
        var random = new Random(7);
        var a = Tensor.RandomNormal<double>(37, 19, random);
        var b = Tensor.RandomNormal<double>(19, 41, random);
        var row = Tensor.RandomNormal<double>(1, 41, random);
        var column = Tensor.RandomNormal<double>(37, 1, random);
        Tensor<double>[] results =
        [
            a.MatMul(b), Tensor<double>.MatMul(a, a, true, false), Tensor<double>.MatMul(b, b, false, true),
            a.MatMul(b) + row, a.MatMul(b) * column, a.Sigmoid(), a.Tanh(), a.Relu(), a.Square(), a.Exp(), a.Pow(3.0),
            a.Transpose(), a.Sum(0), a.Sum(1), row.BroadcastTo(new Shape(37, 41)), column.BroadcastTo(new Shape(37, 41)),
        ];
        foreach (var result in results)
        {
            Assert.All(result.ToFlatArray(), v => Assert.False(double.IsNaN(v)));
        }
    }
}
