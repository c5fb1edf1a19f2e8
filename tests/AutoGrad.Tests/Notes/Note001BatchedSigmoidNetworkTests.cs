using AutoGrad.Derivations;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using static AutoGrad.Tests.Notes.NoteSupport;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Note 001: H = XW(1), Z = σ(H), O = ZW(2), ŷ = σ(O), L = 1/(2N) Σ (Yᵢ − ŷᵢ)², a batch of N rows, one output,
/// no biases. Eq. (7) and (9) as element-wise sums and in matrix form, against the tape.
/// </summary>
public class Note001BatchedSigmoidNetworkTests
{
    public sealed record Case(Support.Matrix X, Support.Matrix W1, Support.Matrix W2, Support.Matrix Y)
    {
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

    private static Arbitrary<Case> Cases(Gen<double> values) => Arb.From(
        from n in Batch
        from d in Width
        from h in Width
        from x in Of(n, d, values)
        from w1 in Of(d, h, values)
        from w2 in Of(h, 1, values)
        from y in Of(n, 1, values)
        select new Case(x, w1, w2, y),
        c => c.Shrink());

    private static readonly Arbitrary<Case> AnyCase = Cases(Value);

    private sealed class Tape
    {
        public Tape(Case c)
        {
            W1 = c.W1.T("W1"); W2 = c.W2.T("W2");
            H = c.X.T("X", false).MatMul(W1).RetainGrad();
            Z = H.Sigmoid().RetainGrad();
            O = Z.MatMul(W2).RetainGrad();
            YHat = O.Sigmoid().RetainGrad();
            Loss = AutoGrad.Nn.Loss.HalfMeanSquared(YHat, c.Y.T("Y", false));
            Loss.Backward();
        }

        public Tensor<double> W1, W2, H, Z, O, YHat, Loss;
    }

    [Fact]
    public void Forward_pass_and_loss_eq_1_to_5_match_the_note() =>
        Check(AnyCase, c =>
        {
            var tape = new Tape(c);
            var fw = Note001.Run(c.X.M(), c.W1.M(), c.W2.M(), c.Y.M());
            Assert.Equal(fw.Loss, tape.Loss.Item, Math.Max(1e-300, fw.Loss * RelativeTolerance));
            AssertSame("ŷ", fw.YHat, tape.YHat);
        });

    [Fact]
    public void The_factors_of_eq_6_match_the_tape() =>
        Check(AnyCase, c =>
        {
            var tape = new Tape(c);
            var fw = Note001.Run(c.X.M(), c.W1.M(), c.W2.M(), c.Y.M());
            AssertSame("∂L/∂ŷ", Note001.DLossDYHat(fw, c.Y.M()), tape.YHat.Grad);
            AssertSame("∂L/∂O", Note001.DLossDO(fw, c.Y.M()), tape.O.Grad);
        });

    [Fact]
    public void Eq_7_as_an_element_wise_sum_and_in_matrix_form_matches_the_tape() =>
        Check(AnyCase, c =>
        {
            var tape = new Tape(c);
            var fw = Note001.Run(c.X.M(), c.W1.M(), c.W2.M(), c.Y.M());
            AssertSame("∂L/∂W(2) eq. (7) sums", Note001.GradW2Elementwise(fw, c.Y.M()), tape.W2.Grad);
            AssertSame("∂L/∂W(2) matrix form", Note001.GradW2Matrix(fw, c.Y.M()), tape.W2.Grad);
        });

    [Fact]
    public void Eq_9_as_an_element_wise_sum_and_in_matrix_form_matches_the_tape() =>
        Check(AnyCase, c =>
        {
            var tape = new Tape(c);
            var fw = Note001.Run(c.X.M(), c.W1.M(), c.W2.M(), c.Y.M());
            AssertSame("∂L/∂W(1) eq. (9) sums", Note001.GradW1Elementwise(fw, c.X.M(), c.W2.M(), c.Y.M()), tape.W1.Grad);
            AssertSame("∂L/∂W(1) matrix form", Note001.GradW1Matrix(fw, c.X.M(), c.W2.M(), c.Y.M()), tape.W1.Grad);
        });

    [Fact]
    public void Erratum_the_bias_column_the_text_appends_is_absent_from_eq_4_and_its_gradient_is_eq_7_extended() =>
        Check(Arb.From(from c in AnyCase.Generator from bias in Value.Where(b => Math.Abs(b) > 1e-3) select (c, bias)), p =>
        {
            var (c, bias) = p;
            var x = c.X.M();
            var w2WithBias = c.W2.M().Stack(Matrix<double>.Build.Dense(1, 1, bias));
            var zWithColumn = x.Times(c.W1.M()).Apply(ScalarFunction.SigmoidValue).AppendOnesColumn();

            // As written: Z with the bias column appended, then eq. (4) O = ZW(2) with the h×1 W(2) of eq. (7) and (9).
            Assert.Throws<ArgumentException>(() => zWithColumn.Times(c.W2.M()));

            // On the tape, the network the text describes: O = [Z, 1] W̃(2) = ZW(2) + b.
            var w1 = c.W1.T("W1");
            var w2 = c.W2.T("W2");
            var b = Tensor.Scalar(bias, requiresGrad: true, name: "b");
            var o = c.X.T("X", false).MatMul(w1).Sigmoid().MatMul(w2) + b;
            Loss.HalfMeanSquared(o.Sigmoid(), c.Y.T("Y", false)).Backward();

            // Its pre-activation is eq. (4)'s shifted by the bias, so it is not eq. (4)'s network...
            var noteO = Note001.Run(x, c.W1.M(), c.W2.M(), c.Y.M()).O;
            for (int i = 0; i < c.X.Rows; i++)
            {
                Assert.Equal(bias, o[i, 0] - noteO[i, 0], 1e-9 * (Math.Abs(bias) + Math.Abs(noteO[i, 0])));
            }
            // ...and eq. (7) run over k = 1..h+1 gives its gradients, the bias's last.
            var extended = Note001.GradW2WithBiasColumn(x, c.W1.M(), w2WithBias, c.Y.M());
            AssertSame("∂L/∂W(2) (bias network)", extended.SubMatrix(0, c.W2.Rows, 0, 1), w2.Grad);
            AssertSame("∂L/∂b (eq. 7 at k = h+1)", extended.SubMatrix(c.W2.Rows, 1, 0, 1), b.Grad);
        });

    [Fact]
    public void Finite_differences_agree_with_the_tape_as_a_third_witness() =>
        Check(Cases(SmoothValue), c =>
        {
            var x = c.X.T("X", false);
            var y = c.Y.T("Y", false);
            Properties.AssertGradCheck(q => Loss.HalfMeanSquared(x.MatMul(q[0]).Sigmoid().MatMul(q[1]).Sigmoid(), y), c.W1.T("W1"), c.W2.T("W2"));
        }, cases: 50);
}
