using MathNet.Numerics.LinearAlgebra;
using static AutoGrad.Derivations.Linalg;
using System.Globalization;

namespace AutoGrad.Derivations.Ledger;

/// <summary>
/// Note 004 section 1's data: x with its 1 appended (D×1, so V's last column is the bias), V (H×D), W (F×H), y (F×1), σ;
/// and, for the erratum under eq. (6), a bias column <see cref="WBias"/> (F×1) that the text gives W too.
/// </summary>
public sealed record Data004S1(Matrix<double> X, Matrix<double> V, Matrix<double> W, Matrix<double> Y, ScalarFunction Sigma, Matrix<double>? WBias = null)
{
    /// <summary>The note's forward pass (MathNet), without W's bias column.</summary>
    public Note004.Forward Fw => fw ??= Note004.Run(X, V, W, Y, Sigma);
    private Note004.Forward? fw;

    /// <summary>D, H, F.</summary>
    public int D => V.ColumnCount;

    /// <summary>H.</summary>
    public int H => V.RowCount;

    /// <summary>F.</summary>
    public int F => W.RowCount;

    /// <summary>W̃ = [W, b]: W with the bias column the text gives it.</summary>
    public Matrix<double> WTilde => W.Append(WBias!);

    /// <summary>eq. (9): ∂L/∂fᵢ = 2(fᵢ − yᵢ).</summary>
    public double DLdf(int i) => 2 * (Fw.F[i, 0] - Y[i, 0]);

    /// <summary>σ′(g_k).</summary>
    public double Sp(int k) => Sigma.Derivative(Fw.G[k, 0]);

    /// <summary>eq. (16): ∂L/∂hⱼ = Σᵢ 2(fᵢ − yᵢ)Wᵢⱼ.</summary>
    public double DLdh(int j) => Sum(F, i => DLdf(i) * W[i, j]);

    /// <summary>eq. (27): ∂L/∂g_k = ∂L/∂h_k σ′(g_k).</summary>
    public double DLdg(int k) => DLdh(k) * Sp(k);

    /// <summary>∂L/∂h as a column, eq. (17).</summary>
    public Matrix<double> DLdhColumn => 2 * W.Transpose().Times(Fw.F - Y);
}

/// <summary>Note 004, section 1 (eq. 1–40). Tape names: x, V, g, h, W, f, L (and Wt, the W̃ = [W, b] of the erratum).</summary>
public static class Ledger004Section1
{
    private const string Rows = "Note004Tests.Section_1_row_agrees_with_the_tape";
    private const string Fd = "Note004Tests.Section_1_row_agrees_with_finite_differences";
    private const string Errata = "Note004Tests.Section_1_erratum_literal_fails_as_the_ledger_says";

    private static LedgerRow<Data004S1> Row(string id, string section, RowKind kind, string formula, string? ascii, Func<Data004S1, IEnumerable<Claim>> claims) =>
        LedgerRow<Data004S1>.Create("004", id, section, kind, formula, ascii, claims,
            kind is RowKind.Definition or RowKind.Value or RowKind.Prose or RowKind.Repeat ? [Rows] : [Rows, Fd]) with { Applies = d => d.WBias is null };

    private const string S11 = "1.1 ∂L/∂W", S12 = "1.2 ∂L/∂V", S1 = "1 Single hidden layer";

    /// <summary>Eq. (1)–(40), and the sentence under eq. (6) that gives every weight matrix a bias column.</summary>
    public static readonly IReadOnlyList<LedgerRow<Data004S1>> All =
    [
        Row("(1)", S1, RowKind.Definition, "x → g = Vx → h = σ(g) → f = Wh", null, d =>
        [
            new("g = Vx", Target.Value("g"), () => d.V.Times(d.X)),
            new("h = σ(g)", Target.Value("h"), () => d.Fw.G.Apply(d.Sigma.Value)),
            new("f = Wh", Target.Value("f"), () => d.W.Times(d.Fw.H)),
        ]),
        Row("(2)", S1, RowKind.Definition, "x ∈ ℝ^D", null, d => [Claim.Shape("x is D×1", Target.Value("x"), d.D, 1)]),
        Row("(3)", S1, RowKind.Definition, "g, h ∈ ℝ^H", null, d => [Claim.Shape("g is H×1", Target.Value("g"), d.H, 1), Claim.Shape("h is H×1", Target.Value("h"), d.H, 1)]),
        Row("(4)", S1, RowKind.Definition, "y, f ∈ ℝ^F", null, d => [Claim.Shape("f is F×1", Target.Value("f"), d.F, 1), Claim.Shape("∂L/∂f is F×1, like y", Target.Grad("f"), d.Y.RowCount, 1)]),
        Row("(5)", S1, RowKind.Definition, "V ∈ ℝ^(H×D)", null, d => [Claim.Shape("∂L/∂V is H×D", Target.Grad("V"), d.H, d.D)]),
        Row("(6)", S1, RowKind.Definition, "W ∈ ℝ^(F×H)", null, d => [Claim.Shape("∂L/∂W is F×H", Target.Grad("W"), d.F, d.H)]),
        Row("text under (6)", S1, RowKind.Erratum, "x has a 1 appended, and all matrices of weights have an extra column of biases (included in the dimensions above)", "2 * (f - y) @ h1^T", d =>
        [
            new("f = W̃[h; 1]: ∂L/∂W̃ = 2(f − y)[h; 1]ᵀ (eq. 23 with [h; 1])", Target.Grad("Wt"), () => Note004.GradW(Note004.RunWithOutputBias(d.X, d.V, d.WTilde, d.Y, d.Sigma), d.Y)),
            new("∂L/∂V = 2(W₀ᵀ(f − y) ∘ σ′(g))xᵀ, W₀ = W̃ without its bias column (eq. 40)", Target.Grad("V"),
                () => Note004.GradVWithOutputBias(Note004.RunWithOutputBias(d.X, d.V, d.WTilde, d.Y, d.Sigma), d.X, d.WTilde, d.Y, d.Sigma)),
        ]) with
        {
            Inline = true,
            Tests = [Rows, Fd, Errata],
            Applies = d => d.WBias is not null,
            Finding = "Only x gets a 1 appended. A bias column in W multiplies h = σ(g), which has no 1 appended: f = W̃h is (F×(H+1))·(H×1) and does not multiply. " +
                "With h extended to [h; 1] as well, eq. (23) holds with [h; 1], but eq. (40)'s Wᵀ(f − y) then has H+1 rows against σ′(g)'s H: it needs W without its bias column.",
            Corrected = "f = W̃[h; 1]; ∂L/∂W̃ = 2(f − y)[h; 1]ᵀ; ∂L/∂V = 2(W₀ᵀ(f − y) ∘ σ′(g))xᵀ with W₀ = W̃ without its bias column",
            LiteralAscii = "f = Wt @ h",
            Literal = d => new("f = W̃h", Target.Value("f"), () => d.WTilde.Times(d.Fw.H)),
            Conflict = d => string.Create(CultureInfo.InvariantCulture, $"Product: ({d.F}×{d.H + 1}) · ({d.H}×1): inner dimensions differ."),
            Transcription = d => new("f = W̃[h; 1]: the same W̃ on h with its 1 appended", Target.Value("f"), () => d.WTilde.Times(d.Fw.H.AppendOne())),
        },
        Row("(7)", S11, RowKind.Value, "L = |y − f|²", "sum((y - f)^2)", d => [new("|y − f|²", Target.Value("L"), () => Scalar((d.Y - d.Fw.F).Column(0).DotProduct((d.Y - d.Fw.F).Column(0))))])
            with { NotationNote = "|·| is the Euclidean norm ‖·‖; no ½, so the derivatives carry a factor 2." },
        Row("(8)", S11, RowKind.Value, "L = Σᵢ₌₁ᶠ (yᵢ − fᵢ)²", "sum((y - f)^2)", d => [new("Σᵢ (yᵢ − fᵢ)²", Target.Value("L"), () => Scalar(Sum(d.F, i => (d.Y[i, 0] - d.Fw.F[i, 0]) * (d.Y[i, 0] - d.Fw.F[i, 0]))))]),
        Row("(9)", S11, RowKind.IndexForm, "∂L/∂fᵢ = 2(fᵢ − yᵢ)", "2 * (f - y)", d => [new("2(fᵢ − yᵢ) for every i", Target.Grad("f"), () => Index(d.F, 1, (i, _) => d.DLdf(i)))]),
        Row("(10)", S11, RowKind.Derivative, "∂L/∂f = 2(f − y)", "2 * (f - y)", d => [new("2(f − y)", Target.Grad("f"), () => 2 * (d.Fw.F - d.Y))]),
        Row("(11)", S11, RowKind.Derivative, "∂L/∂h = ((∂L/∂f)ᵀ ∂f/∂h)ᵀ", "((2 * (f - y))^T @ W)^T", d => [new("((∂L/∂f)ᵀ W)ᵀ with ∂f/∂h = W", Target.Grad("h"), () => (2 * (d.Fw.F - d.Y)).Transpose().Times(d.W).Transpose())]),
        Row("(12)", S11, RowKind.IndexForm, "∂L/∂hⱼ = ∂L/∂f · ∂f/∂hⱼ = Σᵢ₌₁ᶠ ∂L/∂fᵢ ∂fᵢ/∂hⱼ", "W^T @ (2 * (f - y))", d =>
        [
            new("∂L/∂f · ∂f/∂hⱼ (a dot product) for every j", Target.Grad("h"), () => Index(d.H, 1, (j, _) => (2 * (d.Fw.F - d.Y)).Column(0).DotProduct(d.W.Column(j)))),
            new("Σᵢ ∂L/∂fᵢ ∂fᵢ/∂hⱼ for every j", Target.Grad("h"), () => Index(d.H, 1, (j, _) => Sum(d.F, i => d.DLdf(i) * d.W[i, j]))),
        ]),
        Row("(13)", S11, RowKind.Definition, "fᵢ = Σⱼ₌₁ᴴ Wᵢⱼ hⱼ", null, d => [new("Σⱼ Wᵢⱼ hⱼ for every i", Target.Value("f"), () => Index(d.F, 1, (i, _) => Sum(d.H, j => d.W[i, j] * d.Fw.H[j, 0])))]),
        Row("(14)", S11, RowKind.Jacobian, "∂fᵢ/∂hⱼ = Wᵢⱼ", "W", d => [new("Wᵢⱼ for every (i, j)", Target.Jacobian("f", "h"), () => Index(d.F, d.H, (i, j) => d.W[i, j]))]),
        Row("(15)", S11, RowKind.Jacobian, "∂f/∂h = W", "W", d => [new("W", Target.Jacobian("f", "h"), () => d.W)]),
        Row("(16)", S11, RowKind.IndexForm, "∂L/∂hⱼ = Σᵢ₌₁ᶠ 2(fᵢ − yᵢ) Wᵢⱼ", "2 * W^T @ (f - y)", d => [new("Σᵢ 2(fᵢ − yᵢ)Wᵢⱼ for every j", Target.Grad("h"), () => Index(d.H, 1, (j, _) => d.DLdh(j)))]),
        Row("(17)", S11, RowKind.Derivative, "∂L/∂h = ((∂L/∂f)ᵀ W)ᵀ = 2Wᵀ(f − y)", "2 * W^T @ (f - y)", d =>
        [
            new("((∂L/∂f)ᵀ W)ᵀ", Target.Grad("h"), () => (2 * (d.Fw.F - d.Y)).Transpose().Times(d.W).Transpose()),
            new("2Wᵀ(f − y)", Target.Grad("h"), () => d.DLdhColumn),
        ]),
        Row("(18)", S11, RowKind.IndexForm, "∂L/∂W_kl = Σᵢ₌₁ᶠ ∂L/∂fᵢ ∂fᵢ/∂W_kl", "2 * (f - y) @ h^T",
            d => [new("Σᵢ ∂L/∂fᵢ δᵢₖ hₗ for every (k, l)", Target.Grad("W"), () => Index(d.F, d.H, (k, l) => Sum(d.F, i => d.DLdf(i) * Delta(i, k) * d.Fw.H[l, 0])))]),
        Row("(19)", S11, RowKind.Prose, "L = L(f) = L(f₁(W), …, f_F(W)) = L(f₁(W₁₁, …, W_FH), …, f_F(W₁₁, …, W_FH))", null,
            d => [new("L from f alone, each fᵢ from row i of W alone", Target.Value("L"), () => Scalar(Sum(d.F, i =>
            {
                double fi = Sum(d.H, j => d.W[i, j] * d.Fw.H[j, 0]);
                return (d.Y[i, 0] - fi) * (d.Y[i, 0] - fi);
            })))]),
        Row("(20)", S11, RowKind.Repeat, "fᵢ = Σⱼ₌₁ᴴ Wᵢⱼ hⱼ", null, d => [new("Σⱼ Wᵢⱼ hⱼ for every i", Target.Value("f"), () => Index(d.F, 1, (i, _) => Sum(d.H, j => d.W[i, j] * d.Fw.H[j, 0])))])
            with { RepeatOf = "(13)" },
        Row("(21)", S11, RowKind.Jacobian, "∂fᵢ/∂W_kl = δᵢₖ Σⱼ₌₁ᴴ δₗⱼ hⱼ = δᵢₖ hₗ", "h", d =>
        [
            new("δᵢₖ Σⱼ δₗⱼ hⱼ for every (i, k, l)", Target.Jacobian("f", "W"), () => Index3(d.F, d.F, d.H, (i, k, l) => Delta(i, k) * Sum(d.H, j => Delta(l, j) * d.Fw.H[j, 0]))),
            new("δᵢₖ hₗ for every (i, k, l)", Target.Jacobian("f", "W"), () => Index3(d.F, d.F, d.H, (i, k, l) => Delta(i, k) * d.Fw.H[l, 0])),
        ]),
        Row("(22)", S11, RowKind.IndexForm, "∂L/∂W_kl = Σᵢ 2(fᵢ − yᵢ) δᵢₖ hₗ = 2hₗ Σᵢ δᵢₖ (fᵢ − yᵢ) = 2(f_k − y_k) hₗ", "2 * (f - y) @ h^T", d =>
        [
            new("Σᵢ 2(fᵢ − yᵢ)δᵢₖhₗ", Target.Grad("W"), () => Index(d.F, d.H, (k, l) => Sum(d.F, i => 2 * (d.Fw.F[i, 0] - d.Y[i, 0]) * Delta(i, k) * d.Fw.H[l, 0]))),
            new("2hₗ Σᵢ δᵢₖ(fᵢ − yᵢ)", Target.Grad("W"), () => Index(d.F, d.H, (k, l) => 2 * d.Fw.H[l, 0] * Sum(d.F, i => Delta(i, k) * (d.Fw.F[i, 0] - d.Y[i, 0])))),
            new("2(f_k − y_k)hₗ", Target.Grad("W"), () => Index(d.F, d.H, (k, l) => 2 * (d.Fw.F[k, 0] - d.Y[k, 0]) * d.Fw.H[l, 0])),
        ]),
        Row("(23)", S11, RowKind.Derivative, "∂L/∂W = 2(f − y)hᵀ", "2 * (f - y) @ h^T", d => [new("2(f − y)hᵀ", Target.Grad("W"), () => Note004.GradW(d.Fw, d.Y))]),
        Row("(24)", S12, RowKind.IndexForm, "∂L/∂g_k = Σⱼ₌₁ᴴ ∂L/∂hⱼ ∂hⱼ/∂g_k", "(2 * W^T @ (f - y)) * dsigma(g)",
            d => [new("Σⱼ ∂L/∂hⱼ δⱼₖσ′(g_k) for every k", Target.Grad("g"), () => Index(d.H, 1, (k, _) => Sum(d.H, j => d.DLdh(j) * Delta(j, k) * d.Sp(k))))]),
        Row("(25)", S12, RowKind.Definition, "hⱼ(g_k) = δⱼₖ σ(g_k)", null, d => [new("Σ_k δⱼₖ σ(g_k) for every j", Target.Value("h"), () => Index(d.H, 1, (j, _) => Sum(d.H, k => Delta(j, k) * d.Sigma.Value(d.Fw.G[k, 0]))))])
            with { NotationNote = "Read literally, hⱼ(g_k) = δⱼₖσ(g_k) makes hⱼ vanish as a function of g_k for k ≠ j; what is meant (and what the test checks) is hⱼ = σ(gⱼ) = Σ_k δⱼₖσ(g_k)." },
        Row("(26)", S12, RowKind.Jacobian, "∂hⱼ/∂g_k = ∂(δⱼₖ σ(g_k))/∂g_k = δⱼₖ σ′(g_k)", "diag(dsigma(g))", d => [new("δⱼₖσ′(g_k) for every (j, k)", Target.Jacobian("h", "g"), () => Index(d.H, d.H, (j, k) => Delta(j, k) * d.Sp(k)))]),
        Row("(27)", S12, RowKind.IndexForm, "∂L/∂g_k = Σⱼ₌₁ᴴ ∂L/∂hⱼ δⱼₖ σ′(g_k) = ∂L/∂h_k σ′(g_k)", "(2 * W^T @ (f - y)) * dsigma(g)", d =>
        [
            new("Σⱼ ∂L/∂hⱼ δⱼₖ σ′(g_k)", Target.Grad("g"), () => Index(d.H, 1, (k, _) => Sum(d.H, j => d.DLdh(j) * Delta(j, k) * d.Sp(k)))),
            new("∂L/∂h_k σ′(g_k)", Target.Grad("g"), () => Index(d.H, 1, (k, _) => d.DLdg(k))),
        ]),
        Row("(28)", S12, RowKind.IndexForm, "= (Σᵢ₌₁ᶠ 2(fᵢ − yᵢ) Wᵢₖ) σ′(g_k)", "(2 * W^T @ (f - y)) * dsigma(g)",
            d => [new("(Σᵢ 2(fᵢ − yᵢ)Wᵢₖ)σ′(g_k) for every k", Target.Grad("g"), () => Index(d.H, 1, (k, _) => Sum(d.F, i => 2 * (d.Fw.F[i, 0] - d.Y[i, 0]) * d.W[i, k]) * d.Sp(k)))]),
        Row("(29)", S12, RowKind.Derivative, "∂L/∂g = ((∂L/∂h)ᵀ ∂h/∂g)ᵀ", "(2 * W^T @ (f - y)) * dsigma(g)",
            d => [new("((∂L/∂h)ᵀ diag σ′(g))ᵀ", Target.Grad("g"), () => d.DLdhColumn.Transpose().Times(Diag(d.Fw.G.Apply(d.Sigma.Derivative))).Transpose())])
            with { NotationNote = "The sentence after it speaks of \"the derivatives of each input gᵢ w.r.t. its output hᵢ\": g and h are swapped; the vector is of ∂hᵢ/∂gᵢ = σ′(gᵢ), as the formula has it." },
        Row("(30)", S12, RowKind.Derivative, "∂L/∂g = ∂L/∂h ⊙ σ′(g)", "(2 * W^T @ (f - y)) * dsigma(g)", d => [new("∂L/∂h ⊙ σ′(g)", Target.Grad("g"), () => Note004.DLossDG(d.Fw, d.W, d.Y, d.Sigma))]),
        Row("(31)", S12, RowKind.IndexForm, "∂L/∂V_kl = Σᵢ₌₁ᴴ ∂L/∂gᵢ ∂gᵢ/∂V_kl", "dL_dg @ x^T",
            d => [new("Σᵢ ∂L/∂gᵢ δᵢₖ xₗ for every (k, l)", Target.Grad("V"), () => Index(d.H, d.D, (k, l) => Sum(d.H, i => d.DLdg(i) * Delta(i, k) * d.X[l, 0])))]),
        Row("(32)", S12, RowKind.Definition, "gᵢ = Σⱼ₌₁ᴰ Vᵢⱼ xⱼ", null, d => [new("Σⱼ Vᵢⱼ xⱼ for every i", Target.Value("g"), () => Index(d.H, 1, (i, _) => Sum(d.D, j => d.V[i, j] * d.X[j, 0])))]),
        Row("(33)", S12, RowKind.Jacobian, "∂gᵢ/∂V_kl = δᵢₖ Σⱼ₌₁ᴰ δₗⱼ xⱼ", "x", d => [new("δᵢₖ Σⱼ δₗⱼ xⱼ for every (i, k, l)", Target.Jacobian("g", "V"), () => Index3(d.H, d.H, d.D, (i, k, l) => Delta(i, k) * Sum(d.D, j => Delta(l, j) * d.X[j, 0])))]),
        Row("(34)", S12, RowKind.Jacobian, "= δᵢₖ xₗ", "x", d => [new("δᵢₖ xₗ for every (i, k, l)", Target.Jacobian("g", "V"), () => Index3(d.H, d.H, d.D, (i, k, l) => Delta(i, k) * d.X[l, 0]))]),
        Row("(35)", S12, RowKind.IndexForm, "∂L/∂V_kl = Σᵢ₌₁ᴴ ∂L/∂gᵢ δᵢₖ xₗ", "dL_dg @ x^T", d => [new("Σᵢ ∂L/∂gᵢ δᵢₖ xₗ for every (k, l)", Target.Grad("V"), () => Index(d.H, d.D, (k, l) => Sum(d.H, i => d.DLdg(i) * Delta(i, k) * d.X[l, 0])))]),
        Row("(36)", S12, RowKind.IndexForm, "= ∂L/∂g_k xₗ", "dL_dg @ x^T", d => [new("∂L/∂g_k xₗ for every (k, l)", Target.Grad("V"), () => Index(d.H, d.D, (k, l) => d.DLdg(k) * d.X[l, 0]))]),
        Row("(37)", S12, RowKind.Derivative, "∂L/∂V = [∂L/∂gᵢ xⱼ]ᵢ₌₁..ᴴ, ⱼ₌₁..ᴰ (the matrix written out)", "dL_dg @ x^T", d => [new("entry (i, j) = ∂L/∂gᵢ xⱼ", Target.Grad("V"), () => Index(d.H, d.D, (i, j) => d.DLdg(i) * d.X[j, 0]))]),
        Row("(38)", S12, RowKind.Derivative, "∂L/∂V = ∂L/∂g xᵀ", "dL_dg @ x^T", d => [new("∂L/∂g xᵀ", Target.Grad("V"), () => Note004.DLossDG(d.Fw, d.W, d.Y, d.Sigma).Times(d.X.Transpose()))]),
        Row("(39)", S12, RowKind.Derivative, "∂L/∂V = (∂L/∂h ⊙ σ′(g)) xᵀ", "((2 * W^T @ (f - y)) * dsigma(g)) @ x^T", d => [new("(∂L/∂h ⊙ σ′(g))xᵀ", Target.Grad("V"), () => d.DLdhColumn.Hadamard(d.Fw.G.Apply(d.Sigma.Derivative)).Times(d.X.Transpose()))]),
        Row("(40)", S12, RowKind.Derivative, "= 2(Wᵀ(f − y) ⊙ σ′(g)) xᵀ", "2 * ((W^T @ (f - y)) * dsigma(g)) @ x^T", d => [new("2(Wᵀ(f − y) ⊙ σ′(g))xᵀ", Target.Grad("V"), () => Note004.GradV(d.Fw, d.X, d.W, d.Y, d.Sigma))]),
    ];
}
