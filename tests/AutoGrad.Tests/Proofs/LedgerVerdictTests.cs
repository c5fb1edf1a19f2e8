using AutoGrad.Derivations.Ledger;
using AutoGrad.Ledger;
using Xunit;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Proofs;

/// <summary>
/// Every derivative row of the ledger (notes 000–002 for now) gets a symbolic verdict: its ASCII formula against the
/// tape's gradient. A derivative, index form (in its matrix form) or repeat is proved; a convention is proved or
/// proved up to ᵀ; an erratum's ASCII (its corrected form) is proved — the literal errata are refuted in
/// <see cref="NoteFormulaProofTests"/>, with the tape's values.
/// </summary>
public class LedgerVerdictTests(ITestOutputHelper output)
{
    public static TheoryData<string> Notes => [.. SymbolicVerdicts.Notes];

    [Theory]
    [MemberData(nameof(Notes))]
    public void Every_derivative_row_of_the_note_is_proved(string note)
    {
        var rows = Ledger(note);
        var verdicts = SymbolicVerdicts.For(rows);
        int proved = 0;
        foreach (var (row, target, verdict) in verdicts)
        {
            output.WriteLine($"{row.Id,-12} {row.Kind,-10} ∂L/∂{target ?? "—",-6} {verdict?.Word ?? "—",-16} {row.Ascii}");
            bool derivative = row.Kind is RowKind.Derivative or RowKind.IndexForm or RowKind.Convention or RowKind.Erratum or RowKind.Repeat;
            if (!derivative || row.Ascii is null || (row.Kind == RowKind.Repeat && target is null)) continue;
            Assert.True(target is not null, $"{note} {row.Id}: no gradient target read from {row.Formula}");
            Assert.NotNull(verdict);
            var expected = row.Kind == RowKind.Convention ? [ProofVerdict.Proved, ProofVerdict.ProvedUpToTranspose] : new[] { ProofVerdict.Proved };
            Assert.True(expected.Contains(verdict!.Verdict), $"{note} {row.Id} ({row.Kind}) {row.Ascii}: {verdict}");
            proved++;
        }
        Assert.True(proved > 0, $"note {note}: no derivative row got a verdict");
    }

    private static IReadOnlyList<LedgerRow> Ledger(string note) => note switch
    {
        "000" => Ledger000.All,
        "001" => Ledger001.All,
        "002" => Ledger002.All,
        _ => [.. Ledger004Section1.All, .. Ledger004Section2.All],
    };
}
