using System.Globalization;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Refusals write their numbers the same in every culture: ASCII digits, an ASCII hyphen-minus, no direction marks.
/// .NET formats an int with the culture's negative sign (sv-SE: U+2212 −; fa-IR and ar-SA: a direction mark before it)
/// and a double with its decimal separator (de-DE: ','), and ArgumentOutOfRangeException adds an "Actual value was …"
/// line formatted the same way. Each refusal below runs under fa-IR, sv-SE, de-DE and ar-SA and must give the text it
/// gives under the invariant culture, with no character outside ASCII but the library's own symbols (×, ·, ≤, ′, …).
/// Before the sweep (mask13), each refusal of the first two tests differed under fa-IR, sv-SE and ar-SA (StepLR's and
/// Activation.Apply's in .NET's "Actual value was" line only); the last test pins refusals that were already invariant.
/// </summary>
public class CultureInvariantRefusalTests
{
    private static readonly string[] Cultures = ["fa-IR", "sv-SE", "de-DE", "ar-SA"];

    /// <summary>Characters a culture may put into a number: a non-ASCII minus, direction marks, and non-ASCII digits.</summary>
    private static bool IsCultureMark(char c) =>
        c is '\u2212' or '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
        || (char.IsDigit(c) && c is < '0' or > '9');

    private static string MessageUnderEveryCulture(Action call)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            string invariant = Assert.ThrowsAny<ArgumentException>(call).Message;
            foreach (string name in Cultures)
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
                string message = Assert.ThrowsAny<ArgumentException>(call).Message;
                Assert.True(invariant == message, $"under {name}: \"{message}\"; invariant: \"{invariant}\"");
                Assert.DoesNotContain(message, IsCultureMark);
            }
            return invariant;
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void These_cultures_really_write_numbers_differently()
    {
        Assert.Contains(CultureInfo.GetCultureInfo("sv-SE").NumberFormat.NegativeSign, c => c == '\u2212');
        Assert.NotEqual("-1", (-1).ToString(CultureInfo.GetCultureInfo("fa-IR")));
        Assert.NotEqual("-1", (-1).ToString(CultureInfo.GetCultureInfo("ar-SA")));
        Assert.Equal("0,5", 0.5.ToString(CultureInfo.GetCultureInfo("de-DE")));
    }

    [Fact]
    public void Axis_refusals_write_a_negative_axis_with_an_ascii_hyphen()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.Contains("got -1 for a 2×3 tensor", MessageUnderEveryCulture(() => x.Max(-1)));
        Assert.Contains("got -1 for a 2×3 tensor", MessageUnderEveryCulture(() => x.Softmax(-1)));
        Assert.Contains("got -2 for a 2×3 tensor", MessageUnderEveryCulture(() => x.Sum(-2)));
        Assert.Contains("Concat(axis: -1)", MessageUnderEveryCulture(() => Tensor.Concat([x, x], -1)));
        Assert.Contains("got -1", MessageUnderEveryCulture(() => x.ArgMax(-1)));
    }

    [Fact]
    public void Size_count_and_index_refusals_write_negative_numbers_with_an_ascii_hyphen()
    {
        var random = new Random(1);
        Assert.Contains("got in -1, out 3", MessageUnderEveryCulture(() => new Linear<double>(-1, 3, random)));
        Assert.Contains("size 1 is -4", MessageUnderEveryCulture(() => new Mlp<double>([2, -4, 1], Activation.Relu, random)));
        Assert.Contains("got -3.", MessageUnderEveryCulture(() => MiniBatches.Shuffled(Tensor.Zeros<double>(4, 2), new int[4], -3, random).ToList()));
        Assert.Contains("got -1.", MessageUnderEveryCulture(() => Parallelism.MaxThreads = -1));
        Assert.Contains("-7 is not an Activation", MessageUnderEveryCulture(() => _ = new ActivationLayer<double>((Activation)(-7))));
        Assert.Contains("-7 is not an Activation", MessageUnderEveryCulture(() => ((Activation)(-7)).Apply(Tensor.Zeros<double>(1, 1))));
        Assert.Contains("got -2.", MessageUnderEveryCulture(() => Tensor.Compile<double>(t => t.Sum(), options: new CompileOptions { MaxCachedShapes = -2 })));
        Assert.Contains("label -1 of row 1", MessageUnderEveryCulture(() => Loss.CrossEntropy(Tensor.Zeros<double>(2, 3), [0, -1])));
        var adam = new Adam<double>([Tensor.Zeros<double>(1, 1, requiresGrad: true)]);
        Assert.Contains("index -1 is not a parameter's position", MessageUnderEveryCulture(() => adam.StepCount(-1)));
        Assert.Contains("at least 1 epoch; got -2.", MessageUnderEveryCulture(() => new StepLR(new Sgd<double>([Tensor.Zeros<double>(1, 1, requiresGrad: true)], 0.1), -2)));
    }

    [Fact]
    public void Refusals_already_written_invariantly_stay_so()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.Contains("index [-1, 0]", MessageUnderEveryCulture(() => _ = x[-1, 0]));
        Assert.Contains("got min 1.5, max -0.5", MessageUnderEveryCulture(() => x.Clamp(1.5, -0.5)));
        Assert.Contains("got -1.5", MessageUnderEveryCulture(() => Tensor.RandomNormal<double>(2, 2, new Random(1), std: -1.5)));
        Assert.Contains("inner dimensions 3 and 2 differ", MessageUnderEveryCulture(() => x.MatMul(x)));
    }
}
