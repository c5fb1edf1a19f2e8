using AutoGrad.Derivations;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static AutoGrad.Tests.Notes.NoteSupport;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Note 000: z[1] = W[1]x + b[1], a[1] = σ(z[1]), z[2] = W[2]a[1] + b[2], ŷ = f(z[2]), L = ½‖y − ŷ‖²,
/// column vectors. Every quantity of its steps and summary against the tape, for σ ∈ {sigmoid, ReLU} and
/// f ∈ {sigmoid, identity}.
/// </summary>
public class Note000TwoLayerColumnVectorNetworkTests
{
    public sealed record Case(Support.Matrix X, Support.Matrix W1, Support.Matrix B1, Support.Matrix W2, Support.Matrix B2, Support.Matrix Y,
        ScalarFunction Sigma, ScalarFunction F)
    {
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

    private static readonly Arbitrary<Case> AnyCase = Cases(Value, HiddenActivation, OutputActivation);

    /// <summary>The network on the tape, with the intermediate quantities the note names kept.</summary>
    private sealed class Tape
    {
        public Tape(Case c)
        {
            X = c.X.T("x"); W1 = c.W1.T("W1"); B1 = c.B1.T("b1"); W2 = c.W2.T("W2"); B2 = c.B2.T("b2");
            Z1 = (W1.MatMul(X) + B1).RetainGrad();
            A1 = c.Sigma.Apply(Z1).RetainGrad();
            Z2 = (W2.MatMul(A1) + B2).RetainGrad();
            YHat = c.F.Apply(Z2).RetainGrad();
            Loss = AutoGrad.Nn.Loss.HalfSumSquared(YHat, c.Y.T("y", requiresGrad: false));
            Loss.Backward();
        }

        public Tensor<double> X, W1, B1, W2, B2, Z1, A1, Z2, YHat, Loss;
    }

    [Fact]
    public void Forward_pass_and_loss_match_the_note() =>
        Check(AnyCase, c =>
        {
            var tape = new Tape(c);
            var fw = Note000.Run(c.X.M(), c.W1.M(), c.B1.M(), c.W2.M(), c.B2.M(), c.Y.M(), c.Sigma, c.F);
            Assert.Equal(fw.Loss, tape.Loss.Item, Math.Max(1e-300, Math.Abs(fw.Loss) * RelativeTolerance));
            AssertSame("ŷ", fw.YHat, tape.YHat);
        });

    [Fact]
    public void Every_step_quantity_matches_the_tape() =>
        Check(AnyCase, c =>
        {
            var tape = new Tape(c);
            var (x, w2, y) = (c.X.M(), c.W2.M(), c.Y.M());
            var fw = Note000.Run(x, c.W1.M(), c.B1.M(), w2, c.B2.M(), y, c.Sigma, c.F);
            AssertSame("∂L/∂ŷ", Note000.DLossDYHat(fw, y), tape.YHat.Grad);
            AssertSame("∂L/∂z[2]", Note000.DLossDZ2(fw, y, c.F), tape.Z2.Grad);
            AssertSame("∂L/∂W[2]", Note000.GradW2(fw, y, c.F), tape.W2.Grad);
            AssertSame("∂L/∂b[2]", Note000.GradB2(fw, y, c.F), tape.B2.Grad);
            AssertSame("∂L/∂a[1]", Note000.DLossDA1(fw, w2, y, c.F), tape.A1.Grad);
            AssertSame("∂L/∂z[1]", Note000.DLossDZ1(fw, w2, y, c.Sigma, c.F), tape.Z1.Grad);
            AssertSame("∂L/∂W[1]", Note000.GradW1(fw, x, w2, y, c.Sigma, c.F), tape.W1.Grad);
            AssertSame("∂L/∂b[1]", Note000.GradB1(fw, w2, y, c.Sigma, c.F), tape.B1.Grad);
        });

    [Fact]
    public void Every_summary_equation_matches_the_tape() =>
        Check(AnyCase, c =>
        {
            var tape = new Tape(c);
            var (x, w2, y) = (c.X.M(), c.W2.M(), c.Y.M());
            var fw = Note000.Run(x, c.W1.M(), c.B1.M(), w2, c.B2.M(), y, c.Sigma, c.F);
            AssertSame("∂L/∂W[2] (summary)", Note000.SummaryGradW2(fw, y, c.F), tape.W2.Grad);
            AssertSame("∂L/∂b[2] (summary)", Note000.SummaryGradB2(fw, y, c.F), tape.B2.Grad);
            AssertSame("∂L/∂W[1] (summary)", Note000.SummaryGradW1(fw, x, w2, y, c.Sigma, c.F), tape.W1.Grad);
            AssertSame("∂L/∂b[1] (summary)", Note000.SummaryGradB1(fw, w2, y, c.Sigma, c.F), tape.B1.Grad);
        });

    [Fact]
    public void Erratum_dL_da1_in_chain_rule_order_does_not_multiply_unless_n2_is_1_and_then_is_transposed() =>
        Check(AnyCase, c =>
        {
            var tape = new Tape(c);
            var fw = Note000.Run(c.X.M(), c.W1.M(), c.B1.M(), c.W2.M(), c.B2.M(), c.Y.M(), c.Sigma, c.F);
            int n2 = c.W2.Rows;
            if (n2 > 1)
            {
                Assert.Throws<ArgumentException>(() => Note000.DLossDA1AsChainRuleOrder(fw, c.W2.M(), c.Y.M(), c.F));
            }
            else
            {
                var literal = Note000.DLossDA1AsChainRuleOrder(fw, c.W2.M(), c.Y.M(), c.F);
                AssertSame("(∂L/∂z[2] · W[2])ᵀ", literal.Transpose(), tape.A1.Grad);
            }
            AssertSame("(W[2])ᵀ ∂L/∂z[2]", Note000.DLossDA1(fw, c.W2.M(), c.Y.M(), c.F), tape.A1.Grad);
        });

    [Fact]
    public void Finite_differences_agree_with_the_tape_as_a_third_witness() =>
        Check(Cases(SmoothValue, Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Tanh), OutputActivation), c =>
        {
            var p = new[] { c.W1.T("W1"), c.B1.T("b1"), c.W2.T("W2"), c.B2.T("b2") };
            var x = c.X.T("x", false);
            var y = c.Y.T("y", false);
            Properties.AssertGradCheck(q => Loss.HalfSumSquared(c.F.Apply(q[2].MatMul(c.Sigma.Apply(q[0].MatMul(x) + q[1])) + q[3]), y), p);
        }, cases: 50);
}
