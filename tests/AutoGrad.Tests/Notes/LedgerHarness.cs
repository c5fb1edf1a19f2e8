using AutoGrad.Derivations.Ledger;
using AutoGrad.Ledger;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

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
        Properties.Check(Where(cases, data, row.Applies), c =>
        {
            var d = data(c);
            var results = ClaimCheck.Evaluate(row, d, tape(d));
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
}
