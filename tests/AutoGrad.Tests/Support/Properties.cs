using AutoGrad;
using FsCheck;
using FsCheck.Fluent;

namespace AutoGrad.Tests.Support;

/// <summary>Runs FsCheck properties from xunit facts (FsCheck.Xunit is not available here).</summary>
public static class Properties
{
    /// <summary>
    /// The default number of cases. 100 random cases over shapes of at most 6×6 reach every shape
    /// combination class (equal, row, column, scalar) many times, and the whole op suite stays in seconds.
    /// </summary>
    public const int DefaultCases = 100;

    /// <summary>
    /// Multiplies every property's number of cases: 1 unless the environment variable <c>AUTOGRAD_PROPERTY_SCALE</c> says
    /// otherwise. A soak run (<c>AUTOGRAD_PROPERTY_SCALE=20</c>) looks for the rare case a CI run would meet one day.
    /// </summary>
    public static readonly int Scale =
        int.TryParse(Environment.GetEnvironmentVariable("AUTOGRAD_PROPERTY_SCALE"), out int scale) && scale > 0 ? scale : 1;

    /// <summary>
    /// The environment variable that fixes the first random seed of every property (a decimal number): unset, each run
    /// draws new cases; set, every run draws the same ones. <c>.ci/run</c> sets it, so a clean clone checks exactly
    /// the cases the last commit was checked on; runs without it keep looking for new counterexamples.
    /// </summary>
    public const string SeedVariable = "AUTOGRAD_PROPERTY_SEED";

    /// <summary>FsCheck's configuration for <paramref name="cases"/> cases (times <see cref="Scale"/>), seeded by <see cref="SeedVariable"/> if set.</summary>
    public static Config Configuration(int cases) =>
        Replaying(ReplayVariable)
        ?? Configuration(cases, ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out ulong seed) ? seed : null);

    /// <summary>
    /// The configuration that runs exactly one case, the one <paramref name="variable"/> names as FsCheck's replay
    /// triple <c>seed,gamma,size</c>; null when the variable is unset.
    /// </summary>
    public static Config? Replaying(string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } replay)
        {
            return null;
        }
        string[] fields = replay.Split(',');
        var parts = new ulong[fields.Length];
        if (fields.Length != 3 || !fields.Select((f, i) => ulong.TryParse(f.Trim(' ', '(', ')'), System.Globalization.CultureInfo.InvariantCulture, out parts[i])).All(ok => ok))
        {
            throw new ArgumentException(
                $"{variable} is \"{replay}\"; it takes FsCheck's replay triple \"seed,gamma,size\" (three whole numbers), as a failure prints it.");
        }
        return Config.QuickThrowOnFailure.WithMaxTest(1).WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(
            new Replay(new Rnd(parts[0], parts[1]), Microsoft.FSharp.Core.FSharpOption<int>.Some((int)parts[2]))));
    }

    /// <summary>
    /// The environment variable that replays one failing case of a property (run it with a test filter naming that
    /// property): FsCheck's "Replay directly at failing step with (seed, gamma, size)", written <c>seed,gamma,size</c>.
    /// </summary>
    public const string ReplayVariable = "AUTOGRAD_PROPERTY_REPLAY";

    /// <summary>FsCheck's configuration for <paramref name="cases"/> cases (times <see cref="Scale"/>), from <paramref name="seed"/> if given.</summary>
    public static Config Configuration(int cases, ulong? seed)
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(cases * Scale);
        if (seed is not null)
        {
            config = config.WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(
                new Replay(Seeded(seed.Value), Microsoft.FSharp.Core.FSharpOption<int>.None)));
        }
        return config;
    }

    /// <summary>FsCheck's random state for a decimal seed (any odd gamma; this one is the golden ratio's).</summary>
    private static Rnd Seeded(ulong seed) => new(seed, 0x9E3779B97F4A7C15UL);

    /// <summary>
    /// <paramref name="count"/> values of <paramref name="generator"/> at <paramref name="size"/>: from the seed of
    /// <see cref="SeedVariable"/> if set (so CI samples the same values every run), else from a new seed.
    /// </summary>
    public static T[] Sample<T>(Gen<T> generator, int size, int count) =>
        ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out ulong seed)
            ? generator.Sample(count, Seeded(seed), size).ToArray()
            : generator.Sample(count, size).ToArray(); // FsCheck's Fluent Sample takes the number of values first

    /// <summary>
    /// Checks <paramref name="property"/> on <paramref name="cases"/> random inputs (times <see cref="Scale"/>); a failure
    /// throws with the shrunk counterexample.
    /// </summary>
    public static void Check<TCase>(Arbitrary<TCase> arbitrary, Action<TCase> property, int cases = DefaultCases) =>
        Prop.ForAll(arbitrary, property).Check(Configuration(cases));

    /// <summary>
    /// Tolerances for GradCheck in double with eps = 1e-6. Central differences have two errors: truncation,
    /// O(eps²·f‴) ≈ 1e-12·|f‴|, and rounding, about u·|f|/eps ≈ 1e-16·|f|/1e-6 = 1e-10·|f| (u the unit roundoff,
    /// f the output element). With inputs within ±3 (and away from poles) truncation stays below 1e-7, so atol 1e-6
    /// with rtol 1e-5 has a wide margin — but rounding grows with the output itself, and a fuzzed graph that squares
    /// twice reaches |f| ≈ 1e4, where 1e-10·|f| is the whole 1e-6. So atol carries a rounding term of
    /// 1e-9·max|f|, ten times the estimate. A wrong rule is still caught: its error is of the order of the
    /// gradient itself, not of 1e-9 of the output.
    /// </summary>
    public static void AssertGradCheck(Func<Tensor<double>[], Tensor<double>> function, params Tensor<double>[] inputs) =>
        AssertGradCheck(function, 0, inputs);

    /// <summary>
    /// <see cref="AssertGradCheck(Func{Tensor{double}[], Tensor{double}}, Tensor{double}[])"/> for a function whose
    /// output is a sum of terms that can cancel: its rounding is that of the terms, <paramref name="termScale"/> = Σ|term|,
    /// not of the (smaller) sum, so the rounding allowance is 1e-9·max(max|f|, termScale).
    /// </summary>
    public static void AssertGradCheck(Func<Tensor<double>[], Tensor<double>> function, double termScale, params Tensor<double>[] inputs)
    {
        double largestOutput = function(inputs).ToFlatArray().Select(Math.Abs).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        double roundingScale = Math.Max(largestOutput, double.IsFinite(termScale) ? termScale : 0);
        GradCheckReport report = GradCheck.Run(function, inputs, eps: 1e-6, atol: 1e-6 + 1e-9 * roundingScale, rtol: 1e-5);
        if (!report.Passed)
        {
            throw new Xunit.Sdk.XunitException(report.ToString());
        }
    }
}
