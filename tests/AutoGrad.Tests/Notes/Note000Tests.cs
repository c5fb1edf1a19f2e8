using AutoGrad.Derivations;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Ledger;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static AutoGrad.Tests.Notes.NoteSupport;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Note 000: z[1] = W[1]x + b[1], a[1] = σ(z[1]), z[2] = W[2]a[1] + b[2], ŷ = f(z[2]), L = ½‖y − ŷ‖², column vectors.
/// Every row of <see cref="Ledger000"/>: σ ∈ {sigmoid, ReLU, identity}, f ∈ {sigmoid, identity, ReLU}.
/// </summary>
public class Note000Tests
{
    public sealed record Case(Support.Matrix X, Support.Matrix W1, Support.Matrix B1, Support.Matrix W2, Support.Matrix B2, Support.Matrix Y,
        ScalarFunction Sigma, ScalarFunction F)
    {
        public Data000 Data => new(X.M(), W1.M(), B1.M(), W2.M(), B2.M(), Y.M(), Sigma, F);

        public override string ToString() =>
            $"σ = {Sigma}, f = {F}, n0 = {X.Rows}, n1 = {W1.Rows}, n2 = {W2.Rows}\n x = {X}\n W1 = {W1}\n b1 = {B1}\n W2 = {W2}\n b2 = {B2}\n y = {Y}";

        public IEnumerable<Case> Shrink()
        {
            int n0 = X.Rows, n1 = W1.Rows, n2 = W2.Rows;
            if (n0 > 1) yield return this with { X = X.Crop(n0 - 1, 1), W1 = W1.Crop(n1, n0 - 1) };
            if (n1 > 1) yield return this with { W1 = W1.Crop(n1 - 1, n0), B1 = B1.Crop(n1 - 1, 1), W2 = W2.Crop(n2, n1 - 1) };
            if (n2 > 1) yield return this with { W2 = W2.Crop(n2 - 1, n1), B2 = B2.Crop(n2 - 1, 1), Y = Y.Crop(n2 - 1, 1) };
            foreach (var m in ShrinkOneAtATime(X, W1, B1, W2, B2, Y))
            {
                yield return this with { X = m[0], W1 = m[1], B1 = m[2], W2 = m[3], B2 = m[4], Y = m[5] };
            }
        }
    }

    private static Arbitrary<Case> Cases(Gen<double> values, Gen<ScalarFunction> sigma, Gen<ScalarFunction> f) => Arb.From(
        from n0 in Width
        from n1 in Width
        from n2 in Width
        from x in Of(n0, 1, values)
        from w1 in Of(n1, n0, values)
        from b1 in Of(n1, 1, values)
        from w2 in Of(n2, n1, values)
        from b2 in Of(n2, 1, values)
        from y in Of(n2, 1, values)
        from s in sigma
        from o in f
        select new Case(x, w1, b1, w2, b2, y, s, o),
        c => c.Shrink());

    private static readonly Gen<ScalarFunction> Activations = Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Relu, ScalarFunction.Identity);
    private static readonly Gen<ScalarFunction> Smooth = Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Tanh, ScalarFunction.Identity);

    public static TheoryData<string> RowIds => LedgerHarness.Ids(Ledger000.All);

    public static TheoryData<string> FdRowIds => LedgerHarness.FdIds(Ledger000.All, "Note000Tests.Row_agrees_with_finite_differences");

    [Theory]
    [MemberData(nameof(RowIds))]
    public void Row_agrees_with_the_tape(string id) =>
        LedgerHarness.RowAgrees(LedgerHarness.Find(Ledger000.All, id), Cases(Value, Activations, Activations), c => c.Data, d => new Tape000(d));

    [Theory]
    [MemberData(nameof(FdRowIds))]
    public void Row_agrees_with_finite_differences(string id) =>
        LedgerHarness.RowAgreesWithFiniteDifferences(LedgerHarness.Find(Ledger000.All, id), Cases(SmoothValue, Smooth, Smooth), c => c.Data, d => new Tape000(d));
}
