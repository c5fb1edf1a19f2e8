using System.Globalization;
using System.Text;

namespace AutoGrad.Derivations.Ledger;

/// <summary>
/// The ledger: every numbered equation of notes 001, 002 and 004, and every formula line of notes 000 and 003 (which
/// number nothing), with what it is and the tests that check it. README's notes section and docs/errata.md are
/// generated from it (<see cref="ErrataMarkdown"/>, <see cref="ReadmeSection"/>), and a test keeps them equal.
/// </summary>
public static class NoteLedger
{
    /// <summary>The notes, in order.</summary>
    public static readonly IReadOnlyList<string> Notes = ["000", "001", "002", "003", "004"];

    /// <summary>
    /// The notes' equation counts, counted from the notes themselves and pinned by the ledger test. Numbered: the
    /// equation numbers the note prints. Unnumbered: for 000 and 003 every displayed formula line (a line with several
    /// "=" steps is one line; an aligned block is one line per row); plus, apart, formulas stated only in the prose
    /// (000: x ∈ ℝ^n0, the five memberships under "Here", f′ = 1 for the identity; 004: the two sentences on biases).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (int Equations, int Prose)> Counts = new Dictionary<string, (int, int)>
    {
        ["000"] = (17, 7),
        ["001"] = (9, 0),
        ["002"] = (55, 0),
        ["003"] = (20, 0),
        ["004"] = (78, 2),
    };

    /// <summary>What each note is, in one line.</summary>
    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["000"] = "two layers, column vectors, L = ½‖y − ŷ‖², σ and f generic (unnumbered: formula lines)",
        ["001"] = "batched sigmoid network, L = 1/(2N) Σ (Yᵢ − ŷᵢ)², one output, element-wise sums",
        ["002"] = "chain-rule factors of a network written in scalars, C₀ = ½(a^L − y)², sigmoid derivative step by step",
        ["003"] = "handwritten: linear, then with biases, then with sigmoid activations (unnumbered: formula lines)",
        ["004"] = "single hidden layer, then N layers with row-vector gradients, L = ‖y − f‖², SGD",
    };

    /// <summary>Every row of every note, in the notes' order.</summary>
    public static IReadOnlyList<LedgerRow> All { get; } =
        [.. Ledger000.All, .. Ledger001.All, .. Ledger002.All, .. Ledger003.All, .. Ledger004Section1.All, .. Ledger004Section2.All];

    /// <summary>The rows of one note.</summary>
    public static IEnumerable<LedgerRow> Of(string note) => All.Where(r => r.Note == note);

    /// <summary>Rows whose formula, as written, equals the tape in the tape's own layout.</summary>
    public static bool Agrees(RowKind kind) => kind is RowKind.Definition or RowKind.Value or RowKind.Derivative or RowKind.Jacobian or RowKind.IndexForm or RowKind.Prose;

    private static string Plural(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    /// <summary>A note's coverage line, e.g. "004: 78 of 78 equations checked (+2 prose statements): 65 agree, 2 errata, 9 conventions, 2 repeats".</summary>
    public static string Coverage(string note)
    {
        var rows = Of(note).ToList();
        var (equations, prose) = Counts[note];
        int checkedRows = rows.Count(r => !r.Inline && r.Tests.Count > 0), checkedProse = rows.Count(r => r.Inline && r.Tests.Count > 0);
        string unit = note is "000" or "003" ? "formula lines" : "equations";
        string extra = prose > 0 ? $" (+{checkedProse} of {prose} formulas stated in the prose)" : "";
        int agree = rows.Count(r => Agrees(r.Kind));
        return $"{note}: {checkedRows} of {equations} {unit} checked{extra}: {agree} agree, {Plural(rows.Count(r => r.Kind == RowKind.Erratum), "erratum", "errata")}, " +
            $"{Plural(rows.Count(r => r.Kind == RowKind.Convention), "convention", "conventions")}, {Plural(rows.Count(r => r.Kind == RowKind.Repeat), "repeat", "repeats")}";
    }

    /// <summary>How many rows of each kind a note has.</summary>
    public static IReadOnlyDictionary<RowKind, int> Kinds(string note) =>
        Enum.GetValues<RowKind>().ToDictionary(k => k, k => Of(note).Count(r => r.Kind == k));

    private static string Tests(LedgerRow row) => string.Join(", ", row.Tests.Select(t => $"`{t}`"));

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>README's notes section (between its ledger markers), generated from the ledger.</summary>
    public static string ReadmeSection()
    {
        var text = new StringBuilder();
        text.AppendLine("| note | network | coverage (from the ledger) |");
        text.AppendLine("|---|---|---|");
        foreach (string note in Notes)
        {
            string coverage = Coverage(note);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {note} | {Cell(Titles[note])} | {Cell(coverage[(coverage.IndexOf(':', StringComparison.Ordinal) + 2)..])} |");
        }
        text.AppendLine();
        text.AppendLine("Every numbered equation of notes 001, 002 and 004, and every formula line of notes 000 and 003, is a row of the");
        text.AppendLine("ledger (`src/AutoGrad.Derivations/Ledger/`): the formula transcribed, what it is (definition, value, derivative,");
        text.AppendLine("Jacobian, index-level form, repeat, erratum, convention, prose) and the tests that check it. A test");
        text.AppendLine("(`LedgerTests`) fails if a row is missing (the counts per note are pinned), names no test, or names a test that does");
        text.AppendLine("not exist or does not run it. Each derivative row is checked three ways: the tape (`loss.Backward()`, and");
        text.AppendLine("`Autograd.Jacobian` for Jacobians), the note's own formula computed with MathNet independently of the engine (an");
        text.AppendLine("index-level form element by element for every index), and central differences on the network. Errata, conventions");
        text.AppendLine("and notation notes are in [docs/errata.md](docs/errata.md), generated from the same ledger;");
        text.AppendLine("`dotnet run --project examples/AutoGrad.Examples.NoteComparison` prints every row with its values.");
        return text.ToString();
    }

    /// <summary>docs/errata.md, generated from the ledger.</summary>
    public static string ErrataMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Errata of the derivation notes");
        text.AppendLine();
        text.AppendLine("Generated from the ledger (`src/AutoGrad.Derivations/Ledger/`) — do not edit by hand; `LedgerTests` checks that this");
        text.AppendLine("file equals what the ledger generates (set `AUTOGRAD_WRITE_DOCS=1` when running it to rewrite it).");
        text.AppendLine();
        text.AppendLine("An **erratum** is a formula that is wrong on the note's own shapes. Its test evaluates the literal formula on those");
        text.AppendLine("shapes: where it cannot multiply, it must raise the exact shape conflict named below (the message is stated from the");
        text.AppendLine("shapes, independently of the formula's code); where it multiplies, it equals the tape if the entry says so, and");
        text.AppendLine("otherwise FsCheck must find (and shrink) a case where it differs. The corrected form is checked against the tape like");
        text.AppendLine("any other row. A **convention** is a formula written in another layout (a gradient as a row): its literal equals");
        text.AppendLine("the tape's gradient transposed, exactly, so it is right as written. A **notation note** is a slip that does not make");
        text.AppendLine("a formula wrong.");
        text.AppendLine();
        text.AppendLine("## Errata");
        text.AppendLine();
        text.AppendLine("| note | where | formula as written | what is wrong | corrected | tests |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in All.Where(r => r.Kind == RowKind.Erratum))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Note} | {Cell(row.Id)} | {Cell(row.Formula)} | {Cell(row.Finding)} | {Cell(row.Corrected)} | {Tests(row)} |");
        }
        text.AppendLine();
        text.AppendLine("## Conventions (right as written, in another layout)");
        text.AppendLine();
        text.AppendLine("| note | where | formula as written | why it is right | tests |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var row in All.Where(r => r.Kind == RowKind.Convention))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Note} | {Cell(row.Id)} | {Cell(row.Formula)} | {Cell(row.Finding)} | {Tests(row)} |");
        }
        text.AppendLine();
        text.AppendLine("## Notation notes (not errors)");
        text.AppendLine();
        text.AppendLine("| note | where | note | tests |");
        text.AppendLine("|---|---|---|---|");
        foreach (var row in All.Where(r => r.NotationNote is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Note} | {Cell(row.Id)} | {Cell(row.NotationNote)} | {Tests(row)} |");
        }
        text.AppendLine();
        text.AppendLine("## Coverage");
        text.AppendLine();
        foreach (string note in Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {Coverage(note)}");
        }
        return text.ToString();
    }
}
