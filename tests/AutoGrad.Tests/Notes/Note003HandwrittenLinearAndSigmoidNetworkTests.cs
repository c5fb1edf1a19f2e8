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
/// Note 003 (handwritten): ŷ = XW(1)W(2); then with biases; then with sigmoid activations f₁, f₂;
/// L = ½ Σ (ŷ − y)² (from ∂L/∂ŷ = ŷ − y). The matrix forms as written have inconsistent transposes and order
/// ("I missed this part!"): each is falsified, and the corrected form matches the tape.
/// </summary>
public class Note003HandwrittenLinearAndSigmoidNetworkTests(ITestOutputHelper output)
{
    public sealed record Case(Support.Matrix X, Support.Matrix W1, Support.Matrix B1, Support.Matrix W2, Support.Matrix B2, Support.Matrix Y)
    {
        public override string ToString() =>
            $"N = {X.Rows}, d = {X.Cols}, h = {W1.Cols}\n X = {X}\n W1 = {W1}\n b1 = {B1}\n W2 = {W2}\n b2 = {B2}\n y = {Y}";

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

    private static Arbitrary<Case> Cases(Gen<int> batch, Gen<double>? values = null) => Arb.From(
        from n in batch
        from d in Width
        from h in Width
        from x in Of(n, d, values)
        from w1 in Of(d, h, values)
        from b1 in Of(1, h, values)
        from w2 in Of(h, 1, values)
        from b2 in Of(1, 1, values)
        from y in Of(n, 1, values)
        select new Case(x, w1, b1, w2, b2, y),
        c => c.Shrink());

    private static readonly Arbitrary<Case> Batches = Cases(Batch);
    private static readonly Arbitrary<Case> OneExample = Cases(Gen.Constant(1));

    /// <summary>One example through layers of width 1: every factor of the note's products is 1×1.</summary>
    private static readonly Arbitrary<Case> ScalarLayers = Arb.From(
        from x in Of(1, 1) from w1 in Of(1, 1) from b1 in Of(1, 1) from w2 in Of(1, 1) from b2 in Of(1, 1) from y in Of(1, 1)
        select new Case(x, w1, b1, w2, b2, y),
        c => c.Shrink());

    /// <summary>The three networks of the note on the tape; the variant picks biases and activations.</summary>
    private sealed class Tape
    {
        public Tape(Case c, bool biases, bool activations)
        {
            W1 = c.W1.T("W1"); B1 = c.B1.T("b1"); W2 = c.W2.T("W2"); B2 = c.B2.T("b2");
            var z1 = c.X.T("X", false).MatMul(W1);
            if (biases) z1 += B1;
            var a1 = activations ? z1.Sigmoid() : z1;
            var z2 = a1.MatMul(W2);
            if (biases) z2 += B2;
            YHat = (activations ? z2.Sigmoid() : z2).RetainGrad();
            Loss.HalfSumSquared(YHat, c.Y.T("y", false)).Backward();
        }

        public Tensor<double> W1, B1, W2, B2, YHat;
    }

    [Fact]
    public void Linear_network_dL_dyhat_is_yhat_minus_y_and_corrected_matrix_forms_match_the_tape() =>
        Check(Batches, c =>
        {
            var tape = new Tape(c, biases: false, activations: false);
            var (x, w1, w2, y) = (c.X.M(), c.W1.M(), c.W2.M(), c.Y.M());
            AssertSame("∂L/∂ŷ", Note003.LinearForward(x, w1, w2) - y, tape.YHat.Grad);
            AssertSame("∂L/∂W(2) = (XW(1))ᵀ(ŷ − y)", Note003.LinearGradW2Corrected(x, w1, w2, y), tape.W2.Grad);
            AssertSame("∂L/∂W(1) = Xᵀ(ŷ − y)W(2)ᵀ", Note003.LinearGradW1Corrected(x, w1, w2, y), tape.W1.Grad);
        });

    [Fact]
    public void Linear_network_element_wise_layer_2_gradient_matches_the_tape_for_one_example() =>
        Check(OneExample, c =>
        {
            var tape = new Tape(c, biases: false, activations: false);
            AssertSame("∂L/∂w_j(2) = (ŷ − y) Σᵢ xᵢ w_ij(1)", Note003.LinearGradW2Elementwise(c.X.M(), c.W1.M(), c.W2.M(), c.Y[0, 0]), tape.W2.Grad);
        });

    [Fact]
    public void Erratum_dL_dW2_as_written_is_falsified() =>
        AssertFalsified(Batches, c => AssertSame("(ŷ − y) X W(1) as written",
            Note003.LinearGradW2AsWritten(c.X.M(), c.W1.M(), c.W2.M(), c.Y.M()), new Tape(c, false, false).W2.Grad), output);

    [Fact]
    public void Erratum_dL_dW1_as_written_is_falsified() =>
        AssertFalsified(Batches, c => AssertSame("(ŷ − y) W(2)ᵀ X as written",
            Note003.LinearGradW1AsWritten(c.X.M(), c.W1.M(), c.W2.M(), c.Y.M()), new Tape(c, false, false).W1.Grad), output);

    [Fact]
    public void With_biases_dL_db2_is_yhat_minus_y_for_one_example_and_its_sum_over_a_batch() =>
        Check(Batches, c =>
        {
            var tape = new Tape(c, biases: true, activations: false);
            var (x, w1, b1, w2, b2, y) = (c.X.M(), c.W1.M(), c.B1.M(), c.W2.M(), c.B2.M(), c.Y.M());
            AssertSame("∂L/∂b(2) = Σᵢ(ŷᵢ − yᵢ)", Note003.BiasGradB2Batch(x, w1, b1, w2, b2, y), tape.B2.Grad);
            if (c.X.Rows == 1)
            {
                AssertSame("∂L/∂b(2) = ŷ − y (as written, one example)", Note003.BiasGradB2AsWritten(x, w1, b1, w2, b2, y), tape.B2.Grad);
            }
        });

    [Fact]
    public void With_sigmoid_activations_corrected_gradients_match_the_tape() =>
        Check(OneExample, c =>
        {
            var tape = new Tape(c, biases: true, activations: true);
            var fw = Note003.RunWithActivations(c.X.M(), c.W1.M(), c.B1.M(), c.W2.M(), c.B2.M());
            AssertSame("ŷ", fw.YHat, tape.YHat);
            AssertSame("∂L/∂w(2) = a₁ᵀ(ŷ − y)σ′(z₂)", Note003.ActivationGradW2Corrected(fw, c.Y.M()), tape.W2.Grad);
            AssertSame("∂L/∂b(2)", Note003.ActivationGradB2(fw, c.Y.M()), tape.B2.Grad);
            AssertSame("∂L/∂w(1)", Note003.ActivationGradW1Corrected(fw, c.X.M(), c.W2.M(), c.Y.M()), tape.W1.Grad);
            AssertSame("∂L/∂b(1)", Note003.ActivationGradB1(fw, c.W2.M(), c.Y.M()), tape.B1.Grad);
        });

    [Fact]
    public void Erratum_dL_dw2_with_activations_as_written_is_a_row_where_w2_is_a_column() =>
        AssertFalsified(OneExample, c =>
        {
            var fw = Note003.RunWithActivations(c.X.M(), c.W1.M(), c.B1.M(), c.W2.M(), c.B2.M());
            AssertSame("(ŷ − y)(1)f₂′ f₁(xw(1) + b(1)) as written", Note003.ActivationGradW2AsWritten(fw, c.Y.M()), new Tape(c, true, true).W2.Grad);
        }, output);

    [Fact]
    public void Erratum_dL_dw1_with_activations_as_written_is_falsified() =>
        AssertFalsified(OneExample, c =>
        {
            var fw = Note003.RunWithActivations(c.X.M(), c.W1.M(), c.B1.M(), c.W2.M(), c.B2.M());
            AssertSame("(ŷ − y)σ′(z₂) w(2)ᵀ σ(z₁)(1 − σ(z₁)) x as written", Note003.ActivationGradW1AsWritten(fw, c.X.M(), c.W2.M(), c.Y.M()),
                new Tape(c, true, true).W1.Grad);
        }, output);

    [Fact]
    public void Erratum_dL_dw1_as_written_is_wrong_in_value_even_where_its_shapes_work() =>
        // With d = h = 1 every factor is 1×1 and the product multiplies; the value still differs, because σ′ is
        // applied to the underbraced z₁ = f₁(xw(1) + b(1)) instead of to the pre-activation xw(1) + b(1).
        AssertFalsified(ScalarLayers, c =>
        {
            var fw = Note003.RunWithActivations(c.X.M(), c.W1.M(), c.B1.M(), c.W2.M(), c.B2.M());
            AssertSame("∂L/∂w(1) as written, 1×1", Note003.ActivationGradW1AsWritten(fw, c.X.M(), c.W2.M(), c.Y.M()), new Tape(c, true, true).W1.Grad);
        }, output);

    [Fact]
    public void Finite_differences_agree_with_the_tape_as_a_third_witness() =>
        Check(Cases(Batch, SmoothValue), c =>
        {
            var x = c.X.T("X", false);
            var y = c.Y.T("y", false);
            Properties.AssertGradCheck(q => Loss.HalfSumSquared((x.MatMul(q[0]) + q[1]).Sigmoid().MatMul(q[2]).Add(q[3]).Sigmoid(), y),
                c.W1.T("W1"), c.B1.T("b1"), c.W2.T("W2"), c.B2.T("b2"));
        }, cases: 50);
}
