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
    /// The notes' equation counts: constants typed by hand after counting the notes (which are not in this repository;
    /// no test reads them), pinned by the ledger test against the rows. Numbered: the equation numbers the note prints.
    /// Unnumbered: for 000 and 003 every formula line (a line with several "=" steps is one line; an aligned block is
    /// one line per row). Prose: formulas stated only in the prose, counted apart by the policy in <see cref="ProsePolicy"/>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (int Equations, int Prose)> Counts = new Dictionary<string, (int, int)>
    {
        ["000"] = (17, 7),
        ["001"] = (9, 0),
        ["002"] = (55, 0),
        ["003"] = (20, 0),
        ["004"] = (78, 2),
    };

    /// <summary>Which formulas stated only in the prose have rows (and which do not), exactly.</summary>
    public const string ProsePolicy =
        "Formulas stated only in the prose: note 000 has a row for every one (7: x ∈ ℝ^n0, the five memberships, f′ = 1 for the identity); " +
        "note 004 only for the two sentences on biases, which change the network the displayed equations describe. No other prose formula " +
        "has a row: not 004's dependence statements (fᵢ = fᵢ(Wᵢ₁ … W_iH), hⱼ = hⱼ(gⱼ), L = L(f …), fᵢ = fᵢ(h^N …)), h⁰ ≡ x, (∂h/∂g)ᵢᵢ = σ′(gᵢ) " +
        "or h^N_i = σ^N(g^N_i); not 001's bullet formulas under (6) and (8) (the rows for (6) and (8) compare those factors with the tape); " +
        "not 002's σ(z) = 1/(1 + e^−z), a^L = σ(z^L) or z^L = W^L a^(L−1) + b^L.";

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

    private static string Plural(int n, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");

    /// <summary>
    /// A note's coverage line, e.g. "004: 78 of 78 equations have a row naming a test (+2 rows for prose sentences): 65 agree, …".
    /// Counted from the ledger's own data: a row "names a test" when its test list is not empty (the ledger test then
    /// checks that each named method exists and, for a theory, runs the row) — it is not a test result.
    /// </summary>
    public static string Coverage(string note)
    {
        var rows = Of(note).ToList();
        var (equations, prose) = Counts[note];
        int named = rows.Count(r => !r.Inline && r.Tests.Count > 0), namedProse = rows.Count(r => r.Inline && r.Tests.Count > 0);
        string unit = note is "000" or "003" ? "formula lines" : "equations";
        string extra = prose > 0 ? $" (+{Plural(namedProse, "row", "rows")} for prose formulas)" : "";
        int agree = rows.Count(r => Agrees(r.Kind));
        return string.Create(CultureInfo.InvariantCulture, $"{note}: {named} of {equations} {unit} have a row naming a test{extra}: {agree} agree, {Plural(rows.Count(r => r.Kind == RowKind.Erratum), "erratum", "errata")}, ") +
            $"{Plural(rows.Count(r => r.Kind == RowKind.Convention), "convention", "conventions")}, {Plural(rows.Count(r => r.Kind == RowKind.Repeat), "repeat", "repeats")}";
    }

    /// <summary>How many rows of each kind a note has.</summary>
    public static IReadOnlyDictionary<RowKind, int> Kinds(string note) =>
        Enum.GetValues<RowKind>().ToDictionary(k => k, k => Of(note).Count(r => r.Kind == k));

    private static string Tests(LedgerRow row) => string.Join(", ", row.Tests.Select(t => $"`{t}`"));

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>
    /// A section of docs/errata.md: its heading, then a table with a line per row — the note, where, the given
    /// <paramref name="columns"/> (<paramref name="cells"/> of the row, escaped) and the tests — and a blank line.
    /// </summary>
    private static void AppendTable(StringBuilder text, string heading, string[] columns, IEnumerable<LedgerRow> rows, Func<LedgerRow, string?[]> cells)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"## {heading}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| note | where | {string.Join(" | ", columns)} | tests |");
        text.AppendLine(string.Concat(Enumerable.Repeat("|---", columns.Length + 3)) + "|");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Note} | {Cell(row.Id)} | {string.Join(" | ", cells(row).Select(Cell))} | {Tests(row)} |");
        }
        text.AppendLine();
    }

    /// <summary>README's notes section (between its ledger markers), generated from the ledger.</summary>
    public static string ReadmeSection()
    {
        var text = new StringBuilder();
        text.AppendLine("| note | network | rows (counted from the ledger, not from the notes) |");
        text.AppendLine("|---|---|---|");
        foreach (string note in Notes)
        {
            string coverage = Coverage(note);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {note} | {Cell(Titles[note])} | {Cell(coverage[(coverage.IndexOf(':', StringComparison.Ordinal) + 2)..])} |");
        }
        text.AppendLine();
        text.AppendLine("Every numbered equation of notes 001, 002 and 004, and every formula line of notes 000 and 003, is a row of the");
        text.AppendLine("ledger (`src/AutoGrad.Derivations/Ledger/`): the formula transcribed, what it is (definition, value, derivative,");
        text.AppendLine("Jacobian, index-level form, repeat, erratum, convention, prose) and the tests that check it. " + ProsePolicy);
        text.AppendLine();
        text.AppendLine("What the tests check. `LedgerTests` fails if a note's row count differs from the count typed by hand in");
        text.AppendLine("`NoteLedger.Counts` (the notes are not in this repository and no test reads them, so an equation missed both in");
        text.AppendLine("the count and in the ledger would pass), if a row names no test, or names a test method that does not exist; for a");
        text.AppendLine("`[Theory]` it also fails if the row's id is not in the theory's data (a `[Fact]` is only checked to exist). The");
        text.AppendLine("\"have a row naming a test\" figures above count rows, from the ledger's own data; they are not test results.");
        text.AppendLine("`Row_agrees_with_the_tape` (every row) computes the note's formula — each \"=\" step — with MathNet, independently");
        text.AppendLine("of the engine (an index-level form element by element for every index), and compares it with the tape");
        text.AppendLine("(`loss.Backward()`, or `Autograd.Jacobian` for a Jacobian; a convention's row reading with the tape's gradient");
        text.AppendLine("transposed). `Row_agrees_with_finite_differences` compares the tape's gradients with central differences of the");
        text.AppendLine("loss: it checks the tape, not the note's formula, which agrees with the differences only through the tape.");
        var noDifferences = All.Where(r => !r.Tests.Any(t => t.Contains("finite_differences", StringComparison.Ordinal))).ToList();
        var others = noDifferences.Where(r => r.Kind is not (RowKind.Definition or RowKind.Value)).Select(r => $"{r.Note} {r.Id} ({r.Kind.ToString().ToLowerInvariant()})");
        text.AppendLine("`LedgerTests` requires every displayed derivative, Jacobian, index-level, convention and erratum row to name it;");
        text.AppendLine(CultureInfo.InvariantCulture, $"{noDifferences.Count} of {All.Count} rows name no finite-difference test: the definition and value rows, and {string.Join(", ", others)}.");
        text.AppendLine("002's sigmoid-step rows (14)–(22) and (25) are compared for |z^L| ≤ 12 only. An erratum's literal is checked by its own test (the exact");
        text.AppendLine("shape conflict, or a value FsCheck shows differing). Errata, conventions and notation notes are in");
        text.AppendLine("[docs/errata.md](docs/errata.md), generated from the same ledger;");
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
        text.AppendLine("any other row. A **convention** is a formula whose every step multiplies when a gradient is read as a row (the");
        text.AppendLine("layout of note 004's section 2, and of some chain-rule steps of note 000): read so, it equals the tape's gradient");
        text.AppendLine("transposed, exactly (a row times a three-index Jacobian, contracted over its first index, gives the gradient itself).");
        text.AppendLine("A formula that does not multiply in either reading, or needs a transpose it does not write, is an erratum. For the");
        text.AppendLine("bias sentences of note 004 the \"literal\" is this project's reading of a sentence, not a formula the note writes.");
        text.AppendLine("A **notation note** is a slip that does not make a formula wrong.");
        text.AppendLine();
        AppendTable(text, "Errata", ["formula as written", "what is wrong", "corrected"], All.Where(r => r.Kind == RowKind.Erratum),
            row => [row.Formula, row.Finding, row.Corrected]);
        AppendTable(text, "Conventions (right as written, in another layout)", ["formula as written", "why it is right"],
            All.Where(r => r.Kind == RowKind.Convention), row => [row.Formula, row.Finding]);
        AppendTable(text, "Notation notes (not errors)", ["note"], All.Where(r => r.NotationNote is not null), row => [row.NotationNote]);
        text.AppendLine("## Coverage");
        text.AppendLine();
        foreach (string note in Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {Coverage(note)}");
        }
        return text.ToString();
    }
}
