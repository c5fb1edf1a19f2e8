using AutoGrad.Derivations;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Ledger;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using Xunit.Abstractions;
using static AutoGrad.Tests.Notes.NoteSupport;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Note 004. Section 1: g = Vx, h = σ(g), f = Wh, L = ‖y − f‖², x with its 1 appended (eq. 1–40). Section 2: N hidden
/// layers with ∂L/∂(vector) as a row (eq. 41–77) and SGD (eq. 78). Every row of <see cref="Ledger004Section1"/> and
/// <see cref="Ledger004Section2"/>, σ ∈ {sigmoid, ReLU, identity}; the errata's literals on the note's shapes.
/// </summary>
public class Note004Tests(ITestOutputHelper output)
{
    public sealed record Case(Support.Matrix X, Support.Matrix V, Support.Matrix W, Support.Matrix Y, ScalarFunction Sigma, Support.Matrix? WBias)
    {
        public Data004S1 Data => new(X.M().AppendOne(), V.M(), W.M(), Y.M(), Sigma, WBias?.M());

        public override string ToString() => $"σ = {Sigma}, D = {X.Rows} (+1), H = {V.Rows}, F = {W.Rows}\n x = {X}\n V = {V}\n W = {W}\n y = {Y}" + (WBias is null ? "" : $"\n W's bias column = {WBias}");

        public IEnumerable<Case> Shrink()
        {
            foreach (var m in ShrinkOneAtATime(X, V, W, Y))
            {
                yield return this with { X = m[0], V = m[1], W = m[2], Y = m[3] };
            }
        }
    }

    private static Arbitrary<Case> SectionOne(Gen<double> values, Gen<ScalarFunction> sigma) => Arb.From(
        from d in Width
        from h in Width
        from f in Width
        from x in Of(d, 1, values)
        from v in Of(h, d + 1, values)
        from w in Of(f, h, values)
        from y in Of(f, 1, values)
        from s in sigma
        from biased in Gen.Elements(false, true)
        from b in Of(f, 1, values)
        select new Case(x, v, w, y, s, biased ? b : null),
        c => c.Shrink());

    public sealed record DeepCase(Support.Matrix H0, Support.Matrix[] Weights, ScalarFunction[] Sigmas, Support.Matrix WF, Support.Matrix Y, double Eta, bool Biased)
    {
        public Data004S2 Data => new(H0.M(), Weights.Select(w => w.M()).ToArray(), Sigmas, WF.M(), Y.M(), Eta, Biased);

        public override string ToString() =>
            $"N = {Weights.Length} hidden layers ({string.Join(", ", Sigmas.Select(s => s.Name))}), widths {H0.Rows} → {string.Join(" → ", Weights.Select(w => w.Rows))} → {WF.Rows}{(Biased ? ", with bias columns" : "")}, η = {Eta}\n" +
            $" h⁰ = {H0}\n" + string.Concat(Weights.Select((w, n) => $" W^{n + 1} = {w}\n")) + $" W^F = {WF}\n y = {Y}";

        public IEnumerable<DeepCase> Shrink()
        {
            if (Weights.Length > 1 && !Biased)
            {
                int width = Weights[^2].Rows; // drop the last hidden layer; W^F then reads the previous one
                yield return this with
                {
                    Weights = Weights[..^1], Sigmas = Sigmas[..^1],
                    WF = new Support.Matrix(WF.Rows, width, Enumerable.Range(0, WF.Rows * width).Select(k => k % width < WF.Cols ? WF[k / width, k % width] : 0.0).ToArray()),
                };
            }
            foreach (var m in ShrinkOneAtATime([H0, WF, Y, .. Weights]))
            {
                yield return this with { H0 = m[0], WF = m[1], Y = m[2], Weights = m[3..] };
            }
        }
    }

    private static Arbitrary<DeepCase> SectionTwo(Gen<double> values, Gen<ScalarFunction> sigma) => Arb.From(
        from depth in Gen.Choose(1, 4)
        from widths in Gen.ArrayOf(Gen.Choose(1, 6), depth + 2)
        from biased in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from h0 in Of(widths[0], 1, values)
        from weights in Gen.CollectToArray(Enumerable.Range(1, depth).Select(n => Of(widths[n], widths[n - 1] + (biased && n >= 2 ? 1 : 0), values)))
        from activations in Gen.ArrayOf(sigma, depth)
        from wF in Of(widths[depth + 1], widths[depth] + (biased ? 1 : 0), values)
        from y in Of(widths[depth + 1], 1, values)
        from eta in Gen.Choose(1, 100)
        select new DeepCase(h0, weights, activations, wF, y, eta / 100.0, biased),
        c => c.Shrink());

    private static readonly Gen<ScalarFunction> Named = Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Relu, ScalarFunction.Identity);
    private static readonly Gen<ScalarFunction> Smooth = Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Tanh, ScalarFunction.Identity);

    public static TheoryData<string> Section1RowIds => LedgerHarness.Ids(Ledger004Section1.All);

    public static TheoryData<string> Section1FdRowIds => LedgerHarness.FdIds(Ledger004Section1.All, "Note004Tests.Section_1_row_agrees_with_finite_differences");

    public static TheoryData<string> Section1ErratumIds => LedgerHarness.Ids(Ledger004Section1.All.Where(r => r.Kind == RowKind.Erratum));

    public static TheoryData<string> Section2RowIds => LedgerHarness.Ids(Ledger004Section2.All);

    public static TheoryData<string> Section2FdRowIds => LedgerHarness.FdIds(Ledger004Section2.All, "Note004Tests.Section_2_row_agrees_with_finite_differences");

    public static TheoryData<string> Section2ErratumIds => LedgerHarness.Ids(Ledger004Section2.All.Where(r => r.Kind == RowKind.Erratum));

    [Theory]
    [MemberData(nameof(Section1RowIds))]
    public void Section_1_row_agrees_with_the_tape(string id) =>
        LedgerHarness.RowAgrees(LedgerHarness.Find(Ledger004Section1.All, id), SectionOne(Value, Named), c => c.Data, d => new Tape004S1(d));

    [Theory]
    [MemberData(nameof(Section1FdRowIds))]
    public void Section_1_row_agrees_with_finite_differences(string id) =>
        LedgerHarness.RowAgreesWithFiniteDifferences(LedgerHarness.Find(Ledger004Section1.All, id), SectionOne(SmoothValue, Smooth), c => c.Data, d => new Tape004S1(d));

    [Theory]
    [MemberData(nameof(Section1ErratumIds))]
    public void Section_1_erratum_literal_fails_as_the_ledger_says(string id) =>
        LedgerHarness.ErratumLiteral(LedgerHarness.Find(Ledger004Section1.All, id), SectionOne(Value, Named), c => c.Data, d => new Tape004S1(d), output);

    [Theory]
    [MemberData(nameof(Section2RowIds))]
    public void Section_2_row_agrees_with_the_tape(string id) =>
        LedgerHarness.RowAgrees(LedgerHarness.Find(Ledger004Section2.All, id), SectionTwo(Value, Named), c => c.Data, d => new Tape004S2(d));

    [Theory]
    [MemberData(nameof(Section2FdRowIds))]
    public void Section_2_row_agrees_with_finite_differences(string id) =>
        LedgerHarness.RowAgreesWithFiniteDifferences(LedgerHarness.Find(Ledger004Section2.All, id), SectionTwo(SmoothValue, Smooth), c => c.Data, d => new Tape004S2(d));

    [Theory]
    [MemberData(nameof(Section2ErratumIds))]
    public void Section_2_erratum_literal_fails_as_the_ledger_says(string id) =>
        LedgerHarness.ErratumLiteral(LedgerHarness.Find(Ledger004Section2.All, id), SectionTwo(Value, Named), c => c.Data, d => new Tape004S2(d), output);
}
