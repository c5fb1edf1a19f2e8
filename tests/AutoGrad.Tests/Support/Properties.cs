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

    /// <summary>Checks <paramref name="property"/> on <paramref name="cases"/> random inputs; a failure throws with the shrunk counterexample.</summary>
    public static void Check<TCase>(Arbitrary<TCase> arbitrary, Action<TCase> property, int cases = DefaultCases) =>
        Prop.ForAll(arbitrary, property).Check(Config.QuickThrowOnFailure.WithMaxTest(cases));

    /// <summary>
    /// Tolerances for GradCheck in double with eps = 1e-6: central differences have truncation error
    /// O(eps²·f‴) ≈ 1e-12·|f‴| and rounding error about 1e-16·|f|/eps ≈ 1e-10·|f|. With values kept within
    /// ±3 (and away from poles), both stay below 1e-7, so atol 1e-6 with rtol 1e-5 has a wide margin yet catches
    /// any wrong rule, whose errors are of the order of the gradient itself.
    /// </summary>
    public static void AssertGradCheck(Func<Tensor<double>[], Tensor<double>> function, params Tensor<double>[] inputs)
    {
        GradCheckReport report = GradCheck.Run(function, inputs, eps: 1e-6, atol: 1e-6, rtol: 1e-5);
        if (!report.Passed)
        {
            throw new Xunit.Sdk.XunitException(report.ToString());
        }
    }
}
