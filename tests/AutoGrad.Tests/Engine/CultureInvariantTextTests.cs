using System.Globalization;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Issue 13's leftover: messages formatted numbers with the caller's culture (under de-DE, RandomNormal said "got -1,5").
/// Every message and every printed form (ToString, Describe, plan descriptions, operation names) writes numbers the
/// same way whatever <see cref="CultureInfo.CurrentCulture"/> is: a '.' decimal point, as C# source and PyTorch do.
/// Each check runs under de-DE (',' decimal point) and sv-SE, and compares with the text under the invariant culture.
/// </summary>
public class CultureInvariantTextTests
{
    private static readonly string[] Cultures = ["de-DE", "sv-SE", "fr-FR"];

    /// <summary>The text <paramref name="make"/> gives under each culture equals its text under the invariant culture.</summary>
    private static string SameUnderEveryCulture(Func<string> make)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            string invariant = make();
            foreach (string name in Cultures)
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
                Assert.Equal(invariant, make());
            }
            return invariant;
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    private static string MessageOf(Action call) => SameUnderEveryCulture(() => Assert.ThrowsAny<ArgumentException>(call).Message);

    [Fact]
    public void The_cultures_used_here_really_write_a_comma()
    {
        Assert.Equal("-1,5", (-1.5).ToString(CultureInfo.GetCultureInfo("de-DE")));
        Assert.Equal("-1.5", (-1.5).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Creation_messages_write_a_decimal_point()
    {
        var random = new Random(1);
        Assert.Contains("got -1.5", MessageOf(() => Tensor.RandomNormal<double>(2, 2, random, std: -1.5)));
        Assert.Contains("samples of mean 3.25E+38 and standard deviation 1.5E+37",
            MessageOf(() => Tensor.RandomNormal<float>(2, 2, random, mean: 3.25e38, std: 1.5e37)));
        Assert.Contains("got [2.5, 0.5)", MessageOf(() => Tensor.RandomUniform<double>(2, 2, random, 2.5, 0.5)));
        Assert.Contains("the bounds [0.5, 1E+39) do not fit in Single", MessageOf(() => Tensor.RandomUniform<float>(2, 2, random, 0.5, 1e39)));
        Assert.Contains("got start 0.5, end ∞", MessageOf(() => Tensor.Linspace<double>(0.5, double.PositiveInfinity, 3)).Replace("Infinity", "∞"));
        Assert.Contains("the values from 0.5 to 1E+39 do not fit in Single", MessageOf(() => Tensor.Linspace<float>(0.5, 1e39, 3)));
        Assert.Contains("[0.5, 0.25) in steps of 0.125", MessageOf(() => Tensor.Arange<double>(0.5, 0.25, 0.125)));
        Assert.Contains("the values from 0.5 in steps of 1E+38 do not fit in Single",
            MessageOf(() => Tensor.Arange<float>(0.5, 1e39, 1e38)));
    }

    [Fact]
    public void Operation_and_optimizer_messages_write_a_decimal_point()
    {
        var x = Tensor.Zeros<double>(2, 2);
        Assert.Contains("got min 1.5, max 0.5", MessageOf(() => x.Clamp(1.5, 0.5)));
        Assert.Contains("got min 1.5, max 0.5", MessageOf(() => Tensor.Zeros<float>(1, 1).Clamp(1.5f, 0.5f)));
        Assert.Contains("label 1.5 of row 0", MessageOf(() => Loss.CrossEntropyOfLabels(x, Tensor.From(new[] { 1.5, 0 }))));
        Tensor<double>[] parameters = [Tensor.Zeros<double>(1, 1, requiresGrad: true)];
        Assert.Contains("got momentum 0.5, dampening 0.25", MessageOf(() => new Sgd<double>(parameters, 0.1, momentum: 0.5, dampening: 0.25, nesterov: true)));
        var sgd = new Sgd<double>(parameters, 0.1);
        string rate = MessageOf(() => sgd.LearningRate = -0.5);
        Assert.Contains("got -0.5", rate);
        Assert.DoesNotContain("0,5", rate); // nor in .NET's "Actual value was …" line
        Assert.Contains("got -0.5", MessageOf(() => new StepLR(sgd, 2, gamma: -0.5)));
        Assert.Contains("got eps -0.5, atol 0.25, rtol 0.125",
            MessageOf(() => GradCheck.Run<double>(t => t[0].Sum(), [Tensor.Zeros<double>(1, 1, requiresGrad: true)], -0.5, 0.25, 0.125)));
    }

    [Fact]
    public void ToString_names_and_plan_descriptions_write_a_decimal_point()
    {
        var w = Tensor.FromRowMajor<double>(1, 2, [1.5, 2.25], requiresGrad: true, name: "w");
        Assert.Equal("Tensor<Double> 1×2 'w' requiresGrad [[1.5, 2.25]]", SameUnderEveryCulture(w.ToString));
        Assert.Contains("from Pow(0.5)", SameUnderEveryCulture(() => w.Pow(0.5).ToString()));
        Assert.Contains("from Clamp(-0.5, 0.5)", SameUnderEveryCulture(() => w.Clamp(-0.5, 0.5).ToString()));
        Assert.Contains("[[0.125, 2.5]]", SameUnderEveryCulture(() => Tensor.FromRowMajor<float>(1, 2, [0.125f, 2.5f]).ToString()));
        var p = Tensor.Full<double>(2, 2, 0.5, requiresGrad: true);
        var step = Tensor.Compile<double>(x => (x * p).Pow(1.5).Sum());
        step.Run(Tensor.Full<double>(2, 2, 0.5));
        string plan = SameUnderEveryCulture(step.DescribePlan);
        Assert.Contains("Pow(1.5)", plan);
        Assert.DoesNotContain("1,5", plan);
        GradCheckReport report = GradCheck.Run<double>(t => t[0].Pow(1.5).Sum(), [Tensor.Full<double>(1, 1, 0.5, requiresGrad: true)]);
        Assert.Contains("eps 1E-06", SameUnderEveryCulture(report.ToString));
    }
}
