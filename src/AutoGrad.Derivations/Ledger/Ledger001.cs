using MathNet.Numerics.LinearAlgebra;
using static AutoGrad.Derivations.Linalg;

namespace AutoGrad.Derivations.Ledger;

/// <summary>Note 001's data: X (N×d), W(1) (d×h), W(2) (h×1), Y (N×1).</summary>
public sealed record Data001(Matrix<double> X, Matrix<double> W1, Matrix<double> W2, Matrix<double> Y)
{
    /// <summary>The note's forward pass (MathNet).</summary>
    public Note001.Forward Fw => fw ??= Note001.Run(X, W1, W2, Y);
    private Note001.Forward? fw;

    /// <summary>N, the batch.</summary>
    public int N => X.RowCount;

    /// <summary>h, the hidden width.</summary>
    public int Hidden => W1.ColumnCount;

    /// <summary>The first bullet under eq. (6): ∂L/∂ŷᵢ = −(1/N)(Yᵢ − ŷᵢ).</summary>
    public double DLdYHat(int i) => -(1.0 / N) * (Y[i, 0] - Fw.YHat[i, 0]);

    /// <summary>The second bullet: ∂ŷᵢ/∂Oᵢ = ŷᵢ(1 − ŷᵢ).</summary>
    public double DYHatDO(int i) => Fw.YHat[i, 0] * (1 - Fw.YHat[i, 0]);

    /// <summary>σ(Hᵢₗ)(1 − σ(Hᵢₗ)), the fourth factor of eq. (8).</summary>
    public double DZDH(int i, int l) => ScalarFunction.SigmoidValue(Fw.H[i, l]) * (1 - ScalarFunction.SigmoidValue(Fw.H[i, l]));
}

/// <summary>Note 001: its nine numbered equations. Tape names: X, W1, H, Z, W2, O, yhat, L.</summary>
public static class Ledger001
{
    private const string Rows = "Note001Tests.Row_agrees_with_the_tape";
    private const string Fd = "Note001Tests.Row_agrees_with_finite_differences";

    private static LedgerRow<Data001> Row(string id, string section, RowKind kind, string formula, string? ascii, Func<Data001, IEnumerable<Claim>> claims, params string[] more) =>
        LedgerRow<Data001>.Create("001", id, section, kind, formula, ascii, claims, [Rows, .. more]);

    /// <summary>Every numbered equation of note 001.</summary>
    public static readonly IReadOnlyList<LedgerRow<Data001>> All =
    [
        Row("(1)", "1 Loss Function", RowKind.Value, "L(Y, ŷ) = 1/(2N) Σᵢ₌₁ᴺ (Yᵢ − ŷᵢ)²", "sum((Y - yhat)^2) / (2 * N)",
            d => [new("1/(2N) Σᵢ (Yᵢ − ŷᵢ)²", Target.Value("L"), () => Scalar(Sum(d.N, i => (d.Y[i, 0] - d.Fw.YHat[i, 0]) * (d.Y[i, 0] - d.Fw.YHat[i, 0])) / (2.0 * d.N)))])
            with { NotationNote = "Called the mean squared error (MSE); with 1/(2N) it is half of it. The derivatives use the formula as written." },
        Row("(2)", "2 Forward Propagation", RowKind.Definition, "H = XW(1)", null,
            d => [new("XW(1)", Target.Value("H"), () => d.X.Times(d.W1))]),
        Row("(3)", "2 Forward Propagation", RowKind.Definition, "Z = σ(H), σ(x) = 1/(1 + e^−x)", null,
            d => [new("1/(1 + e^−H) element-wise", Target.Value("Z"), () => d.Fw.H.Apply(h => 1 / (1 + Math.Exp(-h))))]),
        Row("(4)", "2 Forward Propagation", RowKind.Definition, "O = ZW(2)", null,
            d => [new("ZW(2)", Target.Value("O"), () => d.Fw.Z.Times(d.W2))], "Note001Tests.Bias_column_reading_makes_eq_7_exact_over_k_to_h_plus_1")
            with
            {
                NotationNote = "The sentence before eq. (4) appends a bias column to Z, but no display equation does: eq. (3)'s Z is N×h. " +
                    "Read with the column, Z is [σ(H), 1] (N×(h+1)) and W(2) is (h+1)×1; then eq. (7) over k = 1..h+1 is exact, its last entry being the bias gradient, and eq. (9) is unchanged for l ≤ h. Only the display equation Z ← [σ(H), 1] is missing.",
            },
        Row("(5)", "2 Forward Propagation", RowKind.Definition, "ŷ = σ(O)", null,
            d => [new("σ(O)", Target.Value("yhat"), () => d.Fw.O.Apply(ScalarFunction.SigmoidValue))]),
        Row("(6)", "3 Backpropagation", RowKind.IndexForm, "∂L/∂W(2)ₖ₁ = Σᵢ₌₁ᴺ ∂L/∂ŷᵢ · ∂ŷᵢ/∂Oᵢ · ∂Oᵢ/∂W(2)ₖ₁; ∂L/∂ŷᵢ = −(1/N)(Yᵢ − ŷᵢ), ∂ŷᵢ/∂Oᵢ = ŷᵢ(1 − ŷᵢ), ∂Oᵢ/∂W(2)ₖ₁ = Zᵢₖ", "Z^T @ dL_dO",
            d => [
                new("∂L/∂ŷᵢ = −(1/N)(Yᵢ − ŷᵢ) for every i", Target.Grad("yhat"), () => Index(d.N, 1, (i, _) => d.DLdYHat(i))),
                new("∂ŷᵢ/∂Oⱼ = δᵢⱼ ŷᵢ(1 − ŷᵢ) for every (i, j)", Target.Jacobian("yhat", "O"), () => Index(d.N, d.N, (i, j) => Delta(i, j) * d.DYHatDO(i))),
                new("∂Oᵢ/∂W(2)ₖ₁ = Zᵢₖ for every (i, k)", Target.Jacobian("O", "W2"), () => Index(d.N, d.Hidden, (i, k) => d.Fw.Z[i, k])),
                new("Σᵢ of the three factors, for every k", Target.Grad("W2"), () => Index(d.Hidden, 1, (k, _) => Sum(d.N, i => d.DLdYHat(i) * d.DYHatDO(i) * d.Fw.Z[i, k])))],
            Fd),
        Row("(7)", "3 Backpropagation", RowKind.IndexForm, "∂L/∂W(2)ₖ₁ = Σᵢ₌₁ᴺ −(1/N)(Yᵢ − ŷᵢ) ŷᵢ(1 − ŷᵢ) Zᵢₖ", "Z^T @ (-(Y - yhat) * yhat * (1 - yhat) / N)",
            d => [new("eq. (7) for every k", Target.Grad("W2"), () => Note001.GradW2Elementwise(d.Fw, d.Y))], Fd),
        Row("(8)", "3 Backpropagation", RowKind.IndexForm,
            "∂L/∂W(1)ₖₗ = Σᵢ₌₁ᴺ ∂L/∂ŷᵢ · ∂ŷᵢ/∂Oᵢ · ∂Oᵢ/∂Zᵢₗ · ∂Zᵢₗ/∂Hᵢₗ · ∂Hᵢₗ/∂W(1)ₖₗ; ∂Oᵢ/∂Zᵢₗ = W(2)ₗ₁, ∂Zᵢₗ/∂Hᵢₗ = σ(Hᵢₗ)(1 − σ(Hᵢₗ)), ∂Hᵢₗ/∂W(1)ₖₗ = Xᵢₖ",
            "X^T @ ((dL_dO @ W2^T) * dsigmoid(H))",
            d => [
                new("∂Oᵢ/∂Zⱼₗ = δᵢⱼ W(2)ₗ₁ for every (i, j, l)", Target.Jacobian("O", "Z"), () => Index3(d.N, d.N, d.Hidden, (i, j, l) => Delta(i, j) * d.W2[l, 0])),
                new("∂Zᵢₗ/∂Hⱼₘ = δᵢⱼδₗₘ σ(Hᵢₗ)(1 − σ(Hᵢₗ))", Target.Jacobian("Z", "H"), () => Index(d.N * d.Hidden, d.N * d.Hidden, (a, b) => Delta(a, b) * d.DZDH(a / d.Hidden, a % d.Hidden))),
                new("∂Hᵢₗ/∂W(1)ₖₘ = δₗₘ Xᵢₖ", Target.Jacobian("H", "W1"), () => Index(d.N * d.Hidden, d.X.ColumnCount * d.Hidden, (a, b) => Delta(a % d.Hidden, b % d.Hidden) * d.X[a / d.Hidden, b / d.Hidden])),
                new("Σᵢ of the five factors, for every (k, l)", Target.Grad("W1"), () => Index(d.X.ColumnCount, d.Hidden, (k, l) =>
                    Sum(d.N, i => d.DLdYHat(i) * d.DYHatDO(i) * d.W2[l, 0] * d.DZDH(i, l) * d.X[i, k])))],
            Fd),
        Row("(9)", "3 Backpropagation", RowKind.IndexForm, "∂L/∂W(1)ₖₗ = Σᵢ₌₁ᴺ −(1/N)(Yᵢ − ŷᵢ) ŷᵢ(1 − ŷᵢ) W(2)ₗ₁ σ(Hᵢₗ)(1 − σ(Hᵢₗ)) Xᵢₖ", "X^T @ ((dL_dO @ W2^T) * sigmoid(H) * (1 - sigmoid(H)))",
            d => [new("eq. (9) for every (k, l)", Target.Grad("W1"), () => Note001.GradW1Elementwise(d.Fw, d.X, d.W2, d.Y))], Fd),
    ];
}
