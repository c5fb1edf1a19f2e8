using MathNet.Numerics.LinearAlgebra;
using static AutoGrad.Derivations.Linalg;
using System.Globalization;

namespace AutoGrad.Derivations.Ledger;

/// <summary>
/// Note 004 section 2's data: h⁰ (D₀×1), N hidden layers Wⁿ (D_n×D_(n−1)) with σₙ, W^F (D_F×D_N), y, the SGD step η;
/// with <see cref="Biased"/>, the bias columns the text says the weights incorporate: Wⁿ for n ≥ 2 and W^F have one more column.
/// </summary>
public sealed record Data004S2(Matrix<double> H0, Matrix<double>[] Ws, ScalarFunction[] Sigmas, Matrix<double> WF, Matrix<double> Y, double Eta, bool Biased = false)
{
    /// <summary>The note's recursion (MathNet): eq. (41), (44), (49), (55), (75)–(77).</summary>
    public Note004.Recursion R => r ??= Biased ? Note004.RunRecursionWithBiases(H0, Ws, Sigmas, WF, Y) : Note004.RunRecursion(H0, Ws, Sigmas, WF, Y);
    private Note004.Recursion? r;

    /// <summary>N, the number of hidden layers.</summary>
    public int N => Ws.Length;

    /// <summary>D_n, the width of hⁿ.</summary>
    public int Dim(int n) => n == 0 ? H0.RowCount : Ws[n - 1].RowCount;

    /// <summary>D_F.</summary>
    public int DF => WF.RowCount;

    /// <summary>hⁿ (a column), n = 0..N.</summary>
    public Matrix<double> Hn(int n) => n == 0 ? H0 : R.H[n - 1];

    /// <summary>gⁿ (a column), n = 1..N.</summary>
    public Matrix<double> Gn(int n) => R.G[n - 1];

    /// <summary>eq. (43): ∂L/∂fᵢ = 2(fᵢ − yᵢ).</summary>
    public double DLdf(int i) => 2 * (R.F[i, 0] - Y[i, 0]);

    /// <summary>σₙ′(gⁿⱼ).</summary>
    public double Sp(int n, int j) => Sigmas[n - 1].Derivative(Gn(n)[j, 0]);

    /// <summary>∂L/∂hⁿⱼ from the note's recursion (eq. 54 for n = N, eq. 72 below).</summary>
    public double DLdh(int n, int j) => R.DLossDH[n][0, j];

    /// <summary>∂L/∂gⁿⱼ from the note's recursion (eq. 59).</summary>
    public double DLdg(int n, int j) => R.DLossDG[n - 1][0, j];
}

/// <summary>Note 004, section 2 (eq. 41–78). Tape names: h0 … hN, g1 … gN, W1 … WN, WF, f, L; W1+ … WN+, WF+ after one SGD step.</summary>
public static class Ledger004Section2
{
    private const string Rows = "Note004Tests.Section_2_row_agrees_with_the_tape";
    private const string Fd = "Note004Tests.Section_2_row_agrees_with_finite_differences";
    private const string Errata = "Note004Tests.Section_2_erratum_literal_fails_as_the_ledger_says";

    private static LedgerRow<Data004S2> Row(string id, string section, RowKind kind, string formula, string? ascii, Func<Data004S2, IEnumerable<Claim>> claims) =>
        LedgerRow<Data004S2>.Create("004", id, section, kind, formula, ascii, claims, kind is RowKind.Definition or RowKind.Value ? [Rows] : [Rows, Fd]) with { Applies = d => !d.Biased };

    private const string A = "2.1 Architecture", Lf = "2.2 ∂L/∂f", Wf = "2.3 ∂L/∂W^F", HN = "2.4 ∂L/∂h^N", GN = "2.5 ∂L/∂g^N", WN = "2.6 ∂L/∂W^N", HN1 = "2.7 ∂L/∂h^(N−1)", Sub = "2.8 Subsequent layers";

    private static string G(Data004S2 d) => string.Create(CultureInfo.InvariantCulture, $"g{d.N}");
    private static string H(Data004S2 d) => string.Create(CultureInfo.InvariantCulture, $"h{d.N}");
    private static string Hm(Data004S2 d) => string.Create(CultureInfo.InvariantCulture, $"h{d.N - 1}");
    private static string W(Data004S2 d) => string.Create(CultureInfo.InvariantCulture, $"W{d.N}");

    private static Claim DLdWF(Data004S2 d) => new("(∂L/∂f)ᵀ(h^N)ᵀ", Target.Grad("WF"), () => d.R.DLossDF.Transpose().Times(d.Hn(d.N).Transpose()));

    /// <summary>∂L/∂h^N ⊙ σ^N′(g^N) as eq. (61)'s second line and the subsequent layers write it: a row ⊙ a column.</summary>
    private static Matrix<double> RowHadamardColumn(Data004S2 d) => d.R.DLossDH[d.N].Hadamard(d.Gn(d.N).Apply(d.Sigmas[d.N - 1].Derivative));

    /// <summary>The conflict <see cref="RowHadamardColumn"/> raises, stated from the shapes: none when D_N = 1.</summary>
    private static string? RowHadamardColumnConflict(Data004S2 d) => d.Dim(d.N) == 1 ? null : string.Create(CultureInfo.InvariantCulture, $"Hadamard: (1×{d.Dim(d.N)}) ∘ ({d.Dim(d.N)}×1): shapes differ.");

    private static IEnumerable<Claim> EveryLayer(Data004S2 d, Func<int, Claim> claim) => Enumerable.Range(1, d.N).Select(claim);

    /// <summary>Eq. (41)–(78), and the sentence of 2.1 that says every weight matrix incorporates its biases.</summary>
    public static readonly IReadOnlyList<LedgerRow<Data004S2>> All =
    [
        Row("(41)", A, RowKind.Definition, "hⁿ⁻¹ → gⁿ = Wⁿhⁿ⁻¹ → hⁿ = σₙ(gⁿ), gⁿ, hⁿ ∈ ℝ^(D_n), Wⁿ ∈ ℝ^(D_n×D_(n−1)), n = 1..N; h^N → f = W^F h^N, f ∈ ℝ^(D_F), W^F ∈ ℝ^(D_F×D_N)", null,
            d => EveryLayer(d, n => new Claim(string.Create(CultureInfo.InvariantCulture, $"g{n} = W{n}h{n - 1}"), Target.Value(string.Create(CultureInfo.InvariantCulture, $"g{n}")), () => d.Ws[n - 1].Times(d.Hn(n - 1))))
                .Concat(EveryLayer(d, n => new Claim(string.Create(CultureInfo.InvariantCulture, $"h{n} = σ{n}(g{n})"), Target.Value(string.Create(CultureInfo.InvariantCulture, $"h{n}")), () => d.Gn(n).Apply(d.Sigmas[n - 1].Value))))
                .Append(new("f = W^F h^N", Target.Value("f"), () => d.WF.Times(d.Hn(d.N))))),
        Row("text in 2.1", A, RowKind.Erratum, "each hidden layer multiplies by weights Wⁿ with incorporated biases (and h⁰ = x has its 1 appended)", "dL_dgN^T @ hNm1b^T",
            d => EveryLayer(d, n => new Claim(string.Create(CultureInfo.InvariantCulture, $"∂L/∂W̃{n} = (∂L/∂g{n})ᵀ[h{n - 1}; 1]ᵀ (eq. 75 with the 1, n ≥ 2)"), Target.Grad(string.Create(CultureInfo.InvariantCulture, $"W{n}")), () => d.R.GradW[n - 1]))
                .Concat(EveryLayer(d, n => new Claim(string.Create(CultureInfo.InvariantCulture, $"∂L/∂h{n - 1} = ∂L/∂g{n} W₀{n} (eq. 77, bias column dropped), a row"), Target.Grad(string.Create(CultureInfo.InvariantCulture, $"h{n - 1}")), () => d.R.DLossDH[n - 1], Transposed: true)))
                .Append(new("∂L/∂W̃^F = 2(f − y)[h^N; 1]ᵀ", Target.Grad("WF"), () => d.R.GradWF))) with
        {
            Inline = true,
            Tests = [Rows, Fd, Errata],
            Applies = d => d.Biased,
            Finding = "Only h⁰ = x carries an appended 1; hⁿ = σₙ(gⁿ) does not. A bias column in Wⁿ for n ≥ 2, or in the output layer's W^F, meets an input without its 1: " +
                "W̃^F h^N is (D_F×(D_N+1))·(D_N×1) and does not multiply (nor W̃ⁿhⁿ⁻¹ for n ≥ 2). With [hⁿ⁻¹; 1] and [h^N; 1], eq. (75) holds with the 1 appended, and eq. (77) needs Wⁿ without its bias column.",
            Corrected = "gⁿ = W̃ⁿ[hⁿ⁻¹; 1] (n ≥ 2), f = W̃^F[h^N; 1]; ∂L/∂W̃ⁿ = (∂L/∂gⁿ)ᵀ[hⁿ⁻¹; 1]ᵀ; ∂L/∂hⁿ⁻¹ = ∂L/∂gⁿ W₀ⁿ, W₀ⁿ = W̃ⁿ without its bias column",
            LiteralAscii = "f = WF @ hN",
            Literal = d => new("f = W̃^F h^N", Target.Value("f"), () => d.WF.Times(d.Hn(d.N))),
            Conflict = d => string.Create(CultureInfo.InvariantCulture, $"Product: ({d.DF}×{d.Dim(d.N) + 1}) · ({d.Dim(d.N)}×1): inner dimensions differ."),
            Transcription = d => new("f = W̃^F[h^N; 1]", Target.Value("f"), () => d.WF.Times(d.Hn(d.N).AppendOne())),
        },
        Row("(42)", Lf, RowKind.Value, "L = |y − f|² = Σᵢ₌₁^(D_F) (yᵢ − fᵢ)²", "sum((y - f)^2)", d =>
        [
            new("|y − f|²", Target.Value("L"), () => Scalar((d.Y - d.R.F).Column(0).DotProduct((d.Y - d.R.F).Column(0)))),
            new("Σᵢ (yᵢ − fᵢ)²", Target.Value("L"), () => Scalar(Sum(d.DF, i => (d.Y[i, 0] - d.R.F[i, 0]) * (d.Y[i, 0] - d.R.F[i, 0])))),
        ]),
        Row("(43)", Lf, RowKind.Repeat, "∂L/∂fᵢ = 2(fᵢ − yᵢ)", "2 * (f - y)", d => [new("2(fᵢ − yᵢ) for every i", Target.Grad("f"), () => Index(d.DF, 1, (i, _) => d.DLdf(i)))])
            with { RepeatOf = "(9)" },
        Row("(44)", Lf, RowKind.Convention, "∂L/∂f = 2(f − y)ᵀ", "2 * (f - y)^T", d => [new("2(f − y)ᵀ, a row", Target.Grad("f"), () => d.R.DLossDF, Transposed: true)])
            with { Finding = "Section 2 writes ∂L/∂(vector) as a row (stated in 2.1): 2(f − y)ᵀ is the tape's column gradient transposed, exactly." },
        Row("(45)", Wf, RowKind.IndexForm, "∂L/∂W^F_kl = Σᵢ₌₁^(D_F) ∂L/∂fᵢ ∂fᵢ/∂W^F_kl", "2 * (f - y) @ hN^T",
            d => [new("Σᵢ ∂L/∂fᵢ δᵢₖ h^N_l for every (k, l)", Target.Grad("WF"), () => Index(d.DF, d.Dim(d.N), (k, l) => Sum(d.DF, i => d.DLdf(i) * Delta(i, k) * d.Hn(d.N)[l, 0])))]),
        Row("(46)", Wf, RowKind.Definition, "fᵢ = Σₗ₌₁^(D_N) W^F_il h^N_l", null, d => [new("Σₗ W^F_il h^N_l for every i", Target.Value("f"), () => Index(d.DF, 1, (i, _) => Sum(d.Dim(d.N), l => d.WF[i, l] * d.Hn(d.N)[l, 0])))])
            with { NotationNote = "l is summed here while it is the free column index of W^F_kl in eq. (45), (47) and (48) around it; harmless, as the sum is self-contained." },
        Row("(47)", Wf, RowKind.Jacobian, "∂fᵢ/∂W^F_kl = δᵢₖ Σⱼ δₗⱼ h^N_j = δᵢₖ h^N_l", "hN", d =>
        [
            new("δᵢₖ Σⱼ δₗⱼ h^N_j for every (i, k, l)", Target.Jacobian("f", "WF"), () => Index3(d.DF, d.DF, d.Dim(d.N), (i, k, l) => Delta(i, k) * Sum(d.Dim(d.N), j => Delta(l, j) * d.Hn(d.N)[j, 0]))),
            new("δᵢₖ h^N_l for every (i, k, l)", Target.Jacobian("f", "WF"), () => Index3(d.DF, d.DF, d.Dim(d.N), (i, k, l) => Delta(i, k) * d.Hn(d.N)[l, 0])),
        ]),
        Row("(48)", Wf, RowKind.IndexForm, "∂L/∂W^F_kl = Σᵢ ∂L/∂fᵢ δᵢₖ h^N_l = ∂L/∂f_k h^N_l", "2 * (f - y) @ hN^T", d =>
        [
            new("Σᵢ ∂L/∂fᵢ δᵢₖ h^N_l", Target.Grad("WF"), () => Index(d.DF, d.Dim(d.N), (k, l) => Sum(d.DF, i => d.DLdf(i) * Delta(i, k) * d.Hn(d.N)[l, 0]))),
            new("∂L/∂f_k h^N_l", Target.Grad("WF"), () => Index(d.DF, d.Dim(d.N), (k, l) => d.DLdf(k) * d.Hn(d.N)[l, 0])),
        ]),
        Row("(49)", Wf, RowKind.Derivative, "∂L/∂W^F = [∂L/∂fᵢ h^N_j] (the matrix written out) = (∂L/∂f)ᵀ (h^N)ᵀ", "(2 * (f - y)^T)^T @ hN^T", d =>
        [
            new("entry (i, j) = ∂L/∂fᵢ h^N_j", Target.Grad("WF"), () => Index(d.DF, d.Dim(d.N), (i, j) => d.DLdf(i) * d.Hn(d.N)[j, 0])),
            DLdWF(d),
        ]),
        Row("(50)", Wf, RowKind.Erratum, "∂L/∂W^F = 2(f − y)ᵀ (h^N)ᵀ", "2 * (f - y) @ hN^T",
            d => [new("corrected: 2(f − y)(h^N)ᵀ", Target.Grad("WF"), () => Note004.GradWFEq50Corrected(d.R.F, d.Hn(d.N), d.Y))]) with
        {
            Tests = [Rows, Fd, Errata],
            Finding = "One transpose too many: substituting eq. (44) into eq. (49) gives (2(f − y)ᵀ)ᵀ(h^N)ᵀ. As written it is (1×D_F)·(1×D_N), which multiplies only when D_F = 1 (and is then right).",
            Corrected = "∂L/∂W^F = 2(f − y)(h^N)ᵀ",
            LiteralAscii = "2 * (f - y)^T @ hN^T",
            Literal = d => new("2(f − y)ᵀ(h^N)ᵀ as written", Target.Grad("WF"), () => Note004.GradWFEq50AsWritten(d.R.F, d.Hn(d.N), d.Y)),
            Conflict = d => d.DF == 1 ? null : string.Create(CultureInfo.InvariantCulture, $"Product: (1×{d.DF}) · (1×{d.Dim(d.N)}): inner dimensions differ."),
            LiteralHoldsWhereItMultiplies = _ => true,
        },
        Row("(51)", HN, RowKind.IndexForm, "∂L/∂h^N_j = Σᵢ₌₁^(D_F) ∂L/∂fᵢ ∂fᵢ/∂h^N_j", "(2 * (f - y)^T @ WF)^T",
            d => [new("Σᵢ ∂L/∂fᵢ W^F_ij for every j", Target.Grad(H(d)), () => Index(d.Dim(d.N), 1, (j, _) => Sum(d.DF, i => d.DLdf(i) * d.WF[i, j])))]),
        Row("(52)", HN, RowKind.Jacobian, "∂fᵢ/∂h^N_j = Σₗ δⱼₗ W^F_il = W^F_ij", "WF", d =>
        [
            new("Σₗ δⱼₗ W^F_il for every (i, j)", Target.Jacobian("f", H(d)), () => Index(d.DF, d.Dim(d.N), (i, j) => Sum(d.Dim(d.N), l => Delta(j, l) * d.WF[i, l]))),
            new("W^F_ij for every (i, j)", Target.Jacobian("f", H(d)), () => Index(d.DF, d.Dim(d.N), (i, j) => d.WF[i, j])),
        ]),
        Row("(53)", HN, RowKind.Jacobian, "∂f/∂h^N = [∂fᵢ/∂h^N_j] = [W^F_ij] = W^F", "WF", d => [new("W^F", Target.Jacobian("f", H(d)), () => d.WF)]),
        Row("(54)", HN, RowKind.IndexForm, "∂L/∂h^N_j = Σᵢ₌₁^(D_F) ∂L/∂fᵢ W^F_ij", "(2 * (f - y)^T @ WF)^T",
            d => [new("Σᵢ ∂L/∂fᵢ W^F_ij for every j", Target.Grad(H(d)), () => Index(d.Dim(d.N), 1, (j, _) => Sum(d.DF, i => d.DLdf(i) * d.WF[i, j])))]),
        Row("(55)", HN, RowKind.Convention, "∂L/∂h^N = [Σᵢ ∂L/∂fᵢ W^F_i1 … Σᵢ ∂L/∂fᵢ W^F_iD_N] = ∂L/∂f W^F = ∂L/∂f ∂f/∂h^N", "2 * (f - y)^T @ WF", d =>
        [
            new("the row of sums", Target.Grad(H(d)), () => Index(1, d.Dim(d.N), (_, j) => Sum(d.DF, i => d.DLdf(i) * d.WF[i, j])), Transposed: true),
            new("∂L/∂f W^F, ∂L/∂f the row of eq. (44)", Target.Grad(H(d)), () => d.R.DLossDF.Times(d.WF), Transposed: true),
        ]) with { Finding = "A row, by section 2's convention: the tape's column gradient transposed, exactly." },
        Row("(56)", HN, RowKind.Convention, "∂L/∂h^N = 2(f − y)ᵀ W^F", "2 * (f - y)^T @ WF", d => [new("2(f − y)ᵀW^F", Target.Grad(H(d)), () => Note004.DLossDHNEq56(d.R.F, d.WF, d.Y), Transposed: true)])
            with { Finding = "A row, by section 2's convention: the tape's column gradient transposed, exactly." },
        Row("(57)", GN, RowKind.IndexForm, "∂L/∂g^N_j = Σᵢ₌₁^(D_N) ∂L/∂h^N_i ∂h^N_i/∂g^N_j", "dL_dhN^T * dsigma(gN)",
            d => [new("Σᵢ ∂L/∂h^N_i δᵢⱼ σ_N′(g^N_i) for every j", Target.Grad(G(d)), () => Index(d.Dim(d.N), 1, (j, _) => Sum(d.Dim(d.N), i => d.DLdh(d.N, i) * Delta(i, j) * d.Sp(d.N, i))))]),
        Row("(58)", GN, RowKind.Jacobian, "∂h^N_i/∂g^N_j = δᵢⱼ dh^N_i/dg^N_i = δᵢⱼ dσ^N(g^N_i)/dg^N_i", "diag(dsigma(gN))",
            d => [new("δᵢⱼ σ_N′(g^N_i) for every (i, j)", Target.Jacobian(H(d), G(d)), () => Index(d.Dim(d.N), d.Dim(d.N), (i, j) => Delta(i, j) * d.Sp(d.N, i)))])
            with { NotationNote = "Section 2.1 names the activations σₙ; from here on they are written σ^N and σ^N′. Same function." },
        Row("(59)", GN, RowKind.IndexForm, "∂L/∂g^N_j = Σᵢ ∂L/∂h^N_i δᵢⱼ dσ^N(g^N_i)/dg^N_i = ∂L/∂h^N_j dσ^N(g^N_j)/dg^N_j = ∂L/∂h^N_j σ^N′(g^N_j)", "dL_dhN^T * dsigma(gN)", d =>
        [
            new("Σᵢ ∂L/∂h^N_i δᵢⱼ σ_N′(g^N_i)", Target.Grad(G(d)), () => Index(d.Dim(d.N), 1, (j, _) => Sum(d.Dim(d.N), i => d.DLdh(d.N, i) * Delta(i, j) * d.Sp(d.N, i)))),
            new("∂L/∂h^N_j σ_N′(g^N_j)", Target.Grad(G(d)), () => Index(d.Dim(d.N), 1, (j, _) => d.DLdh(d.N, j) * d.Sp(d.N, j))),
        ]),
        Row("(60)", GN, RowKind.Convention, "∂L/∂g^N = [∂L/∂g^N_1 … ∂L/∂g^N_D_N] = [∂L/∂h^N_1 σ^N′(g^N_1) … ∂L/∂h^N_D_N σ^N′(g^N_D_N)]", "dL_dhN * dsigma(gN)^T",
            d => [new("the row of ∂L/∂h^N_j σ_N′(g^N_j)", Target.Grad(G(d)), () => Index(1, d.Dim(d.N), (_, j) => d.DLdh(d.N, j) * d.Sp(d.N, j)), Transposed: true)])
            with { Finding = "A row written element by element: the tape's column gradient transposed, exactly." },
        Row("(61)", GN, RowKind.Erratum, "∂L/∂g^N = [∂L/∂h^N_i]ᵀ ⊙ [σ^N′(g^N_i)]ᵀ = ∂L/∂h^N ⊙ σ^N′(g^N)", "dL_dhN^T * dsigma(gN)", d =>
        [
            new("first line: [∂L/∂h^N_i]ᵀ ⊙ [σ^N′(g^N_i)]ᵀ, a row", Target.Grad(G(d)), () => d.R.DLossDH[d.N].Transpose().Transpose().Hadamard(d.Gn(d.N).Apply(d.Sigmas[d.N - 1].Derivative).Transpose()), Transposed: true),
            new("corrected second line: ∂L/∂h^N ⊙ (σ^N′(g^N))ᵀ, a row", Target.Grad(G(d)), () => d.R.DLossDH[d.N].Hadamard(d.Gn(d.N).Apply(d.Sigmas[d.N - 1].Derivative).Transpose()), Transposed: true),
        ]) with
        {
            Tests = [Rows, Fd, Errata],
            Finding = "The first line is a row ⊙ a row, right in section 2's row convention (the tape's gradient transposed, exactly). The second line drops the transpose of σ^N′(g^N): " +
                "∂L/∂h^N (a row) ⊙ σ^N′(g^N) (a column, as g^N is) is (1×D_N) ⊙ (D_N×1), defined only when D_N = 1 (and then right). As for (50), a transpose the formula needs is written wrong (here, left out).",
            Corrected = "∂L/∂g^N = ∂L/∂h^N ⊙ (σ^N′(g^N))ᵀ, a row (its transpose (∂L/∂h^N)ᵀ ⊙ σ^N′(g^N) is the tape's column, the form typed for the prover)",
            LiteralAscii = "dL_dhN * dsigma(gN)",
            Literal = d => new("second line as written: ∂L/∂h^N ⊙ σ^N′(g^N)", Target.Grad(G(d)), () => RowHadamardColumn(d), Transposed: true),
            Conflict = RowHadamardColumnConflict,
            LiteralHoldsWhereItMultiplies = _ => true,
        },
        Row("(62)", WN, RowKind.IndexForm, "∂L/∂W^N_kl = Σᵢ₌₁^(D_N) ∂L/∂g^N_i ∂g^N_i/∂W^N_kl", "dL_dgN^T @ hNm1^T",
            d => [new("Σᵢ ∂L/∂g^N_i δᵢₖ h^(N−1)_l for every (k, l)", Target.Grad(W(d)), () => Index(d.Dim(d.N), d.Dim(d.N - 1), (k, l) => Sum(d.Dim(d.N), i => d.DLdg(d.N, i) * Delta(i, k) * d.Hn(d.N - 1)[l, 0])))])
            with { NotationNote = "The sentence before it announces the derivative by \"a single component of the vector g^N\"; it is by a component of W^N." },
        Row("(63)", WN, RowKind.Definition, "g^N_i = Σⱼ₌₁^(D_(N−1)) W^N_ij h^(N−1)_j", null,
            d => [new("Σⱼ W^N_ij h^(N−1)_j for every i", Target.Value(G(d)), () => Index(d.Dim(d.N), 1, (i, _) => Sum(d.Dim(d.N - 1), j => d.Ws[d.N - 1][i, j] * d.Hn(d.N - 1)[j, 0])))]),
        Row("(64)", WN, RowKind.Jacobian, "∂g^N_i/∂W^N_kl = δᵢₖ Σⱼ δₗⱼ h^(N−1)_j = δᵢₖ h^(N−1)_l", "hNm1", d =>
        [
            new("δᵢₖ Σⱼ δₗⱼ h^(N−1)_j for every (i, k, l)", Target.Jacobian(G(d), W(d)), () => Index3(d.Dim(d.N), d.Dim(d.N), d.Dim(d.N - 1), (i, k, l) => Delta(i, k) * Sum(d.Dim(d.N - 1), j => Delta(l, j) * d.Hn(d.N - 1)[j, 0]))),
            new("δᵢₖ h^(N−1)_l for every (i, k, l)", Target.Jacobian(G(d), W(d)), () => Index3(d.Dim(d.N), d.Dim(d.N), d.Dim(d.N - 1), (i, k, l) => Delta(i, k) * d.Hn(d.N - 1)[l, 0])),
        ]),
        Row("(65)", WN, RowKind.IndexForm, "∂L/∂W^N_kl = Σᵢ ∂L/∂g^N_i δᵢₖ h^(N−1)_l = ∂L/∂g^N_k h^(N−1)_l", "dL_dgN^T @ hNm1^T", d =>
        [
            new("Σᵢ ∂L/∂g^N_i δᵢₖ h^(N−1)_l", Target.Grad(W(d)), () => Index(d.Dim(d.N), d.Dim(d.N - 1), (k, l) => Sum(d.Dim(d.N), i => d.DLdg(d.N, i) * Delta(i, k) * d.Hn(d.N - 1)[l, 0]))),
            new("∂L/∂g^N_k h^(N−1)_l", Target.Grad(W(d)), () => Index(d.Dim(d.N), d.Dim(d.N - 1), (k, l) => d.DLdg(d.N, k) * d.Hn(d.N - 1)[l, 0])),
        ]),
        Row("(66)", WN, RowKind.Derivative, "∂L/∂W^N = [∂L/∂g^N_i h^(N−1)_j] = (∂L/∂g^N)ᵀ (h^(N−1))ᵀ", "dL_dgN^T @ hNm1^T", d =>
        [
            new("entry (i, j) = ∂L/∂g^N_i h^(N−1)_j", Target.Grad(W(d)), () => Index(d.Dim(d.N), d.Dim(d.N - 1), (i, j) => d.DLdg(d.N, i) * d.Hn(d.N - 1)[j, 0])),
            new("(∂L/∂g^N)ᵀ(h^(N−1))ᵀ", Target.Grad(W(d)), () => d.R.DLossDG[d.N - 1].Transpose().Times(d.Hn(d.N - 1).Transpose())),
        ]),
        Row("(67)", HN1, RowKind.IndexForm, "∂L/∂h^(N−1)_j = Σᵢ₌₁^(D_N) ∂L/∂g^N_i ∂g^N_i/∂h^(N−1)_j", "(dL_dgN @ WN)^T",
            d => [new("Σᵢ ∂L/∂g^N_i W^N_ij for every j", Target.Grad(Hm(d)), () => Index(d.Dim(d.N - 1), 1, (j, _) => Sum(d.Dim(d.N), i => d.DLdg(d.N, i) * d.Ws[d.N - 1][i, j])))]),
        Row("(68)", HN1, RowKind.Definition, "g^N = W^N h^(N−1)", null, d => [new("W^N h^(N−1)", Target.Value(G(d)), () => d.Ws[d.N - 1].Times(d.Hn(d.N - 1)))]),
        Row("(69)", HN1, RowKind.Definition, "g^N_i = Σₗ₌₁^(D_(N−1)) W^N_il h^(N−1)_l", null,
            d => [new("Σₗ W^N_il h^(N−1)_l for every i", Target.Value(G(d)), () => Index(d.Dim(d.N), 1, (i, _) => Sum(d.Dim(d.N - 1), l => d.Ws[d.N - 1][i, l] * d.Hn(d.N - 1)[l, 0])))]),
        Row("(70)", HN1, RowKind.Jacobian, "∂g^N_i/∂h^(N−1)_j = Σₗ δⱼₗ W^N_il = W^N_ij", "WN", d =>
        [
            new("Σₗ δⱼₗ W^N_il for every (i, j)", Target.Jacobian(G(d), Hm(d)), () => Index(d.Dim(d.N), d.Dim(d.N - 1), (i, j) => Sum(d.Dim(d.N - 1), l => Delta(j, l) * d.Ws[d.N - 1][i, l]))),
            new("W^N_ij for every (i, j)", Target.Jacobian(G(d), Hm(d)), () => Index(d.Dim(d.N), d.Dim(d.N - 1), (i, j) => d.Ws[d.N - 1][i, j])),
        ]),
        Row("(71)", HN1, RowKind.Jacobian, "∂g^N/∂h^(N−1) = [W^N_ij] = W^N", "WN", d => [new("W^N", Target.Jacobian(G(d), Hm(d)), () => d.Ws[d.N - 1])]),
        Row("(72)", HN1, RowKind.IndexForm, "∂L/∂h^(N−1)_j = Σᵢ₌₁^(D_N) ∂L/∂g^N_i W^N_ij", "(dL_dgN @ WN)^T",
            d => [new("Σᵢ ∂L/∂g^N_i W^N_ij for every j", Target.Grad(Hm(d)), () => Index(d.Dim(d.N - 1), 1, (j, _) => Sum(d.Dim(d.N), i => d.DLdg(d.N, i) * d.Ws[d.N - 1][i, j])))]),
        Row("(73)", HN1, RowKind.Convention, "∂L/∂h^(N−1) = [Σᵢ ∂L/∂g^N_i W^N_i1 … ] = ∂L/∂g^N W^N", "dL_dgN @ WN", d =>
        [
            new("the row of sums", Target.Grad(Hm(d)), () => Index(1, d.Dim(d.N - 1), (_, j) => Sum(d.Dim(d.N), i => d.DLdg(d.N, i) * d.Ws[d.N - 1][i, j])), Transposed: true),
            new("∂L/∂g^N W^N", Target.Grad(Hm(d)), () => d.R.DLossDG[d.N - 1].Times(d.Ws[d.N - 1]), Transposed: true),
        ]) with { Finding = "A row, by section 2's convention: the tape's column gradient transposed, exactly." },
        Row("(74)", Sub, RowKind.Repeat, "∂L/∂W^N = (∂L/∂g^N)ᵀ (h^(N−1))ᵀ", "dL_dgN^T @ hNm1^T",
            d => [new("(∂L/∂g^N)ᵀ(h^(N−1))ᵀ", Target.Grad(W(d)), () => d.R.DLossDG[d.N - 1].Transpose().Times(d.Hn(d.N - 1).Transpose()))])
            with { RepeatOf = "(66)", NotationNote = "The sentence before it calls W^N the weights of the penultimate layer; W^N is the last hidden layer's (W^F follows)." },
        Row("(75)", Sub, RowKind.Derivative, "∂L/∂Wⁿ = (∂L/∂gⁿ)ᵀ (hⁿ⁻¹)ᵀ", "dL_dgn^T @ hnm1^T",
            d => EveryLayer(d, n => new Claim(string.Create(CultureInfo.InvariantCulture, $"(∂L/∂g{n})ᵀ(h{n - 1})ᵀ"), Target.Grad(string.Create(CultureInfo.InvariantCulture, $"W{n}")), () => d.R.DLossDG[n - 1].Transpose().Times(d.Hn(n - 1).Transpose())))),
        Row("(76)", Sub, RowKind.Erratum, "∂L/∂gⁿ = ∂L/∂hⁿ ⊙ σⁿ′(gⁿ)", "dL_dhn^T * dsigma(gn)",
            d => EveryLayer(d, n => new Claim(string.Create(CultureInfo.InvariantCulture, $"corrected: ∂L/∂h{n} ⊙ σ{n}′(g{n})ᵀ, a row"), Target.Grad(string.Create(CultureInfo.InvariantCulture, $"g{n}")), () => d.R.DLossDH[n].Hadamard(d.Gn(n).Apply(d.Sigmas[n - 1].Derivative).Transpose()), Transposed: true)))
            with
            {
                Tests = [Rows, Fd, Errata],
                Finding = "As written, ∂L/∂hⁿ (a row, section 2's convention) ⊙ σⁿ′(gⁿ) (a column, as gⁿ is) is (1×D_n) ⊙ (D_n×1), defined only when D_n = 1 (and then right); " +
                    "the transpose eq. (61)'s first line writes is left out, as in (61)'s second line. With it, right at every layer (the tape's gradient transposed, exactly).",
                Corrected = "∂L/∂gⁿ = ∂L/∂hⁿ ⊙ (σⁿ′(gⁿ))ᵀ, a row (its transpose (∂L/∂hⁿ)ᵀ ⊙ σⁿ′(gⁿ) is the tape's column, the form typed for the prover)",
                LiteralAscii = "dL_dhn * dsigma(gn)",
                Literal = d => new(string.Create(CultureInfo.InvariantCulture, $"as written at layer {d.N}: ∂L/∂h{d.N} ⊙ σ{d.N}′(g{d.N})"), Target.Grad(string.Create(CultureInfo.InvariantCulture, $"g{d.N}")), () => RowHadamardColumn(d), Transposed: true),
                Conflict = RowHadamardColumnConflict,
                LiteralHoldsWhereItMultiplies = _ => true,
            },
        Row("(77)", Sub, RowKind.Convention, "∂L/∂hⁿ⁻¹ = ∂L/∂gⁿ Wⁿ", "dL_dgn @ Wn",
            d => EveryLayer(d, n => new Claim(string.Create(CultureInfo.InvariantCulture, $"∂L/∂g{n} W{n}, a row"), Target.Grad(string.Create(CultureInfo.InvariantCulture, $"h{n - 1}")), () => d.R.DLossDG[n - 1].Times(d.Ws[n - 1]), Transposed: true)))
            with { Finding = "A row, by section 2's convention: the tape's column gradient transposed, exactly, at every layer." },
        Row("(78)", Sub, RowKind.Value, "Wⁿ_(t+1) = Wⁿ_t − η ∂L/∂Wⁿ_t", "W - eta * dL_dW",
            d => EveryLayer(d, n => new Claim(string.Create(CultureInfo.InvariantCulture, $"W{n} − η ∂L/∂W{n} (eq. 75's gradient)"), Target.Value(string.Create(CultureInfo.InvariantCulture, $"W{n}+")), () => d.Ws[n - 1] - d.Eta * d.R.GradW[n - 1],
                    Absolute: 1e-9 * (d.Ws[n - 1].Enumerate().Max(Math.Abs) + d.Eta * d.R.GradW[n - 1].Enumerate().Max(Math.Abs))))
                .Append(new Claim("W^F − η ∂L/∂W^F", Target.Value("WF+"), () => d.WF - d.Eta * d.R.GradWF,
                    Absolute: 1e-9 * (d.WF.Enumerate().Max(Math.Abs) + d.Eta * d.R.GradWF.Enumerate().Max(Math.Abs))))),
    ];
}
