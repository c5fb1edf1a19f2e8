using AutoGrad.Derivations.Ledger;
using AutoGrad.Ledger;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;
using AutoGrad.Derivations;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Runs ledger rows as FsCheck properties: every claim of a row, on random data of the note's shapes, against the
/// note's network on the tape (and, for the derivative rows, the tape against finite differences).
/// </summary>
public static class LedgerHarness
{
    /// <summary>
    /// Cases per row. A case builds the note's network, one backward pass and, for a Jacobian claim, one vector-Jacobian
    /// product per output element: well under a millisecond at the widths drawn (≤ 8). 60 cases per row over ~190 rows
    /// keeps the ledger suite to seconds; every activation and most shape classes (1 and &gt; 1) are drawn many times.
    /// </summary>
    public const int Cases = 60;

    /// <summary>Cases per row for the finite-difference witness (one network run per input element and side).</summary>
    public const int FdCases = 12;

    /// <summary>The ids of the rows, as xunit theory data.</summary>
    public static TheoryData<string> Ids<TData>(IEnumerable<LedgerRow<TData>> rows)
    {
        var data = new TheoryData<string>();
        foreach (var row in rows)
        {
            data.Add(row.Id);
        }
        return data;
    }

    /// <summary>The ids of the rows that name the finite-difference test.</summary>
    public static TheoryData<string> FdIds<TData>(IEnumerable<LedgerRow<TData>> rows, string fdTest) =>
        Ids(rows.Where(r => r.Tests.Contains(fdTest)));

    /// <summary>The row with this id.</summary>
    public static LedgerRow<TData> Find<TData>(IEnumerable<LedgerRow<TData>> rows, string id) =>
        rows.SingleOrDefault(r => r.Id == id) ?? throw new Xunit.Sdk.XunitException($"no ledger row '{id}'");

    private static Arbitrary<TCase> Where<TCase, TData>(Arbitrary<TCase> arbitrary, Func<TCase, TData> data, Func<TData, bool> applies) =>
        Arb.From(arbitrary.Generator.Where(c => applies(data(c))), c => arbitrary.Shrinker(c).Where(s => applies(data(s))));

    /// <summary>Every claim of the row holds on every case: the note's formula equals the tape's quantity.</summary>
    public static void RowAgrees<TCase, TData>(LedgerRow<TData> row, Arbitrary<TCase> cases, Func<TCase, TData> data, Func<TData, TapeNetwork> tape, int count = Cases) =>
        RowAgrees(row, cases, data, tape, _ => 0, count);

    /// <summary>
    /// As <see cref="RowAgrees{TCase, TData}(LedgerRow{TData}, Arbitrary{TCase}, Func{TCase, TData}, Func{TData, TapeNetwork}, int)"/>,
    /// with an absolute rounding floor computed from each case's data and added to every claim's tolerance: for a
    /// note whose formulas and tape compute a difference that cancels (a − y when a ≈ y) from values that each
    /// round a little differently.
    /// </summary>
    public static void RowAgrees<TCase, TData>(LedgerRow<TData> row, Arbitrary<TCase> cases, Func<TCase, TData> data, Func<TData, TapeNetwork> tape,
        Func<TData, double> absoluteFloor, int count = Cases) =>
        Properties.Check(Where(cases, data, row.Applies), c =>
        {
            var d = data(c);
            double floor = absoluteFloor(d);
            var network = tape(d);
            var results = row.Claims(d).Select(claim => ClaimCheck.Evaluate(claim with { Absolute = claim.Absolute + floor }, network)).ToList();
            Assert.True(results.Count > 0, $"{row.Note} {row.Id}: the row makes no claim");
            foreach (var r in results)
            {
                Assert.True(r.Agrees, $"{row.Note} {row.Id}: {r.Describe()}\nnote:\n{r.Note}\ntape:\n{r.Tape}");
            }
        }, count);

    /// <summary>The tape's derivative of every claim of the row agrees with central differences on the network.</summary>
    public static void RowAgreesWithFiniteDifferences<TCase, TData>(LedgerRow<TData> row, Arbitrary<TCase> smoothCases, Func<TCase, TData> data, Func<TData, TapeNetwork> tape, int count = FdCases) =>
        Properties.Check(Where(smoothCases, data, row.Applies), c =>
        {
            var d = data(c);
            var network = tape(d);
            var targets = row.Claims(d).Select(c => c.Target).Where(t => t.Kind != TargetKind.Value).Distinct().ToList();
            Assert.True(targets.Count > 0, $"{row.Note} {row.Id}: no derivative to check");
            foreach (var target in targets)
            {
                string? failure = ClaimCheck.AgainstFiniteDifferences(target, network);
                Assert.True(failure is null, $"{row.Note} {row.Id}: {failure}");
            }
        }, count);

    /// <summary>The marker of the one failure a falsification accepts: the literal evaluated and differs from the tape.</summary>
    public const string LiteralDiffers = "LITERAL DIFFERS FROM THE TAPE";

    /// <summary>
    /// An erratum's literal, on the note's own shapes: where the erratum says it cannot multiply it throws a
    /// <see cref="ShapeException"/> with exactly the message of the shape rule the row names (stated from the shapes,
    /// independently of the literal's code); where it multiplies it equals the tape if the row says so, and otherwise
    /// differs from it — shown by FsCheck's shrunk counterexample, the only failure the falsification accepts. A
    /// literal that never multiplies has its transcription checked on shapes where it does. Returns FsCheck's report
    /// of the difference, or null when the literal never multiplies wrongly.
    /// </summary>
    public static string? ErratumLiteral<TCase, TData>(LedgerRow<TData> row, Arbitrary<TCase> cases, Func<TCase, TData> data, Func<TData, TapeNetwork> tape,
        ITestOutputHelper? output = null, int count = Cases)
    {
        Assert.True(row.Literal is not null, $"{row.Note} {row.Id}: an erratum row needs its literal");
        var applicable = Where(cases, data, row.Applies);
        int conflicts = 0, wrongInValue = 0;
        Properties.Check(applicable, c =>
        {
            var d = data(c);
            var network = tape(d);
            var literal = row.Literal!(d);
            string? expected = row.Conflict(d);
            if (expected is not null)
            {
                var error = Assert.Throws<ShapeException>(() => literal.Note());
                Assert.Equal(expected, error.Message);
                conflicts++;
            }
            else
            {
                var result = ClaimCheck.Evaluate(literal, network);
                Assert.True(result.ShapeConflict is null, $"{row.Note} {row.Id}: the literal was expected to multiply here: {result.ShapeConflict}");
                if (row.LiteralHoldsWhereItMultiplies(d))
                {
                    Assert.True(result.Agrees, $"{row.Note} {row.Id}: where it multiplies the literal should equal the tape: {result.Describe()}");
                }
                else
                {
                    wrongInValue++;
                }
            }
            if (row.Transcription is { } transcription)
            {
                var check = ClaimCheck.Evaluate(transcription(d), network);
                Assert.True(check.Agrees, $"{row.Note} {row.Id}: transcription check: {check.Describe()}");
            }
        }, count);
        Assert.True(conflicts + wrongInValue > 0, $"{row.Note} {row.Id}: in {count} cases the literal never failed: no erratum shown");
        if (wrongInValue == 0)
        {
            output?.WriteLine($"{row.Note} {row.Id}: {conflicts} of {count} cases raise the shape conflict the row names; the rest multiply and equal the tape.");
            return null;
        }
        var wrong = Where(cases, data, d => row.Applies(d) && row.Conflict(d) is null && !row.LiteralHoldsWhereItMultiplies(d));
        return AssertLiteralFalsified(wrong, c =>
        {
            var d = data(c);
            var result = ClaimCheck.Evaluate(row.Literal!(d), tape(d));
            Assert.True(result.Agrees, $"{LiteralDiffers}: {row.Note} {row.Id}: {result.Describe()}\nliteral:\n{result.Note}\ntape:\n{result.Tape}");
        }, output, count);
    }

    /// <summary>
    /// Runs the claim "the literal equals the tape" as a property and requires FsCheck to falsify it with the
    /// claim's own assertion (marked <see cref="LiteralDiffers"/>); any other exception fails the test. Returns
    /// FsCheck's report, whose "Shrunk:" part is the smallest counterexample.
    /// </summary>
    public static string AssertLiteralFalsified<TCase>(Arbitrary<TCase> arbitrary, Action<TCase> claim, ITestOutputHelper? output = null, int count = Cases)
    {
        try
        {
            Properties.Check(arbitrary, claim, count);
        }
        catch (Exception error) when (error.Message.Contains("Falsifiable", StringComparison.Ordinal) && error.Message.Contains(LiteralDiffers, StringComparison.Ordinal))
        {
            output?.WriteLine(error.Message);
            return error.Message;
        }
        throw new Xunit.Sdk.XunitException($"expected the literal formula to differ from the tape within {count} cases, but it held for all of them");
    }
}
