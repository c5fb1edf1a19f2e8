using System.Globalization;
using AutoGrad.Derivations;
using AutoGrad.Derivations.Ledger;

namespace AutoGrad.Ledger;

/// <summary>A ledger row with its symbolic verdicts.</summary>
/// <param name="Row">The row.</param>
/// <param name="Target">The quantity q of ∂L/∂q the row's ASCII formula is for (the network's name), or null.</param>
/// <param name="Verdict">The row's ASCII formula (for an erratum: its corrected form) against the tape's gradient; null for a row that is not a derivative of the loss.</param>
/// <param name="Literal">For an erratum: the note's literal formula (<see cref="LedgerRow.LiteralAscii"/>) against the tape.</param>
/// <param name="Sizes">The sizes of the network the verdicts were reached on (named dimension → size): the note's shapes.</param>
public sealed record RowVerdict(LedgerRow Row, string? Target, ProofResult? Verdict, ProofResult? Literal, IReadOnlyDictionary<string, int>? Sizes);

/// <summary>
/// A symbolic verdict per derivative row of the ledger: the row's formula typed in ASCII (<see cref="LedgerRow.Ascii"/>)
/// against the tape's gradient formula of the quantity the row differentiates (∂L/∂q, read off the row's formula, or
/// for an erratum whose formula is a sentence, off its corrected form), by <see cref="Prover"/>, on the note's network
/// with sigmoid activations and the ASCII's own names. Proved means equal for every size; proved up to ᵀ, the row's
/// layout is the transpose (a convention); refuted, a counterexample. An erratum's literal formula
/// (<see cref="LedgerRow.LiteralAscii"/>) is proved, refuted or left unknown the same way.
/// </summary>
public static class SymbolicVerdicts
{
    /// <summary>The notes whose rows get a verdict (a network with the ASCII's names is set up for each).</summary>
    public static readonly IReadOnlyList<string> Notes = ["000", "001", "002", "003", "004"];

    /// <summary>A row that differentiates the loss (its ASCII formula gets a verdict).</summary>
    public static bool IsDerivative(RowKind kind) => kind is RowKind.Derivative or RowKind.IndexForm or RowKind.Convention or RowKind.Erratum or RowKind.Repeat;

    /// <summary>Every row of <paramref name="rows"/> (one note, or one section, in order) with its verdicts.</summary>
    public static IReadOnlyList<RowVerdict> For(IEnumerable<LedgerRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new List<RowVerdict>();
        string? previous = null, previousNote = null;
        var setups = new Dictionary<string, Setup?>();
        foreach (var row in rows)
        {
            if (row.Note != previousNote) previous = null;
            previousNote = row.Note;
            string key = Setup.KeyOf(row);
            if (!setups.TryGetValue(key, out var setup))
            {
                setups[key] = setup = Setup.Of(key);
            }
            string? target = TargetOf(row.Formula, previous, setup, anywhere: false)
                ?? (row.Kind == RowKind.Erratum && row.Corrected is { } corrected ? TargetOf(corrected, null, setup, anywhere: true) : null);
            previous = target ?? (row.Formula.TrimStart().StartsWith('=') ? previous : null);
            if (setup is null || target is null || row.Ascii is null || !IsDerivative(row.Kind))
            {
                result.Add(new(row, target, null, null, setup?.Context.ReferenceSizes));
                continue;
            }
            var parameter = setup.Named(target);
            var verdict = Prover.ProveGradient(setup.Loss, parameter, row.Ascii, setup.Context);
            ProofResult? literal = row.LiteralAscii is { } text ? Literal(text, setup, parameter) : null;
            result.Add(new(row, target, verdict, literal, setup.Context.ReferenceSizes));
        }
        return result;
    }

    /// <summary>Counts of one note's verdicts: rows with a verdict, proved, proved up to ᵀ, neither; errata, literals refuted.</summary>
    public static (int Rows, int Proved, int UpToTranspose, int Other, int Errata, int LiteralsRefuted) Count(string note)
    {
        var verdicts = For(NoteLedger.Of(note)).Where(v => v.Verdict is not null).ToList();
        return (verdicts.Count, verdicts.Count(v => v.Verdict!.Verdict == ProofVerdict.Proved), verdicts.Count(v => v.Verdict!.Verdict == ProofVerdict.ProvedUpToTranspose),
            verdicts.Count(v => v.Verdict!.Verdict is ProofVerdict.Refuted or ProofVerdict.Unknown), NoteLedger.Of(note).Count(r => r.Kind == RowKind.Erratum),
            verdicts.Count(v => v.Literal?.Verdict == ProofVerdict.Refuted));
    }

    /// <summary>README's table of symbolic verdicts per note (in "The notes, verified"), generated from the verdicts themselves.</summary>
    public static string ReadmeTable()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("Symbolic verdicts (`SymbolicVerdicts`, by `Prover`, counted from the verdicts themselves): every row that differentiates");
        text.AppendLine("the loss, its ASCII formula (for an erratum, the corrected form) against the tape's own gradient formula; and each");
        text.AppendLine("erratum's formula exactly as the note writes it (`LedgerRow.LiteralAscii`), which must be refuted.");
        text.AppendLine();
        text.AppendLine("| note | rows with a verdict | proved | proved up to ᵀ | refuted or unknown | errata: literal refuted (corrected form proved) |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (string note in Notes)
        {
            var c = Count(note);
            text.AppendLine(System.FormattableString.Invariant($"| {note} | {c.Rows} | {c.Proved} | {c.UpToTranspose} | {c.Other} | {(c.Errata == 0 ? "no errata" : string.Create(CultureInfo.InvariantCulture, $"{c.LiteralsRefuted} of {c.Errata}"))} |"));
        }
        text.AppendLine();
        text.AppendLine("A proof holds for every size of every named dimension of the network it is traced on, with one exception: a");
        text.AppendLine("number the tape's formula carries. Note 001's loss is a mean over the batch, so its formulas are proved with");
        text.AppendLine("1/N = 1/4, the batch of the traced network (N = 4); the symbolic form has no size symbol for N yet.");
        return text.ToString();
    }

    /// <summary>README's one-line summary of the verdicts (in "Checking a derivation by symbols").</summary>
    public static string ReadmeSummary()
    {
        var counts = Notes.Select(Count).ToList();
        return System.FormattableString.Invariant(
            $"On the notes' ledger: {counts.Sum(c => c.Rows)} rows that differentiate the loss get a verdict — {counts.Sum(c => c.Proved)} proved, ") +
            System.FormattableString.Invariant($"{counts.Sum(c => c.UpToTranspose)} proved up to ᵀ (formulas kept in a note's row layout), {counts.Sum(c => c.Other)} refuted or unknown — and the literal ") +
            System.FormattableString.Invariant($"formulas of {counts.Sum(c => c.LiteralsRefuted)} of the {counts.Sum(c => c.Errata)} errata are refuted at the networks' sizes (per note: the table in \"The notes, verified\").") +
            Environment.NewLine;
    }

    /// <summary>"q = formula": the formula against the network's q; otherwise the formula against the tape's ∂L/∂parameter.</summary>
    private static ProofResult Literal(string text, Setup setup, Tensor<double> parameter)
    {
        int equals = text.IndexOf(" = ", StringComparison.Ordinal);
        if (equals < 0) return Prover.ProveGradient(setup.Loss, parameter, text, setup.Context);
        return Prover.Prove(text[(equals + 3)..], text[..equals], setup.Context);
    }

    /// <summary>
    /// The quantity a formula differentiates: "∂L/∂W[2] = …" gives W2 (in the ASCII's names); a formula that starts
    /// with "=" continues the previous row's; a lead-in without "=" ("Layer 1: ", "So, ", "∴ ") is skipped, and with
    /// <paramref name="anywhere"/> the first ∂L/∂q of the text is taken.
    /// </summary>
    private static string? TargetOf(string text, string? previous, Setup? setup, bool anywhere)
    {
        string formula = text.Trim();
        if (formula.StartsWith('=')) return previous;
        int start = formula.IndexOf("∂L/∂", StringComparison.Ordinal);
        if (start < 0) start = formula.IndexOf("∂C₀/∂", StringComparison.Ordinal);
        if (setup is null || start < 0 || (!anywhere && formula[..start].Contains('=', StringComparison.Ordinal)))
        {
            return null;
        }
        int slash = formula.IndexOf("/∂", start, StringComparison.Ordinal);
        int equals = formula.IndexOf(" =", slash, StringComparison.Ordinal);
        if (equals < 0) return null;
        string symbol = formula[(slash + 2)..equals];
        int underscore = symbol.LastIndexOf('_');
        if (underscore > 0 && symbol[(underscore + 1)..].All(char.IsAsciiLetterLower)) symbol = symbol[..underscore];
        symbol = new([.. symbol.Where(c => c is not ('ₖ' or 'ₗ' or 'ᵢ' or 'ⱼ' or '₁'))]);
        return setup.Symbols.GetValueOrDefault(symbol);
    }

    /// <summary>A note's network with the ASCII's names, its proof context and the map from the note's symbols to those names.</summary>
    private sealed class Setup(Tensor<double> loss, ProofContext context, IReadOnlyDictionary<string, string> symbols, List<Tensor<double>> named)
    {
        public Tensor<double> Loss => loss;

        public ProofContext Context => context;

        public IReadOnlyDictionary<string, string> Symbols => symbols;

        public Tensor<double> Named(string name) => named.Single(t => t.Name == name);

        private static readonly MathNet.Numerics.LinearAlgebra.MatrixBuilder<double> M = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build;

        /// <summary>
        /// Which network a row speaks of: the note (004: its section), and where a note has several networks, the
        /// first whose data the row's own <c>Applies</c> accepts — note 003's batch, one example, biases, sigmoid
        /// activations; note 004's networks without and with the bias columns of its two sentences.
        /// </summary>
        public static string KeyOf(LedgerRow row)
        {
            switch (row)
            {
                case LedgerRow<Data003> r:
                {
                    Data003 Sample(Network003 network, int n) => new(network, M.Dense(n, 3), M.Dense(3, 5), M.Dense(1, 5), M.Dense(5, 1), M.Dense(1, 1), M.Dense(n, 1),
                        ScalarFunction.Sigmoid, ScalarFunction.Sigmoid);
                    return r.Applies(Sample(Network003.Linear, 4)) ? "003/linear"
                        : r.Applies(Sample(Network003.Linear, 1)) ? "003/linear, one example"
                        : r.Applies(Sample(Network003.Biases, 1)) ? "003/biases" : "003/activations";
                }
                case LedgerRow<Data004S1> r:
                    return r.Applies(new Data004S1(M.Dense(3, 1), M.Dense(4, 3), M.Dense(2, 4), M.Dense(2, 1), ScalarFunction.Sigmoid)) ? "004/1" : "004/1, biases";
                case LedgerRow<Data004S2> r:
                    return r.Applies(new Data004S2(M.Dense(3, 1), [M.Dense(4, 3)], [ScalarFunction.Sigmoid], M.Dense(2, 4), M.Dense(2, 1), 0.1)) ? "004/2" : "004/2, biases";
                default:
                    return row.Note == "004" && row.Section.Length > 0 ? $"004/{row.Section[0]}" : row.Note;
            }
        }

        public static Setup? Of(string key)
        {
            var r = new Random(1);
            var named = new List<Tensor<double>>();
            Tensor<double> N(Tensor<double> t, string name)
            {
                t.Name = name;
                named.Add(t);
                return t;
            }
            Tensor<double> P(string name, int rows, int cols) => N(Tensor.RandomNormal<double>(rows, cols, r, requiresGrad: true), name);
            Tensor<double> C(string name, int rows, int cols) => N(Tensor.RandomNormal<double>(rows, cols, r), name);
            // [v; 1] as E·v + u: E (n+1)×n and u (n+1)×1 named constants, so a proof holds for every E and u, [I; 0] and the unit among them
            Tensor<double> AppendOne(Tensor<double> v, string name, string embed, string unit) =>
                N(C(embed, v.Rows + 1, v.Rows).MatMul(v) + C(unit, v.Rows + 1, 1), name);
            switch (key)
            {
                case "000":
                {
                    var (x, y, w1, b1, w2, b2) = (C("x", 3, 1), C("y", 2, 1), P("W1", 4, 3), P("b1", 4, 1), P("W2", 2, 4), P("b2", 2, 1));
                    var a1 = N(N(w1.MatMul(x) + b1, "z1").Sigmoid(), "a1");
                    var yHat = N(N(w2.MatMul(a1) + b2, "z2").Sigmoid(), "yhat");
                    var loss = AutoGrad.Nn.Loss.HalfSumSquared(yHat, y);
                    var context = ProofContext.FromGraph(loss).AliasFunction("df", "σ′").AliasFunction("dsigma", "σ′");
                    context.Declare("delta2", "d2", 1, FormulaParser.Parse("(yhat - y) * dsigmoid(z2)", context));
                    context.Declare("delta1", "d4", 1, FormulaParser.Parse("(W2^T @ delta2) * dsigmoid(z1)", context));
                    return new(loss, context, new Dictionary<string, string>
                    {
                        ["ŷ"] = "yhat", ["z[2]"] = "z2", ["W[2]"] = "W2", ["b[2]"] = "b2", ["a[1]"] = "a1", ["z[1]"] = "z1", ["W[1]"] = "W1", ["b[1]"] = "b1",
                    }, named);
                }
                case "001":
                {
                    var (x, y, w1, w2) = (C("X", 4, 3), C("Y", 4, 1), P("W1", 3, 5), P("W2", 5, 1));
                    var z = N(N(x.MatMul(w1), "H").Sigmoid(), "Z");
                    var yHat = N(N(z.MatMul(w2), "O").Sigmoid(), "yhat");
                    var loss = AutoGrad.Nn.Loss.HalfMeanSquared(yHat, y);
                    var context = ProofContext.FromGraph(loss);
                    context.Declare("N", 1, 1, new SymbolConstant(4));
                    context.Declare("dL_dO", "d4", 1, FormulaParser.Parse("-(Y - yhat) * yhat * (1 - yhat) / N", context));
                    return new(loss, context, new Dictionary<string, string> { ["W(2)"] = "W2", ["W(1)"] = "W1" }, named);
                }
                case "002":
                {
                    var (x, y, w1, b1, w2, b2) = (C("x", 1, 1), C("y", 1, 1), P("WLm1", 1, 1), P("bLm1", 1, 1), P("WL", 1, 1), P("bL", 1, 1));
                    var a1 = N(N(w1.MatMul(x) + b1, "zLm1").Sigmoid(), "aLm1");
                    var a2 = N(N(w2.MatMul(a1) + b2, "zL").Sigmoid(), "aL");
                    var loss = AutoGrad.Nn.Loss.HalfSumSquared(a2, y);
                    return new(loss, ProofContext.FromGraph(loss), new Dictionary<string, string>
                    {
                        ["W^L"] = "WL", ["b^L"] = "bL", ["a^L"] = "aL", ["W^(L−1)"] = "WLm1", ["b^(L−1)"] = "bLm1",
                    }, named);
                }
                case "003/linear" or "003/linear, one example" or "003/biases" or "003/activations":
                {
                    // rows: a batch X (N = 4) in the linear network, one example x (1×d) elsewhere; d = 3, h = 5
                    bool batch = key == "003/linear", biases = key is "003/biases" or "003/activations", activations = key == "003/activations";
                    var x = C(batch ? "X" : "x", batch ? 4 : 1, 3);
                    var y = C("y", batch ? 4 : 1, 1);
                    var (w1, w2) = (P("W1", 3, 5), P("W2", 5, 1));
                    var z1 = N(biases ? x.MatMul(w1) + P("b1", 1, 5) : x.MatMul(w1), "z1");
                    var a1 = activations ? N(z1.Sigmoid(), "a1") : z1;
                    var z2 = N(biases ? a1.MatMul(w2) + P("b2", 1, 1) : a1.MatMul(w2), "z2");
                    var yHat = activations ? N(z2.Sigmoid(), "yhat") : z2;
                    var loss = AutoGrad.Nn.Loss.HalfSumSquared(yHat, y);
                    var context = ProofContext.FromGraph(loss);
                    if (activations) context.AliasFunction("df1", "σ′").AliasFunction("df2", "σ′");
                    else context.Alias("yhat", "z2");
                    return new(loss, context, new Dictionary<string, string>
                    {
                        ["w(2)"] = "W2", ["W(2)"] = "W2", ["w(1)"] = "W1", ["W(1)"] = "W1", ["b(2)"] = "b2", ["b(1)"] = "b1",
                    }, named);
                }
                case "004/1":
                case "004/1, biases":
                {
                    // x has its 1 appended (D = 3 rows); with the sentence's bias column, f = W̃[h; 1], W̃ = Wt (F×(H+1))
                    bool biases = key == "004/1, biases";
                    var (x, y, v) = (C("x", 3, 1), C("y", 2, 1), P("V", 4, 3));
                    var h = N(N(v.MatMul(x), "g").Sigmoid(), "h");
                    var f = N(biases ? P("Wt", 2, 5).MatMul(AppendOne(h, "h1", "E", "u")) : P("W", 2, 4).MatMul(h), "f");
                    var loss = AutoGrad.Nn.Loss.SumSquared(f, y);
                    var context = ProofContext.FromGraph(loss).AliasFunction("dsigma", "σ′");
                    if (!biases) context.Declare("dL_dg", "d4", 1, FormulaParser.Parse("(2 * W^T @ (f - y)) * dsigma(g)", context));
                    return new(loss, context, new Dictionary<string, string> { ["f"] = "f", ["h"] = "h", ["W"] = "W", ["g"] = "g", ["V"] = "V", ["W̃"] = "Wt" }, named);
                }
                case "004/2":
                case "004/2, biases":
                {
                    // h0 → W1 → g1 → σ → h^(N−1) → W^N → g^N → σ → h^N → W^F → f, sizes 3, 4, 5, 2; with the sentence's
                    // bias columns, W^N and W^F multiply [h^(N−1); 1] and [h^N; 1] (sizes 3, 4, 6, 2: every size distinct)
                    bool biases = key == "004/2, biases";
                    int dN = biases ? 6 : 5;
                    var (h0, y, w1) = (C("h0", 3, 1), C("y", 2, 1), P("W1", 4, 3));
                    var hNm1 = N(N(w1.MatMul(h0), "g1").Sigmoid(), "hNm1");
                    var hN = N(N(P("WN", dN, biases ? 5 : 4).MatMul(biases ? AppendOne(hNm1, "hNm1b", "E1", "u1") : hNm1), "gN").Sigmoid(), "hN");
                    var f = N(P("WF", 2, biases ? 7 : dN).MatMul(biases ? AppendOne(hN, "hNb", "E2", "u2") : hN), "f");
                    var loss = AutoGrad.Nn.Loss.SumSquared(f, y);
                    var context = ProofContext.FromGraph(loss).AliasFunction("dsigma", "σ′")
                        .Alias("Wn", "WN").Alias("gn", "gN").Alias("hn", "hN").Alias("hnm1", "hNm1");
                    // section 2 writes ∂L/∂h^N and ∂L/∂g^N as rows; with bias columns, the rows go through W^F without its bias column, W^F·E2
                    if (biases) context.Declare("WF0", "d2", string.Create(CultureInfo.InvariantCulture, $"d{dN}"), FormulaParser.Parse("WF @ E2", context));
                    context.Declare("dL_dhN", 1, string.Create(CultureInfo.InvariantCulture, $"d{dN}"), FormulaParser.Parse(biases ? "2 * (f - y)^T @ WF0" : "2 * (f - y)^T @ WF", context));
                    context.Declare("dL_dgN", 1, string.Create(CultureInfo.InvariantCulture, $"d{dN}"), FormulaParser.Parse("dL_dhN * dsigma(gN)^T", context));
                    context.Alias("dL_dhn", "dL_dhN").Alias("dL_dgn", "dL_dgN");
                    return new(loss, context, new Dictionary<string, string>
                    {
                        ["f"] = "f", ["W^F"] = "WF", ["h^N"] = "hN", ["g^N"] = "gN", ["W^N"] = "WN", ["h^(N−1)"] = "hNm1",
                        ["Wⁿ"] = "WN", ["gⁿ"] = "gN", ["hⁿ"] = "hN", ["hⁿ⁻¹"] = "hNm1", ["W̃ⁿ"] = "WN",
                    }, named);
                }
                default:
                    return null;
            }
        }
    }
}
