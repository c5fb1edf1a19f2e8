using AutoGrad.Derivations.Ledger;

namespace AutoGrad.Ledger;

/// <summary>
/// A symbolic verdict per derivative row of the ledger: the row's formula typed in ASCII (<see cref="LedgerRow.Ascii"/>)
/// against the tape's gradient formula of the quantity the row differentiates (∂L/∂q, read off the row's formula),
/// by <see cref="Prover"/>, on the note's network with sigmoid activations and the ASCII's own names. Proved means
/// equal for every size; proved up to ᵀ, the row's layout is the transpose (a convention); refuted, a counterexample.
/// </summary>
public static class SymbolicVerdicts
{
    /// <summary>The notes whose rows get a verdict (a network with the ASCII's names is set up for each).</summary>
    public static readonly IReadOnlyList<string> Notes = ["000", "001", "002", "004"];

    /// <summary>Every row of <paramref name="rows"/> (one note, in order) with its verdict; null for a row that is not a derivative of the loss.</summary>
    public static IReadOnlyList<(LedgerRow Row, string? Target, ProofResult? Verdict)> For(IEnumerable<LedgerRow> rows)
    {
        var result = new List<(LedgerRow, string?, ProofResult?)>();
        string? previous = null;
        var setups = new Dictionary<string, Setup?>();
        foreach (var row in rows)
        {
            // note 004's two sections are two networks
            string key = row.Note == "004" && row.Section.Length > 0 ? $"004/{row.Section[0]}" : row.Note;
            if (!setups.TryGetValue(key, out var setup))
            {
                setups[key] = setup = Setup.Of(key);
                previous = null;
            }
            string? target = TargetOf(row, previous, setup);
            previous = target ?? (row.Formula.TrimStart().StartsWith('=') ? previous : null);
            bool derivative = row.Kind is RowKind.Derivative or RowKind.IndexForm or RowKind.Convention or RowKind.Erratum or RowKind.Repeat;
            if (setup is null || target is null || row.Ascii is null || !derivative)
            {
                result.Add((row, target, null));
                continue;
            }
            var parameter = setup.Named(target);
            result.Add((row, target, Prover.ProveGradient(setup.Loss, parameter, row.Ascii, setup.Context)));
        }
        return result;
    }

    /// <summary>The quantity a row differentiates: "∂L/∂W[2] = …" gives W2 (in the ASCII's names); a row that starts with "=" continues the previous one.</summary>
    private static string? TargetOf(LedgerRow row, string? previous, Setup? setup)
    {
        string formula = row.Formula.Trim();
        if (formula.StartsWith('=')) return previous;
        int slash = formula.IndexOf("/∂", StringComparison.Ordinal);
        int equals = formula.IndexOf(" =", StringComparison.Ordinal);
        if (setup is null || slash < 0 || equals < slash || !(formula.StartsWith("∂L/", StringComparison.Ordinal) || formula.StartsWith("∂C₀/", StringComparison.Ordinal)))
        {
            return null;
        }
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

        public static Setup? Of(string note)
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
            switch (note)
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
                case "004/1":
                {
                    var (x, y, v, w) = (C("x", 3, 1), C("y", 2, 1), P("V", 4, 3), P("W", 2, 4));
                    var h = N(N(v.MatMul(x), "g").Sigmoid(), "h");
                    var loss = AutoGrad.Nn.Loss.SumSquared(N(w.MatMul(h), "f"), y);
                    var context = ProofContext.FromGraph(loss).AliasFunction("dsigma", "σ′");
                    context.Declare("dL_dg", "d4", 1, FormulaParser.Parse("(2 * W^T @ (f - y)) * dsigma(g)", context));
                    return new(loss, context, new Dictionary<string, string> { ["f"] = "f", ["h"] = "h", ["W"] = "W", ["g"] = "g", ["V"] = "V" }, named);
                }
                case "004/2":
                {
                    // h0 → W1 → g1 → σ → h^(N−1) → W^N → g^N → σ → h^N → W^F → f, sizes 3, 4, 5, 2
                    var (h0, y, w1, wN, wF) = (C("h0", 3, 1), C("y", 2, 1), P("W1", 4, 3), P("WN", 5, 4), P("WF", 2, 5));
                    var hNm1 = N(N(w1.MatMul(h0), "g1").Sigmoid(), "hNm1");
                    var hN = N(N(wN.MatMul(hNm1), "gN").Sigmoid(), "hN");
                    var loss = AutoGrad.Nn.Loss.SumSquared(N(wF.MatMul(hN), "f"), y);
                    var context = ProofContext.FromGraph(loss).AliasFunction("dsigma", "σ′")
                        .Alias("Wn", "WN").Alias("gn", "gN").Alias("hn", "hN").Alias("hnm1", "hNm1");
                    // section 2 writes ∂L/∂h^N and ∂L/∂g^N as rows
                    context.Declare("dL_dhN", 1, "d5", FormulaParser.Parse("2 * (f - y)^T @ WF", context));
                    context.Declare("dL_dgN", 1, "d5", FormulaParser.Parse("dL_dhN * dsigma(gN)^T", context));
                    context.Alias("dL_dhn", "dL_dhN").Alias("dL_dgn", "dL_dgN");
                    return new(loss, context, new Dictionary<string, string>
                    {
                        ["f"] = "f", ["W^F"] = "WF", ["h^N"] = "hN", ["g^N"] = "gN", ["W^N"] = "WN", ["h^(N−1)"] = "hNm1",
                        ["Wⁿ"] = "WN", ["gⁿ"] = "gN", ["hⁿ"] = "hN", ["hⁿ⁻¹"] = "hNm1",
                    }, named);
                }
                default:
                    return null;
            }
        }
    }
}
