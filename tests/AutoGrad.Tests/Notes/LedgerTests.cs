using System.Reflection;
using AutoGrad.Derivations.Ledger;
using Xunit;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Enforces the ledger: every equation of every note has a row (the counts are pinned to the notes), every row names
/// tests, every named test exists and — for a theory over rows — runs that row; repeats restate their original; errata
/// and conventions say why; README's notes section and docs/errata.md are what the ledger generates.
/// </summary>
public class LedgerTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_numbered_equation_and_formula_line_has_exactly_one_row()
    {
        foreach (string note in NoteLedger.Notes)
        {
            var rows = NoteLedger.Of(note).ToList();
            var (equations, prose) = NoteLedger.Counts[note];
            var displayed = rows.Where(r => !r.Inline).Select(r => r.Id).ToList();
            Assert.True(displayed.Count == displayed.Distinct().Count(), $"{note}: a row id appears twice: {string.Join(", ", displayed.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key))}");
            Assert.Equal(equations, displayed.Count);
            Assert.Equal(prose, rows.Count(r => r.Inline));
            if (note is "001" or "002" or "004")
            {
                // numbered notes: exactly (1) … (n), in order
                Assert.Equal(Enumerable.Range(1, equations).Select(n => $"({n})"), displayed);
            }
            output.WriteLine(NoteLedger.Coverage(note));
        }
    }

    [Fact]
    public void Every_row_names_tests_that_exist_and_run_it()
    {
        var assembly = typeof(LedgerTests).Assembly;
        foreach (var row in NoteLedger.All)
        {
            Assert.True(row.Tests.Count > 0, $"{row.Note} {row.Id}: no test");
            foreach (string name in row.Tests)
            {
                var parts = name.Split('.');
                Assert.True(parts.Length == 2, $"{row.Note} {row.Id}: '{name}' is not Class.Method");
                var type = assembly.GetTypes().SingleOrDefault(t => t.Name == parts[0]);
                Assert.True(type is not null, $"{row.Note} {row.Id}: no test class {parts[0]}");
                var method = type!.GetMethod(parts[1], BindingFlags.Public | BindingFlags.Instance);
                Assert.True(method is not null, $"{row.Note} {row.Id}: no test method {name}");
                bool fact = method!.GetCustomAttribute<FactAttribute>() is not null;
                Assert.True(fact, $"{row.Note} {row.Id}: {name} is not a [Fact] or [Theory]");
                if (method.GetCustomAttribute<TheoryAttribute>() is not null)
                {
                    var data = method.GetCustomAttributes<MemberDataAttribute>().ToList();
                    Assert.True(data.Count > 0, $"{name}: a theory without member data");
                    var ids = data.SelectMany(d => (IEnumerable<object[]>)type.GetProperty(d.MemberName, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)
                        .Select(args => (string)args[0]).ToHashSet();
                    Assert.True(ids.Contains(row.Id), $"{row.Note} {row.Id}: {name} does not run this row");
                }
            }
        }
    }

    [Fact]
    public void Repeats_restate_their_original_and_findings_are_given()
    {
        static string RightHandSide(string formula) => formula[(formula.LastIndexOf(" = ", StringComparison.Ordinal) + 3)..];
        static string LeftHandSide(string formula) => formula[..formula.IndexOf(" = ", StringComparison.Ordinal)];
        foreach (var row in NoteLedger.All)
        {
            string where = $"{row.Note} {row.Id}";
            if (row.Kind == RowKind.Repeat)
            {
                var original = NoteLedger.Of(row.Note).SingleOrDefault(r => r.Id == row.RepeatOf && r.Kind != RowKind.Repeat);
                Assert.True(original is not null, $"{where}: repeats '{row.RepeatOf}', which is not a row of the note (or is itself a repeat)");
                Assert.True(row.Formula.Contains(" = ", StringComparison.Ordinal), $"{where}: a repeat is an equation");
                if (!original!.Formula.StartsWith("= ", StringComparison.Ordinal))
                {
                    // a continuation line ("= …") has its left-hand side on the line before: only its right-hand side is compared
                    Assert.Equal(LeftHandSide(original.Formula), LeftHandSide(row.Formula));
                }
                Assert.Equal(RightHandSide(original.Formula), RightHandSide(row.Formula));
            }
            else
            {
                Assert.True(row.RepeatOf is null, $"{where}: only a repeat names the row it repeats");
            }
            if (row.Kind is RowKind.Erratum)
            {
                Assert.False(string.IsNullOrWhiteSpace(row.Finding), $"{where}: an erratum says what is wrong");
                Assert.False(string.IsNullOrWhiteSpace(row.Corrected), $"{where}: an erratum gives the corrected form");
                Assert.Contains(row.Tests, t => t.Contains("erratum", StringComparison.OrdinalIgnoreCase));
            }
            if (row.Kind is RowKind.Convention)
            {
                Assert.False(string.IsNullOrWhiteSpace(row.Finding), $"{where}: a convention says why it is right");
            }
            if (!row.Inline && row.Kind is RowKind.Derivative or RowKind.Jacobian or RowKind.IndexForm or RowKind.Convention or RowKind.Erratum)
            {
                Assert.False(string.IsNullOrWhiteSpace(row.Ascii), $"{where}: a derivative row carries its formula typed in ASCII (for a symbolic verdict)");
                Assert.Contains(row.Tests, t => t.Contains("finite_differences", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Every_erratum_row_has_its_literal()
    {
        static void Check<T>(IEnumerable<LedgerRow<T>> rows)
        {
            foreach (var row in rows)
            {
                Assert.Equal(row.Kind == RowKind.Erratum, row.Literal is not null);
            }
        }
        Check(Ledger000.All);
        Check(Ledger001.All);
        Check(Ledger002.All);
        Check(Ledger003.All);
        Check(Ledger004Section1.All);
        Check(Ledger004Section2.All);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AutoGrad.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("AutoGrad.sln not found above " + AppContext.BaseDirectory);
    }

    private const string Begin = "<!-- ledger:begin (generated from the ledger; LedgerTests checks it) -->";
    private const string End = "<!-- ledger:end -->";

    private static bool Write => Environment.GetEnvironmentVariable("AUTOGRAD_WRITE_DOCS") == "1";

    [Fact]
    public void Errata_document_is_what_the_ledger_generates()
    {
        string path = Path.Combine(RepositoryRoot(), "docs", "errata.md");
        string expected = NoteLedger.ErrataMarkdown();
        if (Write)
        {
            File.WriteAllText(path, expected);
        }
        Assert.DoesNotContain("../shared", expected, StringComparison.Ordinal);
        Assert.True(File.ReadAllText(path) == expected, "docs/errata.md differs from what the ledger generates; run the ledger tests with AUTOGRAD_WRITE_DOCS=1 to rewrite it");
    }

    [Fact]
    public void Readme_notes_section_is_what_the_ledger_generates()
    {
        string path = Path.Combine(RepositoryRoot(), "README.md");
        string readme = File.ReadAllText(path);
        int begin = readme.IndexOf(Begin, StringComparison.Ordinal), end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "README.md has no ledger section markers");
        string current = readme[(begin + Begin.Length)..end].Trim('\n');
        string expected = NoteLedger.ReadmeSection().Trim('\n');
        if (Write && current != expected)
        {
            File.WriteAllText(path, readme[..(begin + Begin.Length)] + "\n" + expected + "\n" + readme[end..]);
            current = expected;
        }
        Assert.True(current == expected, "README.md's notes section differs from what the ledger generates; run the ledger tests with AUTOGRAD_WRITE_DOCS=1 to rewrite it");
        Assert.DoesNotContain("../shared", readme, StringComparison.Ordinal);
    }
}
