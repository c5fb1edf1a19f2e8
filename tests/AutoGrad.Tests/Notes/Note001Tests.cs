using AutoGrad.Derivations;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Ledger;
using AutoGrad.Nn;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using static AutoGrad.Tests.Notes.NoteSupport;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Note 001: H = XW(1), Z = σ(H), O = ZW(2), ŷ = σ(O), L = 1/(2N) Σ (Yᵢ − ŷᵢ)², a batch of N rows, one output.
/// Every row of <see cref="Ledger001"/>, and the bias-column reading of the sentence before eq. (4).
/// </summary>
public class Note001Tests
{
    public sealed record Case(Support.Matrix X, Support.Matrix W1, Support.Matrix W2, Support.Matrix Y)
    {
        public Data001 Data => new(X.M(), W1.M(), W2.M(), Y.M());

        public override string ToString() => $"N = {X.Rows}, d = {X.Cols}, h = {W1.Cols}\n X = {X}\n W1 = {W1}\n W2 = {W2}\n Y = {Y}";

        public IEnumerable<Case> Shrink()
        {
            int n = X.Rows, d = X.Cols, h = W1.Cols;
            if (n > 1) yield return this with { X = X.Crop(n - 1, d), Y = Y.Crop(n - 1, 1) };
            if (d > 1) yield return this with { X = X.Crop(n, d - 1), W1 = W1.Crop(d - 1, h) };
            if (h > 1) yield return this with { W1 = W1.Crop(d, h - 1), W2 = W2.Crop(h - 1, 1) };
            foreach (var m in ShrinkOneAtATime(X, W1, W2, Y))
            {
                yield return this with { X = m[0], W1 = m[1], W2 = m[2], Y = m[3] };
            }
        }
    }

    /// <summary>Batches up to 6 (the Jacobians of eq. (8) are (N·h)×(N·h)).</summary>
    private static Arbitrary<Case> Cases(Gen<double> values) => Arb.From(
        from n in Gen.Choose(1, 6)
        from d in Width
        from h in Gen.Choose(1, 6)
        from x in Of(n, d, values)
        from w1 in Of(d, h, values)
        from w2 in Of(h, 1, values)
        from y in Of(n, 1, values)
        select new Case(x, w1, w2, y),
        c => c.Shrink());

    public static TheoryData<string> RowIds => LedgerHarness.Ids(Ledger001.All);

    public static TheoryData<string> FdRowIds => LedgerHarness.FdIds(Ledger001.All, "Note001Tests.Row_agrees_with_finite_differences");

    [Theory]
    [MemberData(nameof(RowIds))]
    public void Row_agrees_with_the_tape(string id) =>
        LedgerHarness.RowAgrees(LedgerHarness.Find(Ledger001.All, id), Cases(Value), c => c.Data, d => new Tape001(d));

    [Theory]
    [MemberData(nameof(FdRowIds))]
    public void Row_agrees_with_finite_differences(string id) =>
        LedgerHarness.RowAgreesWithFiniteDifferences(LedgerHarness.Find(Ledger001.All, id), Cases(SmoothValue), c => c.Data, d => new Tape001(d));

    /// <summary>
    /// The text appends a bias column to Z. With Z̃ = [σ(H), 1] and W̃(2) = [W(2); b] of (h+1)×1 — the tape's
    /// O = σ(H)W(2) + b — eq. (7) run over k = 1..h+1 (with Z̃) is ∂L/∂W̃(2) exactly, bias entry included, and
    /// eq. (9) for l = 1..h is ∂L/∂W(1) exactly: the note omits only the display equation Z ← [σ(H), 1].
    /// </summary>
    [Fact]
    public void Bias_column_reading_makes_eq_7_exact_over_k_to_h_plus_1() =>
        Check(Arb.From(from c in Cases(Value).Generator from bias in Value select (c, bias)), p =>
        {
            var (c, bias) = p;
            var (x, w1, w2, y) = (c.X.M(), c.W1.M(), c.W2.M(), c.Y.M());
            var w2WithBias = w2.Stack(Matrix<double>.Build.Dense(1, 1, bias));

            var tw1 = c.W1.T("W1");
            var tw2 = c.W2.T("W2");
            var b = Tensor.Scalar(bias, requiresGrad: true, name: "b");
            var h = c.X.T("X", false).MatMul(tw1);
            var yHat = (h.Sigmoid().MatMul(tw2) + b).Sigmoid();
            Loss.HalfMeanSquared(yHat, c.Y.T("Y", false)).Backward();

            var eq7 = Note001.GradW2WithBiasColumn(x, w1, w2WithBias, y); // Σᵢ −(1/N)(Yᵢ − ŷᵢ)ŷᵢ(1 − ŷᵢ)Z̃ᵢₖ, k = 1..h+1
            double floor = SaturationFloor(w2WithBias.RowCount, w2WithBias, y, x); // values reach ±40: sigmoids saturate
            AssertSame("eq. (7), k = 1..h", eq7.SubMatrix(0, c.W2.Rows, 0, 1), tw2.Grad, floor);
            AssertSame("eq. (7), k = h+1 (the bias)", eq7.SubMatrix(c.W2.Rows, 1, 0, 1), b.Grad, floor);

            var zTilde = x.Times(w1).Apply(ScalarFunction.SigmoidValue).AppendOnesColumn();
            var o = zTilde.Times(w2WithBias);
            var fw = new Note001.Forward(x.Times(w1), zTilde, o, o.Apply(ScalarFunction.SigmoidValue), double.NaN);
            AssertSame("eq. (9), l = 1..h", Note001.GradW1Elementwise(fw, x, w2WithBias, y), tw1.Grad, floor);
        });
}
