using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Session fifteen, run C survivors of <c>LaneSums.cs</c>: an inner product of spans of unequal lengths is refused (an
/// internal error: every caller passes equal lengths) at every width, before anything is read.
/// </summary>
public class LaneSumsBoundaryTests
{
    [Fact]
    public void Spans_of_unequal_lengths_are_refused_at_every_width_naming_both_lengths()
    {
        double[] x = [1, 2, 3], y = [4, 5];
        var refusals = new[]
        {
            Assert.Throws<ArgumentException>(() => LaneSums.Dot<double>(x, y)),
            Assert.Throws<ArgumentException>(() => LaneSums.Reduce<double, Math512<double>, LaneSums.ProductTerm>(x, y)),
            Assert.Throws<ArgumentException>(() => LaneSums.Reduce<double, Math256<double>, LaneSums.ProductTerm>(x, y)),
            Assert.Throws<ArgumentException>(() => LaneSums.Reduce<double, Math128<double>, LaneSums.ProductTerm>(x, y)),
        };
        foreach (ArgumentException e in refusals)
        {
            Assert.Equal("y", e.ParamName);
            Assert.StartsWith("A lane sum of 3 and 2 elements (internal error).", e.Message, StringComparison.Ordinal);
        }
        float[] longer = new float[40], shorter = new float[39];
        Assert.StartsWith("A lane sum of 40 and 39 elements (internal error).",
            Assert.Throws<ArgumentException>(() => LaneSums.Dot<float>(longer, shorter)).Message, StringComparison.Ordinal);
    }
}
