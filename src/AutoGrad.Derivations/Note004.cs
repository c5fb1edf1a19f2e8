using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Derivations;

/// <summary>
/// Note 004 (Gregor Hartl Watters, "Backpropagation"). Section 1: x → g = Vx → h = σ(g) → f = Wh with column
/// vectors, biases folded in by a 1 appended to x, L = ‖y − f‖² (no ½, hence the factors 2). Section 2: N hidden
/// layers gⁿ = Wⁿhⁿ⁻¹, hⁿ = σₙ(gⁿ), f = W^F h^N, where derivatives of L with respect to a vector are ROW vectors
/// (the note's stated convention, section 2.1).
/// </summary>
public static class Note004
{
    /// <summary>Section 1's forward quantities.</summary>
    public sealed record Forward(Matrix<double> G, Matrix<double> H, Matrix<double> F, double Loss);

    /// <summary>Eq. (1) and (7): g = Vx, h = σ(g), f = Wh, L = ‖y − f‖².</summary>
    public static Forward Run(Matrix<double> x, Matrix<double> v, Matrix<double> w, Matrix<double> y, ScalarFunction sigma)
    {
        var g = v.Times(x);
        var h = g.Apply(sigma.Value);
        var f = w.Times(h);
        var r = y - f;
        return new Forward(g, h, f, r.Column(0).DotProduct(r.Column(0)));
    }

    /// <summary>Eq. (10): ∂L/∂f = 2(f − y), a column.</summary>
    public static Matrix<double> DLossDF(Forward fw, Matrix<double> y) => 2 * (fw.F - y);

    /// <summary>Eq. (17): ∂L/∂h = 2Wᵀ(f − y).</summary>
    public static Matrix<double> DLossDH(Forward fw, Matrix<double> w, Matrix<double> y) => 2 * w.Transpose().Times(fw.F - y);

    /// <summary>Eq. (23): ∂L/∂W = 2(f − y)hᵀ.</summary>
    public static Matrix<double> GradW(Forward fw, Matrix<double> y) => 2 * (fw.F - y).Times(fw.H.Transpose());

    /// <summary>Eq. (30): ∂L/∂g = ∂L/∂h ∘ σ′(g).</summary>
    public static Matrix<double> DLossDG(Forward fw, Matrix<double> w, Matrix<double> y, ScalarFunction sigma) =>
        DLossDH(fw, w, y).Hadamard(fw.G.Apply(sigma.Derivative));

    /// <summary>Eq. (40): ∂L/∂V = 2(Wᵀ(f − y) ∘ σ′(g))xᵀ.</summary>
    public static Matrix<double> GradV(Forward fw, Matrix<double> x, Matrix<double> w, Matrix<double> y, ScalarFunction sigma) =>
        2 * w.Transpose().Times(fw.F - y).Hadamard(fw.G.Apply(sigma.Derivative)).Times(x.Transpose());

    /// <summary>
    /// Section 1 with W's bias column too ("all matrices of weights have an extra column appended with bias terms"):
    /// f = W̃[h; 1], with W̃ of F×(H+1). Returns the forward quantities with H̃ = [h; 1].
    /// </summary>
    public static Forward RunWithOutputBias(Matrix<double> x, Matrix<double> v, Matrix<double> wWithBias, Matrix<double> y, ScalarFunction sigma)
    {
        var g = v.Times(x);
        var hTilde = g.Apply(sigma.Value).AppendOne();
        var f = wWithBias.Times(hTilde);
        var r = y - f;
        return new Forward(g, hTilde, f, r.Column(0).DotProduct(r.Column(0)));
    }

    /// <summary>Eq. (40) corrected for an output bias column: ∂L/∂V = 2(W₀ᵀ(f − y) ∘ σ′(g))xᵀ, W₀ = W̃ without its bias column.</summary>
    public static Matrix<double> GradVWithOutputBias(Forward fw, Matrix<double> x, Matrix<double> wWithBias, Matrix<double> y, ScalarFunction sigma)
    {
        var w0 = wWithBias.SubMatrix(0, wWithBias.RowCount, 0, wWithBias.ColumnCount - 1);
        return 2 * w0.Transpose().Times(fw.F - y).Hadamard(fw.G.Apply(sigma.Derivative)).Times(x.Transpose());
    }

    /// <summary>Section 2's quantities per layer n = 1..N: gⁿ, hⁿ (columns), ∂L/∂gⁿ, ∂L/∂hⁿ (rows) and ∂L/∂Wⁿ.</summary>
    public sealed record Recursion(
        IReadOnlyList<Matrix<double>> G, IReadOnlyList<Matrix<double>> H, Matrix<double> F,
        Matrix<double> DLossDF, Matrix<double> GradWF,
        IReadOnlyList<Matrix<double>> DLossDG, IReadOnlyList<Matrix<double>> DLossDH, IReadOnlyList<Matrix<double>> GradW);

    /// <summary>
    /// Section 2: forward eq. (41), then ∂L/∂f = 2(f − y)ᵀ (44), ∂L/∂W^F = (∂L/∂f)ᵀ(h^N)ᵀ (49),
    /// ∂L/∂h^N = ∂L/∂f W^F (55–56), and for n = N..1: ∂L/∂gⁿ = ∂L/∂hⁿ ∘ σₙ′(gⁿ) (76),
    /// ∂L/∂Wⁿ = (∂L/∂gⁿ)ᵀ(hⁿ⁻¹)ᵀ (75), ∂L/∂hⁿ⁻¹ = ∂L/∂gⁿ Wⁿ (77). Lists are indexed n − 1; DLossDH[n] is ∂L/∂hⁿ
    /// for n = 0..N.
    /// </summary>
    public static Recursion RunRecursion(Matrix<double> h0, IReadOnlyList<Matrix<double>> weights, IReadOnlyList<ScalarFunction> sigmas,
        Matrix<double> wF, Matrix<double> y) => Recurse(h0, weights, sigmas, wF, y, biases: false);

    /// <summary>Eq. (50) as written: ∂L/∂W^F = 2(f − y)ᵀ(h^N)ᵀ.</summary>
    public static Matrix<double> GradWFEq50AsWritten(Matrix<double> f, Matrix<double> hN, Matrix<double> y) =>
        (2 * (f - y).Transpose()).Times(hN.Transpose());

    /// <summary>Eq. (50) corrected, i.e. eq. (44) substituted into (49): ∂L/∂W^F = 2(f − y)(h^N)ᵀ.</summary>
    public static Matrix<double> GradWFEq50Corrected(Matrix<double> f, Matrix<double> hN, Matrix<double> y) =>
        (2 * (f - y)).Times(hN.Transpose());

    /// <summary>Eq. (56): ∂L/∂h^N = 2(f − y)ᵀW^F, a row.</summary>
    public static Matrix<double> DLossDHNEq56(Matrix<double> f, Matrix<double> wF, Matrix<double> y) => (2 * (f - y)).Transpose().Times(wF);

    /// <summary>Eq. (78): W_(t+1) = W_t − η ∂L/∂W_t.</summary>
    public static Matrix<double> SgdStep(Matrix<double> w, Matrix<double> grad, double learningRate) => w - learningRate * grad;

    /// <summary>
    /// Section 2 with the biases the text says the weights incorporate, made to fit: every hⁿ⁻¹ for n ≥ 2 and h^N get a 1
    /// appended, so W̃ⁿ (n ≥ 2) is D_n×(D_(n−1)+1) and W̃^F is D_F×(D_N+1) (h⁰ = x already carries its 1). Returns
    /// ∂L/∂W̃ⁿ = (∂L/∂gⁿ)ᵀ[hⁿ⁻¹; 1]ᵀ (eq. 75 with the 1), ∂L/∂W̃^F = 2(f − y)[h^N; 1]ᵀ, and ∂L/∂hⁿ⁻¹ = ∂L/∂gⁿ W₀ⁿ
    /// (eq. 77 with W̃ⁿ's bias column dropped), as rows, indexed as in <see cref="Recursion"/>.
    /// </summary>
    public static Recursion RunRecursionWithBiases(Matrix<double> h0, IReadOnlyList<Matrix<double>> weights, IReadOnlyList<ScalarFunction> sigmas,
        Matrix<double> wF, Matrix<double> y) => Recurse(h0, weights, sigmas, wF, y, biases: true);

    /// <summary>
    /// The recursion of <see cref="RunRecursion"/> (eq. 41, 44, 49, 55, 75–77); with <paramref name="biases"/>, as
    /// <see cref="RunRecursionWithBiases"/>: a 1 appended to each layer input but x, and the bias column dropped from
    /// each weight but W¹ where ∂L/∂hⁿ⁻¹ is formed.
    /// </summary>
    private static Recursion Recurse(Matrix<double> h0, IReadOnlyList<Matrix<double>> weights, IReadOnlyList<ScalarFunction> sigmas,
        Matrix<double> wF, Matrix<double> y, bool biases)
    {
        int layers = weights.Count;
        var g = new List<Matrix<double>>();
        var h = new List<Matrix<double>> { h0 };
        Matrix<double> In(int n) => biases && n > 0 ? h[n].AppendOne() : h[n]; // the input of layer n + 1
        Matrix<double> WithoutBias(Matrix<double> w, bool hasBias) => biases && hasBias ? w.SubMatrix(0, w.RowCount, 0, w.ColumnCount - 1) : w;
        for (int n = 0; n < layers; n++)
        {
            g.Add(weights[n].Times(In(n)));
            h.Add(g[n].Apply(sigmas[n].Value));
        }
        var f = wF.Times(In(layers));
        var dLdf = 2 * (f - y).Transpose();                          // (44), a row
        var gradWF = dLdf.Transpose().Times(In(layers).Transpose());  // (49)
        var dLdh = new Matrix<double>[layers + 1];
        var dLdg = new Matrix<double>[layers];
        var gradW = new Matrix<double>[layers];
        dLdh[layers] = dLdf.Times(WithoutBias(wF, hasBias: true));   // (55)
        for (int n = layers - 1; n >= 0; n--)
        {
            dLdg[n] = dLdh[n + 1].Hadamard(g[n].Apply(sigmas[n].Derivative).Transpose()); // (76)
            gradW[n] = dLdg[n].Transpose().Times(In(n).Transpose());                       // (75)
            dLdh[n] = dLdg[n].Times(WithoutBias(weights[n], hasBias: n > 0));              // (77)
        }
        return new Recursion(g, h.Skip(1).ToList(), f, dLdf, gradWF, dLdg, dLdh, gradW);
    }
}
