using System.Globalization;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// A refused negative size is written with an ASCII hyphen whatever the thread's culture: Swedish writes −1 (U+2212)
/// and Persian adds a left-to-right mark before it, so a message formatted in the current culture differed by machine
/// (review of session nine: the messages of <c>new Shape</c>, <c>MiniBatches.Permutation</c>, the tensor makers and
/// <c>Reshape</c>).
/// </summary>
public class NegativeNumberMessageTests
{
    private static string MessageUnder<TException>(string culture, Action call) where TException : Exception
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            return Assert.Throws<TException>(call).Message;
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("sv-SE")]
    [InlineData("fa-IR")]
    public void Negative_sizes_are_written_with_an_ascii_hyphen(string culture)
    {
        Assert.NotEqual("-", CultureInfo.GetCultureInfo(culture).NumberFormat.NegativeSign); // the culture really differs
        Assert.StartsWith("Shape: a -1×3 shape has a negative size",
            MessageUnder<ArgumentOutOfRangeException>(culture, () => _ = new Shape(-1, 3)));
        Assert.StartsWith("MiniBatches.Permutation: the count must be at least 0; got -1.",
            MessageUnder<ArgumentOutOfRangeException>(culture, () => MiniBatches.Permutation(-1, null)));
        Assert.StartsWith("Tensor.Zeros: a tensor needs at least one row and one column; got -1×3.",
            MessageUnder<ArgumentOutOfRangeException>(culture, () => Tensor.Zeros<double>(-1, 3)));
        Assert.StartsWith("Reshape: a 2×3 tensor cannot be reshaped to -2×-3",
            MessageUnder<ArgumentException>(culture, () => Tensor.Zeros<double>(2, 3).Reshape(-2, -3)));
    }

    [Theory]
    [InlineData("sv-SE")]
    [InlineData("fa-IR")]
    public void Negative_indices_are_written_with_an_ascii_hyphen(string culture)
    {
        var t = Tensor.Zeros<double>(2, 3);
        Assert.StartsWith("Indexer: index [-1, 0] is outside a 2×3 tensor.",
            MessageUnder<ArgumentOutOfRangeException>(culture, () => _ = t[-1, 0]));
        Assert.StartsWith("Indexer: index [0, -2] is outside a 2×3 tensor.",
            MessageUnder<ArgumentOutOfRangeException>(culture, () => t[0, -2] = 1.0));
        Assert.StartsWith("Gather: row index -1 at position 1 is outside a 2×3 tensor (rows 0..1).",
            MessageUnder<ArgumentOutOfRangeException>(culture, () => t.Gather([0, -1])));
        Assert.StartsWith("Slice: rows -1..1 and columns 0..3 (end exclusive) are not a non-empty block of a 2×3 tensor.",
            MessageUnder<ArgumentOutOfRangeException>(culture, () => t.Slice(-1, 2, 0, 3)));
        Assert.Contains(" are -3..2 (end exclusive)", MessageUnder<ArgumentOutOfRangeException>(culture, () => _ = t[^5.., ..]));
    }
}
