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

    // Every operation's result and gradients with poisoned memory: Catalogue/CatalogueTests.cs.
}
