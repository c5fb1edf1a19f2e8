using System.Globalization;
using AutoGrad.Examples.NoteComparison;
using AutoGrad.Examples.NoteComparison.Notes;
using Spectre.Console;

// Compares, for every derivation note in ../shared/seeds, the gradients AutoGrad's tape computes with the
// closed-form formulas the note derives (evaluated independently with MathNet), quantity by quantity.

var options = Options.Parse(args);
if (options is null)
{
    Console.WriteLine("""
        Usage: dotnet run --project examples/AutoGrad.Examples.NoteComparison -- [options]

          --note 000|001|002|003|004   compare one note only (default: all five)
          --seed N                     seed of the random data (default: 1)
          --dtype double|float         element type of the tape (default: double); the closed forms stay double
          --help                       this text

        Each table lists a quantity the note derives, the note's formula, the tape's value, the closed form's
        value, the largest absolute difference and a verdict. Where the note's literal formula is wrong
        (see docs/errata.md) the row says so and the corrected formula follows it.
        """);
    return args.Contains("--help") ? 0 : 2;
}

// no escape codes when redirected or NO_COLOR is set; COLUMNS, else the terminal's width, else 200 so each row stays on one line
AutoGrad.Examples.Terminal.Configure(redirectedWidth: 200);

double tolerance = options.Float ? 1e-4 : 1e-9;
var summary = new List<(string Note, int Agree, int Errata, int Disagree)>();
foreach (string id in options.Notes)
{
    var random = new Random(options.Seed);
    NoteReport report = options.Float ? NoteComparisons.Run<float>(id, random) : NoteComparisons.Run<double>(id, random);
    var table = new Table { Border = Console.IsOutputRedirected ? TableBorder.Ascii : TableBorder.Rounded }
        .Title($"[bold]Note {report.Id}[/]: {Markup.Escape(report.Title)}")
        .AddColumns("quantity", "note's formula", "tape", "closed form", "max |diff|", "verdict");
    int agree = 0, errata = 0, disagree = 0;
    foreach (var row in report.Rows)
    {
        string verdict;
        if (row.Erratum is not null)
        {
            errata++;
            verdict = $"[yellow]erratum[/]: {Markup.Escape(row.Erratum)}";
        }
        else if (row.Agrees(tolerance))
        {
            agree++;
            verdict = "[green]agree[/]";
        }
        else
        {
            disagree++;
            verdict = "[red]DISAGREE[/]";
        }
        double diff = row.MaxAbsDifference;
        table.AddRow(Markup.Escape(row.Quantity), Markup.Escape(row.Formula), Markup.Escape(Comparison.Show(row.Tape)),
            Markup.Escape(Comparison.Show(row.ClosedForm)), double.IsFinite(diff) ? diff.ToString("0.0E+0", CultureInfo.InvariantCulture) : "—", verdict);
    }
    AnsiConsole.Write(table);
    if (report.Derived.Count > 0)
    {
        AnsiConsole.MarkupLine("  [bold]The same gradients derived by the tape[/] (Symbolic.Gradient, read off the recorded backward graph):");
        foreach (var (quantity, formula) in report.Derived)
        {
            AnsiConsole.MarkupLine($"    {Markup.Escape(quantity)} = {Markup.Escape(formula)}");
        }
    }
    AnsiConsole.WriteLine();
    summary.Add((id, agree, errata, disagree));
}

var totals = new Table { Border = Console.IsOutputRedirected ? TableBorder.Ascii : TableBorder.Rounded }
    .Title($"[bold]Summary[/] (tape in {(options.Float ? "float" : "double")}, agreement to {tolerance:0E+0} of the largest entry, seed {options.Seed})")
    .AddColumns("note", "agree", "errata (literal formula wrong, corrected one shown)", "disagree");
foreach (var (note, agree, errata, disagree) in summary)
{
    totals.AddRow(note, agree.ToString(CultureInfo.InvariantCulture), errata.ToString(CultureInfo.InvariantCulture),
        disagree == 0 ? "0" : $"[red]{disagree}[/]");
}
AnsiConsole.Write(totals);
AnsiConsole.MarkupLine("Errata explained in [underline]docs/errata.md[/]; every row is also a property test in tests/AutoGrad.Tests/Notes.");
return summary.Any(s => s.Disagree > 0) ? 1 : 0;

internal sealed record Options(string[] Notes, int Seed, bool Float)
{
    public static Options? Parse(string[] args)
    {
        string[] notes = NoteComparisons.Ids;
        int seed = 1;
        bool useFloat = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--note" when i + 1 < args.Length && NoteComparisons.Ids.Contains(args[i + 1]):
                    notes = [args[++i]];
                    break;
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out seed):
                    i++;
                    break;
                case "--dtype" when i + 1 < args.Length && args[i + 1] is "double" or "float":
                    useFloat = args[++i] == "float";
                    break;
                default:
                    if (args[i] != "--help")
                    {
                        Console.Error.WriteLine($"unrecognised argument '{args[i]}'");
                    }
                    return null;
            }
        }
        return new Options(notes, seed, useFloat);
    }
}
