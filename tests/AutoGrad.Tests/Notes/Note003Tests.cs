using AutoGrad.Derivations;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Ledger;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;
using static AutoGrad.Tests.Notes.NoteSupport;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Note 003 (handwritten): ŷ = XW(1)W(2); then with biases; then with activations f₁, f₂ (sigmoid in its last lines);
/// L = ½ Σ (ŷ − y)² (from ∂L/∂ŷ = ŷ − y). Every row of <see cref="Ledger003"/>, f₁, f₂ ∈ {sigmoid, ReLU, identity};
/// the errata's literals on the note's shapes; which reading of z₁ makes line 67 exact.
/// </summary>
public class Note003Tests(ITestOutputHelper output)
{
    public sealed record Case(Network003 Network, Support.Matrix X, Support.Matrix W1, Support.Matrix B1, Support.Matrix W2, Support.Matrix B2, Support.Matrix Y,
        ScalarFunction F1, ScalarFunction F2)
    {
        public Data003 Data => new(Network, X.M(), W1.M(), B1.M(), W2.M(), B2.M(), Y.M(), F1, F2);

        public override string ToString() =>
            $"{Network}, f₁ = {F1}, f₂ = {F2}, N = {X.Rows}, d = {X.Cols}, h = {W1.Cols}\n X = {X}\n W1 = {W1}\n b1 = {B1}\n W2 = {W2}\n b2 = {B2}\n y = {Y}";

        public IEnumerable<Case> Shrink()
        {
            int n = X.Rows, d = X.Cols, h = W1.Cols;
            if (n > 1) yield return this with { X = X.Crop(n - 1, d), Y = Y.Crop(n - 1, 1) };
            if (d > 1) yield return this with { X = X.Crop(n, d - 1), W1 = W1.Crop(d - 1, h) };
            if (h > 1) yield return this with { W1 = W1.Crop(d, h - 1), B1 = B1.Crop(1, h - 1), W2 = W2.Crop(h - 1, 1) };
            foreach (var m in ShrinkOneAtATime(X, W1, B1, W2, B2, Y))
            {
                yield return this with { X = m[0], W1 = m[1], B1 = m[2], W2 = m[3], B2 = m[4], Y = m[5] };
            }
        }
    }

    private static Arbitrary<Case> Cases(Gen<double> values, Gen<ScalarFunction> activations, Gen<int>? hidden = null) => Arb.From(
        from network in Gen.Elements(Network003.Linear, Network003.Biases, Network003.Activations)
        from n in network == Network003.Linear ? Gen.Choose(1, 6) : Gen.Constant(1)
        from d in Gen.Choose(1, 6)
        from h in hidden ?? Gen.Choose(1, 6)
        from x in Of(n, d, values)
        from w1 in Of(d, h, values)
        from b1 in Of(1, h, values)
        from w2 in Of(h, 1, values)
        from b2 in Of(1, 1, values)
        from y in Of(n, 1, values)
        from f1 in activations
        from f2 in activations
        select new Case(network, x, w1, b1, w2, b2, y, f1, f2),
        c => c.Shrink());

    private static readonly Gen<ScalarFunction> Named = Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Relu, ScalarFunction.Identity);
    private static readonly Gen<ScalarFunction> Smooth = Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Tanh, ScalarFunction.Identity);

    public static TheoryData<string> RowIds => LedgerHarness.Ids(Ledger003.All);

    public static TheoryData<string> FdRowIds => LedgerHarness.FdIds(Ledger003.All, "Note003Tests.Row_agrees_with_finite_differences");

    public static TheoryData<string> ErratumIds => LedgerHarness.Ids(Ledger003.All.Where(r => r.Kind == RowKind.Erratum));

    [Theory]
    [MemberData(nameof(RowIds))]
    public void Row_agrees_with_the_tape(string id) =>
        LedgerHarness.RowAgrees(LedgerHarness.Find(Ledger003.All, id), Cases(Value, Named), c => c.Data, d => new Tape003(d));

    [Theory]
    [MemberData(nameof(FdRowIds))]
    public void Row_agrees_with_finite_differences(string id) =>
        LedgerHarness.RowAgreesWithFiniteDifferences(LedgerHarness.Find(Ledger003.All, id), Cases(SmoothValue, Smooth), c => c.Data, d => new Tape003(d));

    [Theory]
    [MemberData(nameof(ErratumIds))]
    public void Erratum_literal_fails_as_the_ledger_says(string id) =>
        LedgerHarness.ErratumLiteral(LedgerHarness.Find(Ledger003.All, id), Cases(Value, Named), c => c.Data, d => new Tape003(d), output);

    /// <summary>
    /// Line 67 for one example and one hidden unit, where every factor is 1×1: with z₁ = xw(1) + b(1) — the reading
    /// ∂z₁/∂w(1) = x implies — it is the tape's gradient (transposed, for d &gt; 1) exactly; with z₁ the activation
    /// f₁(xw(1) + b(1)), as the underbrace labels it, it differs (FsCheck's shrunk counterexample is printed).
    /// </summary>
    [Fact]
    public void Line_67_for_one_hidden_unit_is_exact_with_z1_the_preactivation_and_wrong_with_z1_the_activation()
    {
        var oneUnit = Arb.From(Cases(Value, Gen.Constant(ScalarFunction.Sigmoid), Gen.Constant(1)).Generator.Where(c => c.Network == Network003.Activations), c => c.Shrink());
        Check(oneUnit, c =>
        {
            var d = c.Data;
            var result = ClaimCheck.Evaluate(new Claim("line 67, z₁ = xw(1) + b(1)", Target.Grad("W1"), () => Ledger003.Line67AsWritten(d), Transposed: true), new Tape003(d));
            Assert.True(result.Agrees, result.Describe());
        });
        LedgerHarness.AssertLiteralFalsified(oneUnit, c =>
        {
            var d = c.Data;
            var result = ClaimCheck.Evaluate(new Claim("line 67, z₁ = f₁(xw(1) + b(1))", Target.Grad("W1"), () => Ledger003.Line67WithZ1TheActivation(d), Transposed: true), new Tape003(d));
            Assert.True(result.Agrees, $"{LedgerHarness.LiteralDiffers}: {result.Describe()}");
        }, output);
    }
}
