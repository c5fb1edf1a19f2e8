using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Proofs;

/// <summary>
/// Soundness: over random formula pairs — equal by a known identity, or one small change apart — whatever the prover
/// proves agrees when evaluated by the tape on random sizes and values, and whatever it refutes really differs.
/// </summary>
public class ProverSoundnessTests
{
    private static readonly ProofContext Context = RandomFormulas.Context();

    private sealed class Tally
    {
        public int Proved, UpToTranspose, Refuted, Unknown, Checked;
    }

    private static Tally Run(bool equalPairs, int cases)
    {
        var tally = new Tally();
        Properties.Check(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var formulas = new RandomFormulas(new Random(seed));
            var reference = formulas.Formula(3);
            var claim = equalPairs ? formulas.Equal(reference) : formulas.Changed(reference);
            var result = Prover.Prove(claim, reference, Context);
            string pair = $"claim {claim.ToText()}, reference {reference.ToText()}: {result}";
            switch (result.Verdict)
            {
                case ProofVerdict.Proved or ProofVerdict.ProvedUpToTranspose:
                    if (result.Verdict == ProofVerdict.Proved) tally.Proved++;
                    else tally.UpToTranspose++;
                    for (int draw = 0; draw < 2; draw++)
                    {
                        var sizes = new Dictionary<string, int> { ["n"] = formulas.Size(), ["m"] = formulas.Size(), ["k"] = formulas.Size() };
                        var values = formulas.Values(sizes);
                        var left = RandomFormulas.Evaluate(claim, sizes, values) ?? throw new Xunit.Sdk.XunitException($"proved, but the claim does not multiply at {Show(sizes)}: {pair}");
                        var right = RandomFormulas.Evaluate(reference, sizes, values)!;
                        AssertAgree(left, result.Verdict == ProofVerdict.Proved ? right : Transpose(right), $"{pair} at {Show(sizes)}");
                        tally.Checked++;
                    }
                    break;
                case ProofVerdict.Refuted:
                    tally.Refuted++;
                    Assert.False(equalPairs, $"an identity was refuted: {pair}");
                    break;
                default:
                    tally.Unknown++;
                    break;
            }
            if (equalPairs) Assert.True(result.Verdict == ProofVerdict.Proved, $"an identity was not proved: {pair}");
        }, cases);
        return tally;
    }

    [Fact]
    public void Pairs_equal_by_a_known_identity_are_proved_and_agree_numerically()
    {
        var tally = Run(equalPairs: true, cases: 1000);
        Assert.Equal(1000 * Properties.Scale, tally.Proved);
        Assert.Equal(2000 * Properties.Scale, tally.Checked);
    }

    [Fact]
    public void Pairs_one_change_apart_are_refuted_or_when_proved_really_are_equal()
    {
        var tally = Run(equalPairs: false, cases: 1000);
        // most changes make a different formula; a change can leave it equal (ᵀ of a 1×1, swapped ⊙ operands) or
        // make its transpose (a ᵀ added at the root)
        Assert.True(tally.Refuted > 500 * Properties.Scale && tally.Unknown < 50 * Properties.Scale, $"refuted {tally.Refuted}, proved {tally.Proved}, up to ᵀ {tally.UpToTranspose}, unknown {tally.Unknown}");
    }

    /// <summary>
    /// f ⊙ g / g against f, g = σ(A), exp(A) (never zero: must be proved), relu(A), tanh(A) or A itself (zero somewhere:
    /// must not be): whenever proved, the tape's evaluation agrees — a 0/0 where relu(A) = 0 would show as NaN.
    /// </summary>
    [Fact]
    public void A_ratio_is_cancelled_only_where_it_cannot_be_zero_over_zero()
    {
        int proved = 0;
        Properties.Check(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var random = new Random(seed);
            var formulas = new RandomFormulas(random);
            var reference = formulas.Formula(2);
            var shape = new FormulaShapes(Context).Of(reference);
            string Dim(Dimension d) => d.Name ?? "1";
            SymbolicExpression a = new SymbolName((random.Next(2) == 0 ? "A" : "B") + Dim(shape.Rows) + Dim(shape.Columns));
            string function = new[] { "σ", "exp", "relu", "tanh", "" }[random.Next(5)];
            var g = function == "" ? a : new SymbolFunction(function, a);
            var claim = new SymbolBinary("/", new SymbolBinary("⊙", reference, g), g);
            var result = Prover.Prove(claim, reference, Context);
            string pair = $"claim {claim.ToText()}, reference {reference.ToText()}: {result}";
            if (function is "σ" or "exp") Assert.True(result.Verdict == ProofVerdict.Proved, pair);
            if (result.Verdict != ProofVerdict.Proved) return;
            proved++;
            var sizes = new Dictionary<string, int> { ["n"] = formulas.Size(), ["m"] = formulas.Size(), ["k"] = formulas.Size() };
            var values = formulas.Values(sizes);
            AssertAgree(RandomFormulas.Evaluate(claim, sizes, values)!, RandomFormulas.Evaluate(reference, sizes, values)!, $"{pair} at {Show(sizes)}");
        }, 300);
        Assert.True(proved > 60, $"only {proved} ratios proved");
    }

    private static void AssertAgree(double[,] a, double[,] b, string what)
    {
        Assert.True(a.GetLength(0) == b.GetLength(0) && a.GetLength(1) == b.GetLength(1), $"shapes {a.GetLength(0)}×{a.GetLength(1)} and {b.GetLength(0)}×{b.GetLength(1)}: {what}");
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                double x = a[i, j], y = b[i, j];
                Assert.True(Math.Abs(x - y) <= 1e-12 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y))), $"[{i},{j}]: {x} vs {y}: {what}");
            }
        }
    }

    private static double[,] Transpose(double[,] m)
    {
        var t = new double[m.GetLength(1), m.GetLength(0)];
        for (int i = 0; i < m.GetLength(0); i++) for (int j = 0; j < m.GetLength(1); j++) t[j, i] = m[i, j];
        return t;
    }

    private static string Show(Dictionary<string, int> sizes) => string.Join(", ", sizes.Select(s => $"{s.Key} = {s.Value}"));
}
