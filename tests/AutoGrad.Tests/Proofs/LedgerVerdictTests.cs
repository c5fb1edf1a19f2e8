using System.Text.RegularExpressions;
using AutoGrad.Derivations;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Ledger;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Proofs;

/// <summary>
/// Every derivative row of every note's ledger gets a symbolic verdict: its ASCII formula against the tape's gradient.
/// A derivative, index form (in its matrix form) or repeat is proved; a convention is proved, or proved up to ᵀ where
/// its ASCII keeps the note's row layout; an erratum's corrected form is proved and its literal formula, as the note
/// writes it, refuted at the note's sizes — and the refutation is the ledger's own: at the counterexample's values the
/// ledger's numeric literal fails the same way (the same shape conflict, or the same differing value) and the
/// counterexample's reference side is the tape's gradient.
/// </summary>
public class LedgerVerdictTests(ITestOutputHelper output)
{
    /// <summary>The errata of each note, counted by hand from the ledger's Erratum rows (a new erratum must be added here).</summary>
    private static readonly Dictionary<string, int> Errata = new() { ["000"] = 0, ["001"] = 0, ["002"] = 0, ["003"] = 4, ["004"] = 5 };

    public static TheoryData<string> Notes => [.. SymbolicVerdicts.Notes];

    [Fact]
    public void Every_note_of_the_ledger_gets_verdicts_and_the_errata_are_nine()
    {
        Assert.Equal(NoteLedger.Notes, SymbolicVerdicts.Notes);
        Assert.Equal(9, Errata.Values.Sum());
        foreach (string note in NoteLedger.Notes)
        {
            Assert.Equal(Errata[note], NoteLedger.Of(note).Count(r => r.Kind == RowKind.Erratum));
        }
    }

    [Theory]
    [MemberData(nameof(Notes))]
    public void Every_derivative_row_of_the_note_gets_its_verdict(string note)
    {
        var verdicts = SymbolicVerdicts.For(NoteLedger.Of(note));
        int proved = 0, refuted = 0;
        foreach (var (row, target, verdict, literal, _) in verdicts)
        {
            output.WriteLine($"{row.Id,-14} {row.Kind,-10} ∂L/∂{target ?? "—",-6} {verdict?.Word ?? "—",-16} {row.Ascii}{(literal is null ? "" : $"   literal {literal.Word}: {row.LiteralAscii}")}");
            Assert.True(row.Kind == RowKind.Erratum == (row.LiteralAscii is not null), $"{note} {row.Id}: exactly the errata carry their literal formula in ASCII");
            if (!SymbolicVerdicts.IsDerivative(row.Kind) || row.Ascii is null || (row.Kind == RowKind.Repeat && target is null)) continue;
            Assert.True(target is not null, $"{note} {row.Id}: no gradient target read from {row.Formula}");
            Assert.NotNull(verdict);
            var expected = row.Kind == RowKind.Convention ? [ProofVerdict.Proved, ProofVerdict.ProvedUpToTranspose] : new[] { ProofVerdict.Proved };
            Assert.True(expected.Contains(verdict!.Verdict), $"{note} {row.Id} ({row.Kind}) {row.Ascii}: {verdict}");
            proved++;
            if (row.Kind == RowKind.Erratum)
            {
                Assert.True(literal?.Verdict == ProofVerdict.Refuted, $"{note} {row.Id}: the literal {row.LiteralAscii} is not refuted: {literal}");
                refuted++;
            }
        }
        Assert.True(proved > 0, $"note {note}: no derivative row got a verdict");
        Assert.Equal(Errata[note], refuted);
    }

    [Theory]
    [MemberData(nameof(Notes))]
    public void Each_erratum_refutation_is_the_ledgers_numeric_erratum_at_the_notes_sizes(string note)
    {
        int checkedRows = 0;
        foreach (var (row, _, _, literal, sizes) in SymbolicVerdicts.For(NoteLedger.Of(note)).Where(v => v.Row.Kind == RowKind.Erratum))
        {
            var counterexample = literal?.Counterexample;
            Assert.True(counterexample is not null, $"{note} {row.Id}: no counterexample: {literal}");
            output.WriteLine($"{note} {row.Id}: {row.LiteralAscii}\n{literal}");
            // the note's sizes: the network the verdicts were reached on, not sizes of the search's own choosing
            Assert.Equal(sizes!.OrderBy(s => s.Key), counterexample!.Sizes.OrderBy(s => s.Key));
            var (claim, tape, stated) = Numeric(row, counterexample.Values);
            var numeric = ClaimCheck.Evaluate(claim, tape);
            Assert.False(numeric.Agrees, $"{note} {row.Id}: the ledger's literal agrees with the tape at the counterexample: {numeric.Describe()}");
            if (counterexample.ShapeConflict is { } conflict)
            {
                // the same conflict: the ledger's literal raises the shape conflict the ledger states for this data, on the same operands
                Assert.True(numeric.ShapeConflict is not null, $"{note} {row.Id}: the prover finds '{conflict}', the ledger's literal evaluates: {numeric.Describe()}");
                Assert.Equal(stated, numeric.ShapeConflict);
                var operands = Regex.Match(conflict, @"\(\d+×\d+\) · \(\d+×\d+\)");
                if (operands.Success) Assert.Contains(operands.Value, numeric.ShapeConflict, StringComparison.Ordinal);
            }
            else
            {
                // the same value: the claim side is the ledger's literal, which differs from the tape
                Assert.NotNull(numeric.Note);
                Assert.Equal(numeric.Note!.ToArray(), counterexample.Claim!, new MatrixComparer(1e-9));
            }
            if (!row.LiteralAscii!.Contains(" = ", StringComparison.Ordinal))
            {
                // the reference side is the tape's gradient at the counterexample's values
                var gradient = claim.Transposed ? numeric.Tape.Transpose() : numeric.Tape;
                Assert.Equal(gradient.ToArray(), counterexample.Reference!, new MatrixComparer(1e-9));
            }
            checkedRows++;
        }
        Assert.Equal(Errata[note], checkedRows);
    }

    /// <summary>
    /// Where an erratum's literal multiplies and is wrong in value — note 003's line 19 on a batch as wide as its hidden
    /// layer (N = h), which the ledger says multiplies there — the prover refutes it by values, and its claim side is the
    /// ledger's own literal value at the counterexample, its reference side the tape's gradient.
    /// </summary>
    [Fact]
    public void Note_003_line_19_where_it_multiplies_is_refuted_by_the_value_the_ledger_computes()
    {
        var row = Ledger003.All.Single(r => r.Id == "line 19");
        var random = new Random(5);
        var x = Tensor.RandomNormal<double>(4, 3, random, name: "X");
        var w1 = Tensor.RandomNormal<double>(3, 4, random, requiresGrad: true, name: "W1");
        var w2 = Tensor.RandomNormal<double>(4, 1, random, requiresGrad: true, name: "W2");
        var z1 = x.MatMul(w1);
        z1.Name = "z1";
        var yHat = z1.MatMul(w2);
        yHat.Name = "yhat";
        var loss = AutoGrad.Nn.Loss.HalfSumSquared(yHat, Tensor.RandomNormal<double>(4, 1, random, name: "y"));
        var result = Prover.ProveGradient(loss, w1, row.LiteralAscii!);
        Assert.True(result.Verdict == ProofVerdict.Refuted, result.ToString());
        var counterexample = result.Counterexample!;
        Assert.Null(counterexample.ShapeConflict);
        Assert.Equal(4, counterexample.Sizes["d4"]);
        var m = Matrix<double>.Build;
        var data = new Data003(Network003.Linear, m.DenseOfArray(counterexample.Values["X"]), m.DenseOfArray(counterexample.Values["W1"]), m.Dense(1, 4),
            m.DenseOfArray(counterexample.Values["W2"]), m.Dense(1, 1), m.DenseOfArray(counterexample.Values["y"]), ScalarFunction.Sigmoid, ScalarFunction.Sigmoid);
        Assert.True(row.Applies(data));
        Assert.Null(row.Conflict(data));
        var numeric = ClaimCheck.Evaluate(row.Literal!(data), new Tape003(data));
        Assert.False(numeric.Agrees, numeric.Describe());
        Assert.Equal(numeric.Note!.ToArray(), counterexample.Claim!, new MatrixComparer(1e-9));
        Assert.Equal(numeric.Tape.Transpose().ToArray(), counterexample.Reference!, new MatrixComparer(1e-9));
    }

    /// <summary>README's counts of verdicts are generated from the verdicts (set AUTOGRAD_WRITE_DOCS=1 to rewrite them), so it cannot claim more.</summary>
    [Theory]
    [InlineData("verdicts", "table")]
    [InlineData("verdicts-summary", "summary")]
    public void Readme_states_exactly_the_verdicts_the_prover_gives(string marker, string block)
    {
        string begin = $"<!-- {marker}:begin (generated from the prover's verdicts; LedgerVerdictTests checks it) -->", end = $"<!-- {marker}:end -->";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AutoGrad.sln"))) root = root.Parent;
        string path = Path.Combine(root!.FullName, "README.md");
        string readme = File.ReadAllText(path);
        int from = readme.IndexOf(begin, StringComparison.Ordinal), to = readme.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"README.md has no {marker} markers");
        string current = readme[(from + begin.Length)..to].Trim('\n');
        string expected = (block == "table" ? SymbolicVerdicts.ReadmeTable() : SymbolicVerdicts.ReadmeSummary()).Trim('\n');
        if (Environment.GetEnvironmentVariable("AUTOGRAD_WRITE_DOCS") == "1" && current != expected)
        {
            File.WriteAllText(path, readme[..(from + begin.Length)] + "\n" + expected + "\n" + readme[to..]);
            current = expected;
        }
        Assert.True(current == expected, $"README.md's {marker} block differs from the prover's verdicts; run LedgerVerdictTests with AUTOGRAD_WRITE_DOCS=1 to rewrite it");
    }

    /// <summary>The ledger's literal claim, the note's network on the tape and the conflict the ledger states, at a counterexample's values.</summary>
    private static (Claim Claim, TapeNetwork Tape, string? Conflict) Numeric(LedgerRow row, IReadOnlyDictionary<string, double[,]> values)
    {
        var m = Matrix<double>.Build;
        Matrix<double> V(string name) => m.DenseOfArray(values[name]);
        // a leaf the literal and its reference do not reach (y, for a value claim) is not in the counterexample
        Matrix<double> Or(string name, int rows, int cols) => values.ContainsKey(name) ? V(name) : m.Dense(rows, cols);
        switch (row)
        {
            case LedgerRow<Data003> r:
            {
                var x = V(values.ContainsKey("X") ? "X" : "x");
                var (w1, w2) = (V("W1"), V("W2"));
                var data = new[] { Network003.Linear, Network003.Biases, Network003.Activations }
                    .Select(n => new Data003(n, x, w1, Or("b1", 1, w1.ColumnCount), w2, Or("b2", 1, 1), V("y"), ScalarFunction.Sigmoid, ScalarFunction.Sigmoid))
                    .First(r.Applies);
                return (r.Literal!(data), new Tape003(data), r.Conflict(data));
            }
            case LedgerRow<Data004S1> r:
            {
                var wt = V("Wt");
                var data = new Data004S1(V("x"), V("V"), wt.SubMatrix(0, wt.RowCount, 0, wt.ColumnCount - 1), Or("y", wt.RowCount, 1), ScalarFunction.Sigmoid,
                    wt.SubMatrix(0, wt.RowCount, wt.ColumnCount - 1, 1));
                return (r.Literal!(data), new Tape004S1(data), r.Conflict(data));
            }
            case LedgerRow<Data004S2> r:
            {
                var data = new Data004S2(V("h0"), [V("W1"), V("WN")], [ScalarFunction.Sigmoid, ScalarFunction.Sigmoid], V("WF"), Or("y", values["WF"].GetLength(0), 1), 0.1, Biased: values.ContainsKey("E1"));
                return (r.Literal!(data), new Tape004S2(data), r.Conflict(data));
            }
            default:
                throw new InvalidOperationException($"{row.Note} {row.Id}: no data for this note's errata");
        }
    }

    private sealed class MatrixComparer(double tolerance) : IEqualityComparer<double[,]>
    {
        public bool Equals(double[,]? a, double[,]? b) =>
            a is not null && b is not null && a.GetLength(0) == b.GetLength(0) && a.GetLength(1) == b.GetLength(1) &&
            a.Cast<double>().Zip(b.Cast<double>()).All(p => Math.Abs(p.First - p.Second) <= tolerance * (1 + Math.Abs(p.First)));

        public int GetHashCode(double[,] m) => 0;
    }
}
