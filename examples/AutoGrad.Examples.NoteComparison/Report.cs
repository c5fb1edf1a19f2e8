using System.Globalization;
using System.Text;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Ledger;
using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Examples.NoteComparison;

/// <summary>Prints ledger rows with their values, wrapped to the terminal's width, coloured only on a terminal.</summary>
public sealed class Report(int width, bool color)
{
    /// <summary>Claims evaluated, and how many of them did not come out as the ledger says.</summary>
    public int Claims { get; private set; }

    /// <summary>Claims that disagree with what the ledger says.</summary>
    public int Unexpected { get; private set; }

    private string Paint(string text, string code) => color ? $"\u001b[{code}m{text}\u001b[0m" : text;

    /// <summary>Writes text wrapped to the width, the first line after <paramref name="lead"/>, the rest indented to its length.</summary>
    public void Wrap(string lead, string text, string? paintedLead = null)
    {
        int indent = lead.Length, room = Math.Max(20, width - indent);
        var line = new StringBuilder();
        bool first = true;
        foreach (string word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > room)
            {
                Console.WriteLine((first ? paintedLead ?? lead : new string(' ', indent)) + line);
                first = false;
                line.Clear();
            }
            line.Append(line.Length > 0 ? " " : "").Append(word);
        }
        Console.WriteLine((first ? paintedLead ?? lead : new string(' ', indent)) + line);
    }

    /// <summary>A matrix in a few characters: its shape and first values.</summary>
    public static string Show(Matrix<double>? m)
    {
        if (m is null)
        {
            return "—";
        }
        var values = m.ToRowMajorArray();
        string shown = string.Join(", ", values.Take(3).Select(v => v.ToString("G4", CultureInfo.InvariantCulture)));
        return $"{m.RowCount}×{m.ColumnCount} [{shown}{(values.Length > 3 ? ", …" : "")}]";
    }

    private static string Kind(RowKind kind) => kind switch
    {
        RowKind.IndexForm => "index-level form",
        RowKind.Repeat => "repeat",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private void Result(ClaimResult r, bool expectAgreement, string prefix = "")
    {
        Claims++;
        bool asExpected = r.Agrees == expectAgreement;
        if (!asExpected)
        {
            Unexpected++;
        }
        string verdict = r.Agrees ? "agrees" : r.ShapeConflict is not null ? "shape conflict" : "differs";
        string mark = r.Agrees ? Paint("✓", "32") : Paint("✗", asExpected ? "33" : "31");
        string values = r.Claim.ShapeOnly ? $"shape {(r.Note is null ? "—" : $"{r.Note.RowCount}×{r.Note.ColumnCount}")}, tape {Show(r.Tape)}"
            : r.ShapeConflict is not null
            ? $"{r.ShapeConflict} Tape: {Show(r.Tape)}."
            : $"note {Show(r.Note)}, tape{(r.Claim.Transposed ? "ᵀ" : "")} {Show(r.Tape)}, max |Δ| {(double.IsFinite(r.MaxDifference) ? r.MaxDifference.ToString("0.0E+0", CultureInfo.InvariantCulture) : "—")}";
        Wrap("      ", $"{prefix}{r.Claim.Label} ({r.Claim.Target}): {verdict}; {values}", $"    {mark} ");
    }

    private string PaintVerdict(ProofResult proof) => proof.Verdict switch
    {
        ProofVerdict.Proved => Paint(proof.Word, "32"),
        ProofVerdict.ProvedUpToTranspose => Paint(proof.Word, "36"),
        _ => Paint(proof.Word, "31"),
    };

    /// <summary>Prints every row of a note (or section): its formula, each claim evaluated on the first data variant it applies to.</summary>
    public void Rows<TData>(IEnumerable<LedgerRow<TData>> rows, IReadOnlyList<TData> variants, Func<TData, TapeNetwork> tape)
    {
        var tapes = new Dictionary<int, TapeNetwork>();
        var symbolic = SymbolicVerdicts.For([.. rows]);
        int index = -1;
        foreach (var row in rows)
        {
            index++;
            int v = Enumerable.Range(0, variants.Count).FirstOrDefault(i => row.Applies(variants[i]), -1);
            string head = $"{row.Id} ";
            string kind = row.Kind == RowKind.Repeat ? $"repeat of {row.RepeatOf}" : Kind(row.Kind);
            string painted = row.Kind switch { RowKind.Erratum => Paint(kind.ToUpperInvariant(), "33;1"), RowKind.Convention => Paint(kind, "36"), _ => kind };
            Wrap("  " + new string(' ', head.Length + kind.Length + 3), row.Formula, $"  {head}[{painted}] ");
            if (v < 0)
            {
                Unexpected++;
                Wrap("      ", "no data variant here fits this row", "    ! ");
                continue;
            }
            var data = variants[v];
            var network = tapes.TryGetValue(v, out var t) ? t : tapes[v] = tape(data);
            if (row.Literal is { } literal)
            {
                Result(ClaimCheck.Evaluate(literal(data), network), expectAgreement: row.Conflict(data) is null && row.LiteralHoldsWhereItMultiplies(data), "as written — ");
            }
            foreach (var claim in row.Claims(data))
            {
                Result(ClaimCheck.Evaluate(claim, network), expectAgreement: true, row.Kind == RowKind.Erratum && !claim.Label.StartsWith("corrected", StringComparison.Ordinal) ? "corrected — " : "");
            }
            if (symbolic[index].Verdict is { } proof)
            {
                string what = row.Kind == RowKind.Erratum ? "corrected, " : "";
                Wrap($"    symbolically {proof.Word}: ", $"{what}{row.Ascii} against the tape's formula — {proof.Reason}", $"    symbolically {PaintVerdict(proof)}: ");
            }
            if (symbolic[index].Literal is { } literalProof)
            {
                Wrap($"    symbolically {literalProof.Word}: ", $"as written, {row.LiteralAscii} — {literalProof.Reason}" +
                    (literalProof.Counterexample is { } c ? $" at {string.Join(", ", c.Sizes.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} = {s.Value}"))}" +
                        (c.ShapeConflict is null ? "" : $": {c.ShapeConflict}") : ""), $"    symbolically {PaintVerdict(literalProof)}: ");
            }
            if (row.Finding is not null)
            {
                Wrap("      ", $"{(row.Kind == RowKind.Erratum ? "what is wrong" : "why it is right")}: {row.Finding}");
            }
            if (row.NotationNote is not null)
            {
                Wrap("      ", $"notation: {row.NotationNote}");
            }
        }
    }
}
