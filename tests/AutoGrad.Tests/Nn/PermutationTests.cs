using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>MiniBatches.Permutation's refusal names the operation (adversarial review, session nine: the message was .NET's generic one).</summary>
public class PermutationTests
{
    [Fact]
    public void Permutation_of_a_negative_count_names_itself()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MiniBatches.Permutation(-1, new Random(0)));
        Assert.StartsWith("MiniBatches.Permutation: the count must be at least 0; got -1.", error.Message);
    }
}
