using System.Globalization;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Examples.NoteComparison;
using AutoGrad.Ledger;

// Prints, for each derivation note, every row of the ledger (src/AutoGrad.Derivations/Ledger): the formula as the
// note writes it, and each of its claims evaluated on seeded data of the note's shapes — the note's formula
// (computed with MathNet, independently of the engine) next to the tape's value, gradient or Jacobian. Errata show
// their literal formula evaluated (its value, or the exact shape conflict) next to the tape, then the corrected form.

string[] notes = [.. NoteLedger.Notes];
int seed = 1;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--note" when i + 1 < args.Length && NoteLedger.Notes.Contains(args[i + 1]):
            notes = [args[++i]];
            break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out seed):
            i++;
            break;
        default:
            Console.WriteLine("""
                Usage: dotnet run --project examples/AutoGrad.Examples.NoteComparison -- [--note 000|001|002|003|004] [--seed N]

                Every ledger row of each note (default: all five): the formula, then each claim with the note's value,
                the tape's and the largest difference (✓ agrees, ✗ differs or does not multiply). Errata show the
                literal formula evaluated, then the corrected one. Output is wrapped to $COLUMNS (default: the
                terminal's width, or 120 when redirected); colour only on a terminal without NO_COLOR.
                """);
            return args[i] is "--help" or "-h" ? 0 : 2;
    }
}

// no escape codes when redirected or NO_COLOR is set; COLUMNS, else the terminal's width, else 120
AutoGrad.Examples.Terminal.Configure(redirectedWidth: 120);
int width = Math.Max(40, AutoGrad.Examples.Terminal.Width);
bool color = !AutoGrad.Examples.Terminal.Plain;
var report = new Report(width - 1, color);

foreach (string note in notes)
{
    var random = new Random(seed);
    Console.WriteLine();
    report.Wrap("", $"Note {note}: {NoteLedger.Titles[note]}");
    Console.WriteLine(new string('─', Math.Min(width - 1, 100)));
    switch (note)
    {
        case "000": report.Rows(Ledger000.All, NoteData.Note000(random), d => new Tape000(d)); break;
        case "001": report.Rows(Ledger001.All, NoteData.Note001(random), d => new Tape001(d)); break;
        case "002": report.Rows(Ledger002.All, NoteData.Note002(random), d => new Tape002(d)); break;
        case "003": report.Rows(Ledger003.All, NoteData.Note003(random), d => new Tape003(d)); break;
        default:
            report.Rows(Ledger004Section1.All, NoteData.Note004Section1(random), d => new Tape004S1(d));
            report.Rows(Ledger004Section2.All, NoteData.Note004Section2(random), d => new Tape004S2(d));
            break;
    }
    report.Wrap("  ", NoteLedger.Coverage(note));
}

Console.WriteLine();
report.Wrap("", "Coverage (each row names the tests in tests/AutoGrad.Tests/Notes that check it; errata and conventions: docs/errata.md)");
foreach (string note in NoteLedger.Notes)
{
    report.Wrap("  ", NoteLedger.Coverage(note));
}
report.Wrap("", $"{report.Claims} claims evaluated on seed {seed}: {(report.Unexpected == 0 ? "every one as the ledger says" : $"{report.Unexpected} NOT as the ledger says")}.");
return report.Unexpected == 0 ? 0 : 1;
