using AutoGrad.Derivations;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Ledger;
using static AutoGrad.Tests.Notes.NoteSupport;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Note 002: z^(L−1) = W^(L−1)x + b^(L−1), a^(L−1) = σ(z^(L−1)), z^L = W^L a^(L−1) + b^L, a^L = σ(z^L),
/// C₀ = ½(a^L − y)², written in scalars. Every row of <see cref="Ledger002"/> on that network (every layer of
/// width 1); the same chains for wider layers as outer products; eq. (17) against eq. (24) over the whole double range.
/// </summary>
public class Note002Tests
{
    public sealed record Case(Support.Matrix X, Support.Matrix WLm1, Support.Matrix BLm1, Support.Matrix WL, Support.Matrix BL, Support.Matrix Y)
    {
        public int N0 => X.Rows;
        public int N1 => WLm1.Rows;
        public int N2 => WL.Rows;

        public override string ToString() =>
            $"n0 = {N0}, n1 = {N1}, n2 = {N2}\n x = {X}\n W^(L-1) = {WLm1}\n b^(L-1) = {BLm1}\n W^L = {WL}\n b^L = {BL}\n y = {Y}";

        public IEnumerable<Case> Shrink()
        {
            if (N0 > 1) yield return this with { X = X.Crop(N0 - 1, 1), WLm1 = WLm1.Crop(N1, N0 - 1) };
            if (N1 > 1) yield return this with { WLm1 = WLm1.Crop(N1 - 1, N0), BLm1 = BLm1.Crop(N1 - 1, 1), WL = WL.Crop(N2, N1 - 1) };
            if (N2 > 1) yield return this with { WL = WL.Crop(N2 - 1, N1), BL = BL.Crop(N2 - 1, 1), Y = Y.Crop(N2 - 1, 1) };
            foreach (var m in ShrinkOneAtATime(X, WLm1, BLm1, WL, BL, Y))
            {
                yield return this with { X = m[0], WLm1 = m[1], BLm1 = m[2], WL = m[3], BL = m[4], Y = m[5] };
            }
        }
    }

    private static Arbitrary<Case> Cases(Gen<int> n0s, Gen<int> n1s, Gen<int> n2s, Gen<double>? values = null) => Arb.From(
        from n0 in n0s
        from n1 in n1s
        from n2 in n2s
        from x in Of(n0, 1, values)
        from w1 in Of(n1, n0, values)
        from b1 in Of(n1, 1, values)
        from w2 in Of(n2, n1, values)
        from b2 in Of(n2, 1, values)
        from y in Of(n2, 1, values)
        select new Case(x, w1, b1, w2, b2, y),
        c => c.Shrink());

    private static readonly Gen<int> One = Gen.Constant(1);
    private static readonly Arbitrary<Case> ScalarNetwork = Cases(One, One, One);
    private static readonly Arbitrary<Case> VectorLayers = Cases(Width, Width, Width);

    private sealed class Tape
    {
        public Tape(Case c)
        {
            WLm1 = c.WLm1.T("W^(L-1)"); BLm1 = c.BLm1.T("b^(L-1)"); WL = c.WL.T("W^L"); BL = c.BL.T("b^L");
            ZLm1 = (WLm1.MatMul(c.X.T("x", false)) + BLm1).RetainGrad();
            ALm1 = ZLm1.Sigmoid().RetainGrad();
            ZL = (WL.MatMul(ALm1) + BL).RetainGrad();
            AL = ZL.Sigmoid().RetainGrad();
            Loss.HalfSumSquared(AL, c.Y.T("y", false)).Backward();
        }

        public Tensor<double> WLm1, BLm1, WL, BL, ZLm1, ALm1, ZL, AL;
    }

    private static Note002.Forward Run(Case c) => Note002.Run(c.X.M(), c.WLm1.M(), c.BLm1.M(), c.WL.M(), c.BL.M(), c.Y.M());

    private static Arbitrary<Data002> Scalars(Gen<double> values) => Arb.From(
        from v in Gen.ArrayOf(values, 6)
        select new Data002(v[0], v[1], v[2], v[3], v[4], v[5]),
        d => ShrinkOneAtATime(S(d.X), S(d.W1), S(d.B1), S(d.W2), S(d.B2), S(d.Y)).Select(m => new Data002(m[0][0, 0], m[1][0, 0], m[2][0, 0], m[3][0, 0], m[4][0, 0], m[5][0, 0])));

    private static Support.Matrix S(double v) => new(1, 1, [v]);

    public static TheoryData<string> RowIds => LedgerHarness.Ids(Ledger002.All);

    public static TheoryData<string> FdRowIds => LedgerHarness.FdIds(Ledger002.All, "Note002Tests.Row_agrees_with_finite_differences");

    [Theory]
    [MemberData(nameof(RowIds))]
    public void Row_agrees_with_the_tape(string id) =>
        LedgerHarness.RowAgrees(LedgerHarness.Find(Ledger002.All, id), Scalars(Value), d => d, d => new Tape002(d), CancellationFloor);

    /// <summary>
    /// A bound on how far the note's and the tape's values of a claim can drift apart by rounding alone, where a^L − y
    /// cancels (a^L ≈ y: the relative tolerance is then of a tiny result) or a(1 − a) does (a saturated sigmoid). The
    /// two compute a^L from their own σ — the note's 1/(1 + e^−z) within 3ε relative, the tape's kernel within 3 ulp
    /// (6ε) — and z from their own products, so with local slopes s = a(1 − a):
    /// Δz1 = 2ε(|W1·x| + |b1|), Δa1 = 9ε·a1 + s1·Δz1, Δz2 = |W2|·Δa1 + 2ε(|W2·a1| + |b2|), Δa2 = 9ε·a2 + s2·Δz2.
    /// Every claim of the note is a product of at most x, a1 or s1, W2, a2 or s2 and a^L − y, whose derivative with
    /// respect to a1 or a2 is at most (1 + |x|)(1 + |W2|)(2 + |y|); that times Δa1 + Δa2 is the floor. For ordinary
    /// values it is about 1e-14 — a wrong formula is off by the size of the gradient, not by that.
    /// </summary>
    internal static double CancellationFloor(Data002 d)
    {
        const double eps = 2.220446049250313e-16;
        double s1 = d.A1 * (1 - d.A1), s2 = d.A2 * (1 - d.A2);
        double dz1 = 2 * eps * (Math.Abs(d.W1 * d.X) + Math.Abs(d.B1));
        double da1 = 9 * eps * d.A1 + s1 * dz1;
        double dz2 = Math.Abs(d.W2) * da1 + 2 * eps * (Math.Abs(d.W2 * d.A1) + Math.Abs(d.B2));
        double da2 = 9 * eps * d.A2 + s2 * dz2;
        return (1 + Math.Abs(d.X)) * (1 + Math.Abs(d.W2)) * (2 + Math.Abs(d.Y)) * (da1 + da2);
    }

    [Fact]
    public void Row_40_agrees_with_the_tape_where_a_minus_y_cancels()
    {
        // y = the note's own a^L: the note's a^L − y is 0, the tape's is the difference of two σ kernels (an ulp or
        // so), relative to a result of 0. Found once as a flaky failure of rows (40) and (53) in a full run.
        var row = LedgerHarness.Find(Ledger002.All, "(40)");
        int cancelling = 0;
        for (int k = 1; k <= 200; k++)
        {
            var d = new Data002(0.7, 1.3, -0.2, 1.9, k / 50.0 - 2, 0);
            d = d with { Y = d.A2 };
            var tape = new Tape002(d);
            var tapeA2 = tape.Evaluate(Target.Value("a2"))[0, 0];
            if (tapeA2 == d.A2)
            {
                continue;
            }
            cancelling++;
            foreach (var claim in row.Claims(d))
            {
                var plain = ClaimCheck.Evaluate(claim, tape);
                var floored = ClaimCheck.Evaluate(claim with { Absolute = claim.Absolute + CancellationFloor(d) }, tape);
                Assert.False(plain.Agrees, $"b2 = {d.B2}: expected the relative tolerance alone to fail here: {plain.Describe()}");
                Assert.True(floored.Agrees, $"b2 = {d.B2}: {floored.Describe()}");
            }
        }
        Assert.True(cancelling > 0, "no b2 in the sweep where the tape's σ and the note's differ: the case is not exercised");
    }

    [Theory]
    [MemberData(nameof(FdRowIds))]
    public void Row_agrees_with_finite_differences(string id) =>
        LedgerHarness.RowAgreesWithFiniteDifferences(LedgerHarness.Find(Ledger002.All, id), Scalars(SmoothValue), d => d, d => new Tape002(d));

    [Fact]
    public void Vector_layers_outer_product_forms_match_the_tape() =>
        Check(VectorLayers, c =>
        {
            var tape = new Tape(c);
            var fw = Run(c);
            var (x, wL, y) = (c.X.M(), c.WL.M(), c.Y.M());
            double floor = SaturationFloor(wL.RowCount, wL, y, x); // values reach ±40: sigmoids saturate
            AssertSame("δ^L", Note002.DeltaLVectorForm(fw, y), tape.ZL.Grad, floor);
            AssertSame("∂C₀/∂W^L = δ^L (a^(L−1))ᵀ", Note002.GradWLVectorForm(fw, y), tape.WL.Grad, floor);
            AssertSame("∂C₀/∂b^L = δ^L", Note002.GradBLVectorForm(fw, y), tape.BL.Grad, floor);
            AssertSame("∂C₀/∂W^(L−1)", Note002.GradWLm1VectorForm(fw, x, wL, y), tape.WLm1.Grad, floor);
            AssertSame("∂C₀/∂b^(L−1)", Note002.GradBLm1VectorForm(fw, wL, y), tape.BLm1.Grad, floor);
        });

    /// <summary>σ′(z) = e^−|z| / (1 + e^−|z|)²: σ′ is even, and e^−|z| never overflows, so this is accurate over the whole double range.</summary>
    private static double StableSigmoidDerivative(double z)
    {
        double e = Math.Exp(-Math.Abs(z));
        return e / ((1 + e) * (1 + e));
    }

    private static double RelativeError(double value, double reference) =>
        reference == 0 ? (value == 0 ? 0 : double.PositiveInfinity) : Math.Abs(value - reference) / reference;

    /// <summary>z over the whole double range: ±10^u for u in [−300, 308], and [−800, 800] densely.</summary>
    private static readonly Gen<double> AnyZ = Gen.Frequency(
        (1, Gen.Choose(-300000, 308000).SelectMany(u => Gen.Elements(-1.0, 1.0).Select(s => s * Math.Pow(10, u / 1000.0)))),
        (3, Gen.Choose(-800000, 800000).Select(k => k / 1000.0)));

    /// <summary>
    /// Eq. (17), e^−z/(1 + e^−z)², and eq. (24), σ(z)(1 − σ(z)), against an overflow-free σ′, over the whole double
    /// range. Eq. (17) is accurate (1e-13) wherever the square (1 + e^−z)² is finite, i.e. for z above
    /// −ln √(double.MaxValue) ≈ −354.89. Below that the square overflows to ∞ and eq. (17) is exactly 0 — while σ′(z)
    /// is still a normal double down to z ≈ −708.3: relative error 1, all precision lost — and below −709.78, where
    /// e^−z itself overflows, it is ∞/∞ = NaN. Eq. (24) is accurate for −708 ≤ z ≤ 0 (the tape's rule agrees with it
    /// there); for z &gt; 0 its 1 − σ(z) cancels, losing about z·log10(e) digits, and from z ≈ 36.7 on it is exactly 0,
    /// where eq. (17) is still exact.
    /// </summary>
    [Fact]
    public void Eq_17_loses_all_precision_below_z_minus_355_where_eq_24_does_not()
    {
        double threshold = -Math.Log(Math.Sqrt(double.MaxValue)); // where (1 + e^−z)² overflows
        Assert.InRange(threshold, -354.90, -354.88);
        Properties.Check(Arb.From(AnyZ), z =>
        {
            double reference = StableSigmoidDerivative(z);
            double eq17 = Note002.SigmoidDerivativeEq17(z), eq24 = Note002.SigmoidDerivativeEq24(z);
            double e = Math.Exp(-z);
            if (double.IsFinite((1 + e) * (1 + e)))
            {
                Assert.True(z > threshold - 1e-9, $"the square is finite at z = {z}, below the threshold {threshold}");
                Assert.True(RelativeError(eq17, reference) <= 1e-13, $"eq. (17) at z = {z}: {eq17} vs {reference}");
            }
            else if (double.IsFinite(e))
            {
                Assert.True(z < threshold + 1e-9, $"the square overflows at z = {z}, above the threshold {threshold}");
                Assert.True(z < -708.3 || reference >= 2.2250738585072014E-308, $"σ′({z}) = {reference} is a normal double");
                Assert.Equal(0.0, eq17); // (1 + e^−z)² = ∞: all precision lost
            }
            else
            {
                Assert.True(double.IsNaN(eq17), $"eq. (17) at z = {z}: {eq17}, expected ∞/∞ = NaN");
            }
            if (z >= -708 && z <= 0)
            {
                Assert.True(RelativeError(eq24, reference) <= 1e-13, $"eq. (24) at z = {z}: {eq24} vs {reference}");
                var t = Tensor.Scalar(z, requiresGrad: true);
                t.Sigmoid().Backward();
                Assert.True(RelativeError(t.Grad!.Item, eq24) <= 1e-12, $"tape at z = {z}: {t.Grad!.Item} vs eq. (24) {eq24}");
            }
            if (z >= 37)
            {
                Assert.Equal(0.0, eq24); // 1 − σ(z) = 0: eq. (24) loses σ′ ≈ e^−z entirely
                Assert.True(RelativeError(eq17, reference) <= 1e-13, $"eq. (17) at z = {z}");
            }
        }, 2000);
    }
}
