using System.Numerics;
using AutoGrad.Derivations;
using AutoGrad.Nn;
using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Examples.NoteComparison.Notes;

/// <summary>A note's network on seeded random data, compared quantity by quantity.</summary>
public sealed record NoteReport(string Id, string Title, IReadOnlyList<Comparison> Rows)
{
    /// <summary>Gradients the tape derives, read back as formulas (Symbolic.Gradient): (quantity, formula).</summary>
    public IReadOnlyList<(string Quantity, string Formula)> Derived { get; init; } = [];
}

/// <summary>Runs every note's network on the tape (in T) and evaluates its formulas with MathNet (in double).</summary>
public static class NoteComparisons
{
    public static readonly string[] Ids = ["000", "001", "002", "003", "004"];

    private static Tensor<T> Named<T>(this Tensor<T> t, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        t.Name = name;
        return t;
    }

    private static (string, string)[] Derive<T>(Tensor<T> loss, params Tensor<T>[] parameters) where T : unmanaged, IFloatingPointIeee754<T> =>
        parameters.Select(p => ($"∂L/∂{p.Name}", Symbolic.Gradient(loss, p).Text)).ToArray();

    public static NoteReport Run<T>(string id, Random random) where T : unmanaged, IFloatingPointIeee754<T> => id switch
    {
        "000" => Note000<T>(random),
        "001" => Note001<T>(random),
        "002" => Note002<T>(random),
        "003" => Note003<T>(random),
        "004" => Note004<T>(random),
        _ => throw new ArgumentException($"unknown note '{id}'; the notes are {string.Join(", ", Ids)}"),
    };

    private static NoteReport Note000<T>(Random r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, w1, b1, w2, b2, y) = (r.Random(3, 1), r.Random(4, 3), r.Random(4, 1), r.Random(2, 4), r.Random(2, 1), r.Random(2, 1));
        var (sigma, f) = (ScalarFunction.Sigmoid, ScalarFunction.Sigmoid);
        var W1 = w1.ToTensor<T>("W1"); var B1 = b1.ToTensor<T>("b1"); var W2 = w2.ToTensor<T>("W2"); var B2 = b2.ToTensor<T>("b2");
        var z1 = (W1.MatMul(x.ToTensor<T>("x", false)) + B1).RetainGrad().Named("z1");
        var a1 = z1.Sigmoid().RetainGrad().Named("a1");
        var z2 = (W2.MatMul(a1) + B2).RetainGrad().Named("z2");
        var yHat = z2.Sigmoid().RetainGrad().Named("ŷ");
        var loss = Loss.HalfSumSquared(yHat, y.ToTensor<T>("y", false));
        loss.Backward();

        var fw = Derivations.Note000.Run(x, w1, b1, w2, b2, y, sigma, f);
        var literal = Literal.Try(() => Derivations.Note000.DLossDA1AsChainRuleOrder(fw, w2, y, f));
        return new("000", "Two-layer network, column vectors, L = ½‖y − ŷ‖² (σ = f = sigmoid, n = 3-4-2)",
        [
            new("∂L/∂ŷ", "ŷ − y", yHat.Grad.ToMatrix(), Derivations.Note000.DLossDYHat(fw, y)),
            new("∂L/∂z[2]", "(ŷ − y) ∘ f′(z[2])", z2.Grad.ToMatrix(), Derivations.Note000.DLossDZ2(fw, y, f)),
            new("∂L/∂W[2]", "[(ŷ − y) ∘ f′(z[2])] (a[1])ᵀ", W2.Grad.ToMatrix(), Derivations.Note000.SummaryGradW2(fw, y, f)),
            new("∂L/∂b[2]", "(ŷ − y) ∘ f′(z[2])", B2.Grad.ToMatrix(), Derivations.Note000.SummaryGradB2(fw, y, f)),
            new("∂L/∂a[1] as written", "∂L/∂z[2] · ∂z[2]/∂a[1] = ∂L/∂z[2] W[2]", a1.Grad.ToMatrix(), literal.Value,
                $"chain-rule order does not multiply in column layout ({literal.Failure ?? "gives the transpose"}); corrected: (W[2])ᵀ ∂L/∂z[2]"),
            new("∂L/∂a[1]", "(W[2])ᵀ ∂L/∂z[2]", a1.Grad.ToMatrix(), Derivations.Note000.DLossDA1(fw, w2, y, f)),
            new("∂L/∂z[1]", "(W[2])ᵀ δ[2] ∘ σ′(z[1])", z1.Grad.ToMatrix(), Derivations.Note000.DLossDZ1(fw, w2, y, sigma, f)),
            new("∂L/∂W[1]", "[(W[2])ᵀ((ŷ − y) ∘ f′(z[2])) ∘ σ′(z[1])] xᵀ", W1.Grad.ToMatrix(), Derivations.Note000.SummaryGradW1(fw, x, w2, y, sigma, f)),
            new("∂L/∂b[1]", "(W[2])ᵀ((ŷ − y) ∘ f′(z[2])) ∘ σ′(z[1])", B1.Grad.ToMatrix(), Derivations.Note000.SummaryGradB1(fw, w2, y, sigma, f)),
        ]) { Derived = Derive(loss, W2, B2, W1, B1) };
    }

    private static NoteReport Note001<T>(Random r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, w1, w2, y) = (r.Random(6, 3), r.Random(3, 4), r.Random(4, 1), r.Random(6, 1));
        var W1 = w1.ToTensor<T>("W1"); var W2 = w2.ToTensor<T>("W2");
        var h = x.ToTensor<T>("X", false).MatMul(W1).Named("H");
        var o = h.Sigmoid().Named("Z").MatMul(W2).RetainGrad().Named("O");
        var yHat = o.Sigmoid().RetainGrad().Named("ŷ");
        var loss = Loss.HalfMeanSquared(yHat, y.ToTensor<T>("Y", false));
        loss.Backward();

        var fw = Derivations.Note001.Run(x, w1, w2, y);
        var z = fw.Z.Append(Matrix<double>.Build.Dense(6, 1, 1.0));
        var literal = Literal.Try(() => z.Times(w2));
        return new("001", "Batched sigmoid network, L = 1/(2N) Σ (Yᵢ − ŷᵢ)² (N = 6, d = 3, h = 4)",
        [
            new("∂L/∂ŷ", "−(1/N)(Yᵢ − ŷᵢ)", yHat.Grad.ToMatrix(), Derivations.Note001.DLossDYHat(fw, y)),
            new("∂L/∂O", "−(1/N)(Yᵢ − ŷᵢ) ŷᵢ(1 − ŷᵢ)", o.Grad.ToMatrix(), Derivations.Note001.DLossDO(fw, y)),
            new("∂L/∂W(2) (7)", "Σᵢ −(1/N)(Yᵢ − ŷᵢ)ŷᵢ(1 − ŷᵢ)Zᵢₖ", W2.Grad.ToMatrix(), Derivations.Note001.GradW2Elementwise(fw, y)),
            new("∂L/∂W(2) matrix", "Zᵀ δ", W2.Grad.ToMatrix(), Derivations.Note001.GradW2Matrix(fw, y)),
            new("∂L/∂W(1) (9)", "Σᵢ −(1/N)(Yᵢ − ŷᵢ)ŷᵢ(1 − ŷᵢ)W(2)ₗ₁σ(Hᵢₗ)(1 − σ(Hᵢₗ))Xᵢₖ", W1.Grad.ToMatrix(), Derivations.Note001.GradW1Elementwise(fw, x, w2, y)),
            new("∂L/∂W(1) matrix", "Xᵀ[(δ W(2)ᵀ) ∘ σ′(H)]", W1.Grad.ToMatrix(), Derivations.Note001.GradW1Matrix(fw, x, w2, y)),
            new("O with bias column", "[Z, 1] W(2) (text under eq. 3)", o.ToMatrix(), literal.Value,
                $"the appended bias column is absent from eq. (4) ({literal.Failure}); its gradient is eq. (7) at k = h+1"),
        ]) { Derived = Derive(loss, W2, W1) };
    }

    private static NoteReport Note002<T>(Random r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, w1, b1, w2, b2, y) = (r.Random(1, 1), r.Random(1, 1), r.Random(1, 1), r.Random(1, 1), r.Random(1, 1), r.Random(1, 1));
        var W1 = w1.ToTensor<T>("W^(L-1)"); var B1 = b1.ToTensor<T>("b^(L-1)"); var W2 = w2.ToTensor<T>("W^L"); var B2 = b2.ToTensor<T>("b^L");
        var zLm1 = (W1.MatMul(x.ToTensor<T>("x", false)) + B1).Named("z^(L-1)");
        var zL = (W2.MatMul(zLm1.Sigmoid().Named("a^(L-1)")) + B2).RetainGrad().Named("z^L");
        var aL = zL.Sigmoid().RetainGrad().Named("a^L");
        var loss = Loss.HalfSumSquared(aL, y.ToTensor<T>("y", false));
        loss.Backward();
        var fw = Derivations.Note002.Run(x, w1, b1, w2, b2, y);

        // the same chains for vector layers (3-4-2): eq. (48) as written against its outer-product form
        var (vx, vw1, vb1, vw2, vb2, vy) = (r.Random(3, 1), r.Random(4, 3), r.Random(4, 1), r.Random(2, 4), r.Random(2, 1), r.Random(2, 1));
        var VW1 = vw1.ToTensor<T>("W^(L-1)");
        Loss.HalfSumSquared((vw2.ToTensor<T>("W^L").MatMul((VW1.MatMul(vx.ToTensor<T>("x", false)) + vb1.ToTensor<T>("b^(L-1)")).Sigmoid()) + vb2.ToTensor<T>("b^L")).Sigmoid(),
            vy.ToTensor<T>("y", false)).Backward();
        var vfw = Derivations.Note002.Run(vx, vw1, vb1, vw2, vb2, vy);
        var literal = Literal.Try(() => Derivations.Note002.GradWLm1Eq48(vfw, vx, vw2, vy));
        return new("002", "Chain-rule factors, C₀ = ½(a^L − y)² (scalar network; then 3-4-2 vector layers)",
        [
            new("∂C₀/∂a^L (12)", "a^L − y", aL.Grad.ToMatrix(), Derivations.Note002.DCostDAL(fw, y)),
            new("∂C₀/∂z^L (28)·(12)", "a^L(1 − a^L) · (a^L − y)", zL.Grad.ToMatrix(), Derivations.Note002.DCostDZL(fw, y)),
            new("∂C₀/∂W^L (36)", "a^(L−1) · a^L(1 − a^L) · (a^L − y)", W2.Grad.ToMatrix(), Derivations.Note002.GradWLEq36(fw, y)),
            new("∂C₀/∂b^L (40)", "a^L(1 − a^L) · (a^L − y)", B2.Grad.ToMatrix(), Derivations.Note002.GradBLEq40(fw, y)),
            new("∂C₀/∂W^(L−1) (48)", "x · a^(L−1)(1 − a^(L−1)) · W^L · a^L(1 − a^L) · (a^L − y)", W1.Grad.ToMatrix(), Derivations.Note002.GradWLm1Eq48(fw, x, w2, y)),
            new("∂C₀/∂b^(L−1) (51)", "a^(L−1)(1 − a^(L−1)) · W^L · a^L(1 − a^L) · (a^L − y)", B1.Grad.ToMatrix(), Derivations.Note002.GradBLm1Eq51(fw, w2, y)),
            new("vector ∂C₀/∂W^(L−1) (48)", "x · a^(L−1)(1 − a^(L−1)) · W^L · …", VW1.Grad.ToMatrix(), literal.Value,
                $"scalar products do not carry over to vector layers ({literal.Failure ?? "wrong shape"}); corrected: [(W^L)ᵀδ^L ∘ a^(L−1)(1 − a^(L−1))] xᵀ"),
            new("vector ∂C₀/∂W^(L−1)", "[(W^L)ᵀδ^L ∘ a^(L−1)(1 − a^(L−1))] xᵀ", VW1.Grad.ToMatrix(), Derivations.Note002.GradWLm1VectorForm(vfw, vx, vw2, vy)),
        ]) { Derived = Derive(loss, W2, B2, W1, B1) };
    }

    private static NoteReport Note003<T>(Random r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, w1, w2, y) = (r.Random(5, 3), r.Random(3, 4), r.Random(4, 1), r.Random(5, 1));
        var W1 = w1.ToTensor<T>("W1"); var W2 = w2.ToTensor<T>("W2");
        Loss.HalfSumSquared(x.ToTensor<T>("X", false).MatMul(W1).MatMul(W2), y.ToTensor<T>("y", false)).Backward();
        var literalW2 = Literal.Try(() => Derivations.Note003.LinearGradW2AsWritten(x, w1, w2, y));
        var literalW1 = Literal.Try(() => Derivations.Note003.LinearGradW1AsWritten(x, w1, w2, y));

        var (sx, sw1, sb1, sw2, sb2, sy) = (r.Random(1, 3), r.Random(3, 4), r.Random(1, 4), r.Random(4, 1), r.Random(1, 1), r.Random(1, 1));
        var SW1 = sw1.ToTensor<T>("w1"); var SB1 = sb1.ToTensor<T>("b1"); var SW2 = sw2.ToTensor<T>("w2"); var SB2 = sb2.ToTensor<T>("b2");
        var sz1 = sx.ToTensor<T>("x", false).MatMul(SW1).Add(SB1).Named("z₁");
        var sz2 = (sz1.Sigmoid().Named("f₁").MatMul(SW2) + SB2).Named("z₂");
        var sloss = Loss.HalfSumSquared(sz2.Sigmoid().Named("ŷ"), sy.ToTensor<T>("y", false));
        sloss.Backward();
        var fw = Derivations.Note003.RunWithActivations(sx, sw1, sb1, sw2, sb2);
        var literalS1 = Literal.Try(() => Derivations.Note003.ActivationGradW1AsWritten(fw, sx, sw2, sy));
        return new("003", "Handwritten: ŷ = XW(1)W(2) (N = 5, 3-4-1), then sigmoid f₁, f₂ with biases (one example)",
        [
            new("∂L/∂W(2) as written", "(ŷ − y) X W(1)", W2.Grad.ToMatrix(), literalW2.Value, $"{literalW2.Failure ?? "transposed"}; corrected: (XW(1))ᵀ(ŷ − y)"),
            new("∂L/∂W(2)", "(XW(1))ᵀ(ŷ − y)", W2.Grad.ToMatrix(), Derivations.Note003.LinearGradW2Corrected(x, w1, w2, y)),
            new("∂L/∂W(1) as written", "(ŷ − y) W(2)ᵀ X", W1.Grad.ToMatrix(), literalW1.Value, $"{literalW1.Failure ?? "wrong order"}; corrected: Xᵀ(ŷ − y)W(2)ᵀ"),
            new("∂L/∂W(1)", "Xᵀ(ŷ − y)W(2)ᵀ", W1.Grad.ToMatrix(), Derivations.Note003.LinearGradW1Corrected(x, w1, w2, y)),
            new("∂L/∂b(2) (sigmoid)", "(ŷ − y) σ′(z₂)", SB2.Grad.ToMatrix(), Derivations.Note003.ActivationGradB2(fw, sy)),
            new("∂L/∂w(2) (sigmoid)", "a₁ᵀ (ŷ − y)σ′(z₂)", SW2.Grad.ToMatrix(), Derivations.Note003.ActivationGradW2Corrected(fw, sy)),
            new("∂L/∂w(1) as written", "(ŷ − y)σ(z₂)(1 − σ(z₂)) w(2)ᵀ σ(z₁)(1 − σ(z₁)) x", SW1.Grad.ToMatrix(), literalS1.Value,
                $"{literalS1.Failure ?? "wrong value"}; and σ′ of the underbraced z₁ = f₁(·) is σ′ of the activation"),
            new("∂L/∂w(1) (sigmoid)", "xᵀ[((ŷ − y)σ′(z₂)) w(2)ᵀ ∘ σ′(xw(1) + b(1))]", SW1.Grad.ToMatrix(), Derivations.Note003.ActivationGradW1Corrected(fw, sx, sw2, sy)),
            new("∂L/∂b(1) (sigmoid)", "((ŷ − y)σ′(z₂)) w(2)ᵀ ∘ σ′(z₁)", SB1.Grad.ToMatrix(), Derivations.Note003.ActivationGradB1(fw, sw2, sy)),
        ]) { Derived = Derive(sloss, SW2, SB2, SW1, SB1) };
    }

    private static NoteReport Note004<T>(Random r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sigma = ScalarFunction.Sigmoid;
        var x = r.Random(3, 1).AppendOne();
        var (v, w, y) = (r.Random(4, 4), r.Random(2, 4), r.Random(2, 1));
        var V = v.ToTensor<T>("V"); var W = w.ToTensor<T>("W");
        var g = V.MatMul(x.ToTensor<T>("x", false)).Named("g");
        var f = W.MatMul(g.Sigmoid().Named("h")).RetainGrad().Named("f");
        var loss = Loss.SumSquared(f, y.ToTensor<T>("y", false));
        loss.Backward();
        var fw = Derivations.Note004.Run(x, v, w, y, sigma);

        // section 2: two hidden layers (sigmoid, relu), row-vector convention
        var h0 = r.Random(3, 1);
        var weights = new[] { r.Random(4, 3), r.Random(5, 4) };
        var (wF, y2) = (r.Random(2, 5), r.Random(2, 1));
        var sigmas = new[] { ScalarFunction.Sigmoid, ScalarFunction.Relu };
        var tw = weights.Select((m, n) => m.ToTensor<T>($"W{n + 1}")).ToArray();
        var twF = wF.ToTensor<T>("WF");
        var h1 = tw[0].MatMul(h0.ToTensor<T>("h0", false)).RetainGrad();
        var g2 = tw[1].MatMul(h1.Sigmoid()).RetainGrad();
        Loss.SumSquared(twF.MatMul(g2.Relu()), y2.ToTensor<T>("y", false)).Backward();
        var rec = Derivations.Note004.RunRecursion(h0, weights, sigmas, wF, y2);
        var literal50 = Literal.Try(() => Derivations.Note004.GradWFEq50AsWritten(rec.F, rec.H[^1], y2));
        return new("004", "Single hidden layer, L = ‖y − f‖², bias folded into x; then N = 2 hidden layers (row-vector convention)",
        [
            new("∂L/∂f (10)", "2(f − y)", f.Grad.ToMatrix(), Derivations.Note004.DLossDF(fw, y)),
            new("∂L/∂W (23)", "2(f − y)hᵀ", W.Grad.ToMatrix(), Derivations.Note004.GradW(fw, y)),
            new("∂L/∂V (40)", "2(Wᵀ(f − y) ∘ σ′(g))xᵀ", V.Grad.ToMatrix(), Derivations.Note004.GradV(fw, x, w, y, sigma)),
            new("∂L/∂W^F (50) as written", "2(f − y)ᵀ(h^N)ᵀ", twF.Grad.ToMatrix(), literal50.Value, $"one transpose too many ({literal50.Failure}); corrected: 2(f − y)(h^N)ᵀ"),
            new("∂L/∂W^F (49)", "(∂L/∂f)ᵀ(h^N)ᵀ", twF.Grad.ToMatrix(), rec.GradWF),
            new("∂L/∂W² (75)", "(∂L/∂g²)ᵀ(h¹)ᵀ", tw[1].Grad.ToMatrix(), rec.GradW[1]),
            new("∂L/∂g² (76), row", "∂L/∂h² ∘ σ₂′(g²)", g2.Grad.ToMatrix().Transpose(), rec.DLossDG[1]),
            new("∂L/∂g¹ (76), row", "∂L/∂h¹ ∘ σ₁′(g¹)", h1.Grad.ToMatrix().Transpose(), rec.DLossDG[0]),
            new("∂L/∂W¹ (75)", "(∂L/∂g¹)ᵀ(h⁰)ᵀ", tw[0].Grad.ToMatrix(), rec.GradW[0]),
        ]) { Derived = Derive(loss, W, V) };
    }
}
