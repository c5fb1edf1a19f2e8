using AutoGrad.Derivations;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;
using static AutoGrad.Tests.Notes.NoteSupport;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Note 002: z^(L−1) = W^(L−1)x + b^(L−1), a^(L−1) = σ(z^(L−1)), z^L = W^L a^(L−1) + b^L, a^L = σ(z^L),
/// C₀ = ½(a^L − y)². The sigmoid derivative (eq. 13–24); eq. (36), (40), (48), (51) exactly as written for the
/// network the note draws (every layer of width 1); the same chains for wider layers as outer products.
/// </summary>
public class Note002ChainRuleFactorsTests(ITestOutputHelper output)
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

    [Fact]
    public void Sigmoid_derivative_eq_17_20_and_24_equal_the_tape_where_one_minus_sigma_is_well_conditioned() =>
        // For z > 0, 1 − σ(z) loses about log10(e^z) digits to cancellation; up to |z| = 12 that is at most
        // e^12 · 1.1e-16 ≈ 2e-11 relative, inside 1e-9. (Eq. 17 and 20 avoid the cancellation; eq. 24 and the tape share it.)
        Properties.Check(Arb.From(Gen.Choose(-12000, 12000).Select(k => k / 1000.0)), z =>
        {
            var t = Tensor.Scalar(z, requiresGrad: true);
            t.Sigmoid().Backward();
            double tape = t.Grad!.Item;
            foreach (var (eq, value) in new[] { ("17", Note002.SigmoidDerivativeEq17(z)), ("20", Note002.SigmoidDerivativeEq20(z)), ("24", Note002.SigmoidDerivativeEq24(z)) })
            {
                Assert.True(Math.Abs(value - tape) <= RelativeTolerance * Math.Abs(value), $"eq. ({eq}) at z = {z}: {value} vs tape {tape}");
            }
        }, NoteSupport.Cases);

    [Fact]
    public void Sigmoid_derivative_eq_24_is_what_the_tape_computes_everywhere_while_eq_17_overflows_far_left() =>
        Properties.Check(Arb.From(Gen.Choose(-1000, 1000).Select(k => (double)k)), z =>
        {
            var t = Tensor.Scalar(z, requiresGrad: true);
            var s = t.Sigmoid();
            s.Backward();
            Assert.Equal(s.Item * (1 - s.Item), t.Grad!.Item); // the rule is σ(1 − σ) on the result, bit for bit
            Assert.Equal(Note002.SigmoidDerivativeEq24(z), t.Grad!.Item, Math.Abs(t.Grad!.Item) * RelativeTolerance + 1e-300);
            if (z < -710)
            {
                Assert.True(double.IsNaN(Note002.SigmoidDerivativeEq17(z))); // e^−z = ∞: ∞/∞, a numerical caveat, not an error
            }
        }, NoteSupport.Cases);

    [Fact]
    public void Scalar_network_eq_12_28_36_40_48_51_as_written_match_the_tape() =>
        Check(ScalarNetwork, c =>
        {
            var tape = new Tape(c);
            var fw = Run(c);
            var (x, wL, y) = (c.X.M(), c.WL.M(), c.Y.M());
            AssertSame("∂C₀/∂a^L (12)", Note002.DCostDAL(fw, y), tape.AL.Grad);
            AssertSame("∂C₀/∂z^L (28)·(12)", Note002.DCostDZL(fw, y), tape.ZL.Grad);
            AssertSame("∂C₀/∂W^L (36)", Note002.GradWLEq36(fw, y), tape.WL.Grad);
            AssertSame("∂C₀/∂b^L (40)", Note002.GradBLEq40(fw, y), tape.BL.Grad);
            AssertSame("∂C₀/∂W^(L−1) (48)", Note002.GradWLm1Eq48(fw, x, wL, y), tape.WLm1.Grad);
            AssertSame("∂C₀/∂b^(L−1) (51)", Note002.GradBLm1Eq51(fw, wL, y), tape.BLm1.Grad);
        });

    [Fact]
    public void Vector_layers_outer_product_forms_of_36_40_48_51_match_the_tape() =>
        Check(VectorLayers, c =>
        {
            var tape = new Tape(c);
            var fw = Run(c);
            var (x, wL, y) = (c.X.M(), c.WL.M(), c.Y.M());
            AssertSame("δ^L", Note002.DeltaLVectorForm(fw, y), tape.ZL.Grad);
            AssertSame("∂C₀/∂W^L = δ^L (a^(L−1))ᵀ", Note002.GradWLVectorForm(fw, y), tape.WL.Grad);
            AssertSame("∂C₀/∂b^L = δ^L", Note002.GradBLVectorForm(fw, y), tape.BL.Grad);
            AssertSame("∂C₀/∂W^(L−1)", Note002.GradWLm1VectorForm(fw, x, wL, y), tape.WLm1.Grad);
            AssertSame("∂C₀/∂b^(L−1)", Note002.GradBLm1VectorForm(fw, wL, y), tape.BLm1.Grad);
        });

    [Fact]
    public void Scalar_products_of_eq_36_read_as_matrix_products_fail_for_vector_layers() =>
        AssertFalsified(VectorLayers, c => AssertSame("∂C₀/∂W^L (36) as written", Note002.GradWLEq36(Run(c), c.Y.M()), new Tape(c).WL.Grad), output);

    [Fact]
    public void Scalar_products_of_eq_40_read_as_matrix_products_fail_for_a_vector_output() =>
        AssertFalsified(VectorLayers, c => AssertSame("∂C₀/∂b^L (40) as written", Note002.GradBLEq40(Run(c), c.Y.M()), new Tape(c).BL.Grad), output);

    [Fact]
    public void Scalar_products_of_eq_48_read_as_matrix_products_fail_for_vector_layers() =>
        AssertFalsified(VectorLayers, c => AssertSame("∂C₀/∂W^(L−1) (48) as written", Note002.GradWLm1Eq48(Run(c), c.X.M(), c.WL.M(), c.Y.M()), new Tape(c).WLm1.Grad), output);

    [Fact]
    public void Scalar_products_of_eq_51_read_as_matrix_products_fail_for_vector_layers() =>
        AssertFalsified(VectorLayers, c => AssertSame("∂C₀/∂b^(L−1) (51) as written", Note002.GradBLm1Eq51(Run(c), c.WL.M(), c.Y.M()), new Tape(c).BLm1.Grad), output);

    [Fact]
    public void Finite_differences_agree_with_the_tape_as_a_third_witness() =>
        Check(Cases(Width, Width, Width, SmoothValue), c =>
        {
            var x = c.X.T("x", false);
            var y = c.Y.T("y", false);
            Properties.AssertGradCheck(q => Loss.HalfSumSquared((q[2].MatMul((q[0].MatMul(x) + q[1]).Sigmoid()) + q[3]).Sigmoid(), y),
                c.WLm1.T("W^(L-1)"), c.BLm1.T("b^(L-1)"), c.WL.T("W^L"), c.BL.T("b^L"));
        }, cases: 50);
}
