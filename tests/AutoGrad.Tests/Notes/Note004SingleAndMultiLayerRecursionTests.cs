using AutoGrad.Derivations;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using Xunit.Abstractions;
using static AutoGrad.Tests.Notes.NoteSupport;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// Note 004. Section 1: g = Vx, h = σ(g), f = Wh, L = ‖y − f‖², bias folded in by a 1 appended to x (eq. 10–40).
/// Section 2: N hidden layers with the row-vector convention for ∂L/∂(vector) (eq. 44–77), and SGD (eq. 78).
/// </summary>
public class Note004SingleAndMultiLayerRecursionTests(ITestOutputHelper output)
{
    public sealed record Case(Support.Matrix X, Support.Matrix V, Support.Matrix W, Support.Matrix Y, ScalarFunction Sigma)
    {
        /// <summary>x with the 1 appended: the input the note's V multiplies (V's last column is the bias).</summary>
        public Matrix<double> XWithOne => X.M().AppendOne();

        public override string ToString() => $"σ = {Sigma}, D = {X.Rows} (+1), H = {V.Rows}, F = {W.Rows}\n x = {X}\n V = {V}\n W = {W}\n y = {Y}";

        public IEnumerable<Case> Shrink()
        {
            foreach (var m in ShrinkOneAtATime(X, V, W, Y))
            {
                yield return this with { X = m[0], V = m[1], W = m[2], Y = m[3] };
            }
        }
    }

    /// <param name="outputBias">W gets a bias column too (F×(H+1)), as the note's text says of "all matrices of weights".</param>
    private static Arbitrary<Case> Cases(bool outputBias, Gen<double>? values = null, Gen<ScalarFunction>? sigma = null) => Arb.From(
        from d in Width
        from h in Width
        from f in Width
        from x in Of(d, 1, values)
        from v in Of(h, d + 1, values)
        from w in Of(f, outputBias ? h + 1 : h, values)
        from y in Of(f, 1, values)
        from s in sigma ?? NamedActivations
        select new Case(x, v, w, y, s),
        c => c.Shrink());

    /// <summary>
    /// The activations the notes name: sigmoid, ReLU, identity. Tanh is left to the finite-difference witness:
    /// Math.Tanh and TensorPrimitives.Tanh may differ by one ulp, and 1 − tanh² (PyTorch's rule, and the natural
    /// closed form) amplifies that ulp by 1/(1 − tanh²) once the inputs saturate, which the large values here do.
    /// </summary>
    private static readonly Gen<ScalarFunction> NamedActivations = Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Relu, ScalarFunction.Identity);

    private static readonly Arbitrary<Case> SectionOne = Cases(outputBias: false);
    private static readonly Arbitrary<Case> SectionOneWithOutputBias = Cases(outputBias: true);

    private sealed class Tape
    {
        public Tape(Case c, bool outputBias)
        {
            V = c.V.T("V"); W = c.W.T("W");
            var x = Tensor.FromRowMajor<double>(c.X.Rows + 1, 1, [.. c.X.Values, 1.0], name: "x");
            G = V.MatMul(x).RetainGrad();
            H = c.Sigma.Apply(G).RetainGrad();
            var hIn = outputBias ? Concat(H, Tensor.Scalar(1.0)) : H;
            F = W.MatMul(hIn).RetainGrad();
            Loss.SumSquared(F, c.Y.T("y", false)).Backward();
        }

        public Tensor<double> V, W, G, H, F;

        /// <summary>[h; 1] built from primitives: h padded by a zero row plus a constant unit row.</summary>
        private static Tensor<double> Concat(Tensor<double> h, Tensor<double> one)
        {
            int n = h.Rows;
            var embed = Tensor.FromRowMajor<double>(n + 1, n, Enumerable.Range(0, (n + 1) * n).Select(k => k / n == k % n ? 1.0 : 0.0).ToArray());
            var unit = Tensor.FromRowMajor<double>(n + 1, 1, Enumerable.Range(0, n + 1).Select(k => k == n ? 1.0 : 0.0).ToArray());
            return embed.MatMul(h) + unit * one;
        }
    }

    private static Note004.Forward Run(Case c) => Note004.Run(c.XWithOne, c.V.M(), c.W.M(), c.Y.M(), c.Sigma);

    [Fact]
    public void Section_1_eq_10_17_23_30_40_match_the_tape() =>
        Check(SectionOne, c =>
        {
            var tape = new Tape(c, outputBias: false);
            var fw = Run(c);
            var (w, y) = (c.W.M(), c.Y.M());
            Assert.Equal(fw.Loss, Loss.SumSquared(tape.F, c.Y.T("y", false)).Item, Math.Max(1e-300, fw.Loss * RelativeTolerance));
            AssertSame("∂L/∂f (10)", Note004.DLossDF(fw, y), tape.F.Grad);
            AssertSame("∂L/∂h (17)", Note004.DLossDH(fw, w, y), tape.H.Grad);
            AssertSame("∂L/∂W (23)", Note004.GradW(fw, y), tape.W.Grad);
            AssertSame("∂L/∂g (30)", Note004.DLossDG(fw, w, y, c.Sigma), tape.G.Grad);
            AssertSame("∂L/∂V (40)", Note004.GradV(fw, c.XWithOne, w, y, c.Sigma), tape.V.Grad);
        });

    [Fact]
    public void Section_1_with_a_bias_column_in_W_too_eq_23_holds_with_h_extended_by_1() =>
        Check(SectionOneWithOutputBias, c =>
        {
            var tape = new Tape(c, outputBias: true);
            var fw = Note004.RunWithOutputBias(c.XWithOne, c.V.M(), c.W.M(), c.Y.M(), c.Sigma);
            AssertSame("∂L/∂W̃ = 2(f − y)[h; 1]ᵀ (23)", Note004.GradW(fw, c.Y.M()), tape.W.Grad);
            AssertSame("∂L/∂V, W's bias column dropped", Note004.GradVWithOutputBias(fw, c.XWithOne, c.W.M(), c.Y.M(), c.Sigma), tape.V.Grad);
        });

    [Fact]
    public void Erratum_eq_40_with_the_bias_column_the_text_gives_W_does_not_multiply() =>
        AssertFalsified(SectionOneWithOutputBias, c =>
        {
            var fw = Note004.RunWithOutputBias(c.XWithOne, c.V.M(), c.W.M(), c.Y.M(), c.Sigma);
            // eq. (40) as written, with W̃ (F×(H+1)): W̃ᵀ(f − y) has H+1 rows, σ′(g) has H.
            var g = fw.G;
            AssertSame("∂L/∂V (40) with W̃", 2 * c.W.M().Transpose().Times(fw.F - c.Y.M()).Hadamard(g.Apply(c.Sigma.Derivative)).Times(c.XWithOne.Transpose()),
                new Tape(c, outputBias: true).V.Grad);
        }, output);

    public sealed record DeepCase(Support.Matrix H0, Support.Matrix[] Weights, ScalarFunction[] Sigmas, Support.Matrix WF, Support.Matrix Y)
    {
        public override string ToString() =>
            $"N = {Weights.Length} hidden layers ({string.Join(", ", Sigmas.Select(s => s.Name))}), widths {H0.Rows} → {string.Join(" → ", Weights.Select(w => w.Rows))} → {WF.Rows}\n" +
            $" h⁰ = {H0}\n" + string.Concat(Weights.Select((w, n) => $" W^{n + 1} = {w}\n")) + $" W^F = {WF}\n y = {Y}";

        public IEnumerable<DeepCase> Shrink()
        {
            if (Weights.Length > 1)
            {
                // drop the last hidden layer; W^F then reads the previous layer, so crop or pad its columns.
                int width = Weights[^2].Rows;
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

    private static Arbitrary<DeepCase> DeepCases(Gen<double>? values = null, Gen<ScalarFunction>? sigmas = null) => Arb.From(
        from depth in Gen.Choose(1, 5)
        from widths in Gen.ArrayOf(Width, depth + 2)
        from h0 in Of(widths[0], 1, values)
        from weights in Gen.CollectToArray(Enumerable.Range(1, depth).Select(n => Of(widths[n], widths[n - 1], values)))
        from activations in Gen.ArrayOf(sigmas ?? NamedActivations, depth)
        from wF in Of(widths[depth + 1], widths[depth], values)
        from y in Of(widths[depth + 1], 1, values)
        select new DeepCase(h0, weights, activations, wF, y),
        c => c.Shrink());

    private sealed class DeepTape
    {
        public DeepTape(DeepCase c)
        {
            Weights = c.Weights.Select((w, n) => w.T($"W^{n + 1}")).ToArray();
            WF = c.WF.T("W^F");
            var h = c.H0.T("h0", false);
            for (int n = 0; n < Weights.Length; n++)
            {
                G.Add(Weights[n].MatMul(h).RetainGrad());
                h = c.Sigmas[n].Apply(G[n]).RetainGrad();
                H.Add(h);
            }
            F = WF.MatMul(h).RetainGrad();
            Loss.SumSquared(F, c.Y.T("y", false)).Backward();
        }

        public Tensor<double>[] Weights;
        public Tensor<double> WF, F;
        public List<Tensor<double>> G = [], H = [];
    }

    private static Note004.Recursion Recurse(DeepCase c) =>
        Note004.RunRecursion(c.H0.M(), c.Weights.Select(w => w.M()).ToList(), c.Sigmas, c.WF.M(), c.Y.M());

    [Fact]
    public void Section_2_recursion_eq_44_to_77_matches_the_tape_for_depths_1_to_5_with_mixed_activations() =>
        Check(DeepCases(), c =>
        {
            var tape = new DeepTape(c);
            var note = Recurse(c);
            // Under the note's stated convention (section 2.1) ∂L/∂(vector) is a row: the tape's column, transposed.
            AssertSame("∂L/∂f (44), a row", note.DLossDF.Transpose(), tape.F.Grad);
            AssertSame("∂L/∂W^F (49)", note.GradWF, tape.WF.Grad);
            for (int n = c.Weights.Length - 1; n >= 0; n--)
            {
                AssertSame($"∂L/∂h^{n + 1} (55/77), a row", note.DLossDH[n + 1].Transpose(), tape.H[n].Grad);
                AssertSame($"∂L/∂g^{n + 1} (76), a row", note.DLossDG[n].Transpose(), tape.G[n].Grad);
                AssertSame($"∂L/∂W^{n + 1} (75)", note.GradW[n], tape.Weights[n].Grad);
            }
            AssertSame("∂L/∂h^N (56)", Note004.DLossDHNEq56(note.F, c.WF.M(), c.Y.M()).Transpose(), tape.H[^1].Grad);
        });

    [Fact]
    public void Eq_50_corrected_matches_the_tape() =>
        Check(DeepCases(), c =>
        {
            var tape = new DeepTape(c);
            var note = Recurse(c);
            AssertSame("∂L/∂W^F = 2(f − y)(h^N)ᵀ", Note004.GradWFEq50Corrected(note.F, note.H[^1], c.Y.M()), tape.WF.Grad);
        });

    [Fact]
    public void Erratum_eq_50_has_one_transpose_too_many_and_does_not_multiply_for_more_than_one_output() =>
        AssertFalsified(DeepCases(), c =>
        {
            var note = Recurse(c);
            AssertSame("∂L/∂W^F = 2(f − y)ᵀ(h^N)ᵀ (50) as written", Note004.GradWFEq50AsWritten(note.F, note.H[^1], c.Y.M()), new DeepTape(c).WF.Grad);
        }, output);

    [Fact]
    public void One_sgd_step_eq_78_equals_Sgd_Step() =>
        Check(Arb.From(from c in DeepCases().Generator from k in Gen.Choose(1, 100) select (c, eta: k / 100.0)), p =>
        {
            var (c, eta) = p;
            var tape = new DeepTape(c);
            var note = Recurse(c);
            var before = c.Weights.Append(c.WF).Select(w => w.M()).ToArray();
            var noteGrads = note.GradW.Append(note.GradWF).ToArray();
            var parameters = tape.Weights.Append(tape.WF).ToArray();
            var tapeGrads = parameters.Select(t => t.Grad!.M()).ToArray();
            new Sgd<double>(parameters, eta).Step();
            for (int i = 0; i < parameters.Length; i++)
            {
                // The step itself, given the same gradient: exact up to one rounding (Sgd uses a fused multiply-add).
                AssertSame($"W − η·∇ (78) of {parameters[i].Name}", Note004.SgdStep(before[i], tapeGrads[i], eta), parameters[i]);
                // With the note's own gradient: W − η∇ can cancel, so the difference is judged against |W| + η|∇|.
                var expected = Note004.SgdStep(before[i], noteGrads[i], eta);
                double scale = before[i].Enumerate().Max(Math.Abs) + eta * noteGrads[i].Enumerate().Max(Math.Abs);
                double worst = (expected - parameters[i].M()).Enumerate().Max(Math.Abs);
                Assert.True(worst <= RelativeTolerance * scale + SubnormalFloor, $"{parameters[i].Name}: {worst:G3} vs scale {scale:G3}");
            }
        });

    [Fact]
    public void Finite_differences_agree_with_the_tape_as_a_third_witness() =>
        Check(DeepCases(SmoothValue, Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Tanh, ScalarFunction.Identity)), c =>
        {
            var h0 = c.H0.T("h0", false);
            var y = c.Y.T("y", false);
            var parameters = c.Weights.Select((w, n) => w.T($"W^{n + 1}")).Append(c.WF.T("W^F")).ToArray();
            Properties.AssertGradCheck(q =>
            {
                var h = h0;
                for (int n = 0; n < c.Weights.Length; n++)
                {
                    h = c.Sigmas[n].Apply(q[n].MatMul(h));
                }
                return Loss.SumSquared(q[^1].MatMul(h), y);
            }, parameters);
        }, cases: 50);
}
