using MathNet.Numerics.LinearAlgebra;
using static AutoGrad.Derivations.Linalg;
using System.Globalization;

namespace AutoGrad.Derivations.Ledger;

/// <summary>The three networks of note 003, one after the other.</summary>
public enum Network003
{
    /// <summary>ŷ = XW(1)W(2), a batch X of N rows.</summary>
    Linear,

    /// <summary>ŷ = (xW(1) + b(1))W(2) + b(2), one example.</summary>
    Biases,

    /// <summary>ŷ = f₂(f₁(xW(1) + b(1))W(2) + b(2)), one example.</summary>
    Activations,
}

/// <summary>Note 003's data: X (N×d; N = 1 for one example x), W(1) (d×h), b(1) (1×h), W(2) (h×1), b(2) (1×1), y (N×1), f₁, f₂.</summary>
public sealed record Data003(Network003 Network, Matrix<double> X, Matrix<double> W1, Matrix<double> B1, Matrix<double> W2, Matrix<double> B2, Matrix<double> Y,
    ScalarFunction F1, ScalarFunction F2)
{
    /// <summary>N, d, h.</summary>
    public int N => X.RowCount;

    /// <summary>d.</summary>
    public int D => X.ColumnCount;

    /// <summary>h.</summary>
    public int H => W1.ColumnCount;

    /// <summary>z₁ = XW(1) (+ b(1)): the pre-activation (h = XW(1) in the linear network).</summary>
    public Matrix<double> Z1 => Network == Network003.Linear ? X.Times(W1) : AddRow(X.Times(W1), B1);

    /// <summary>a₁ = f₁(z₁) (z₁ itself without activations).</summary>
    public Matrix<double> A1 => Network == Network003.Activations ? Z1.Apply(F1.Value) : Z1;

    /// <summary>z₂ = a₁W(2) (+ b(2)).</summary>
    public Matrix<double> Z2 => Network == Network003.Linear ? A1.Times(W2) : AddRow(A1.Times(W2), B2);

    /// <summary>ŷ.</summary>
    public Matrix<double> YHat => Network == Network003.Activations ? Z2.Apply(F2.Value) : Z2;

    /// <summary>ŷ − y (= ∂L/∂ŷ).</summary>
    public Matrix<double> R => YHat - Y;

    /// <summary>Both activations are the sigmoid ("assume both sigmoid").</summary>
    public bool BothSigmoid => F1.Name == "sigmoid" && F2.Name == "sigmoid";

    private static Matrix<double> AddRow(Matrix<double> m, Matrix<double> row) => M.Dense(m.RowCount, m.ColumnCount, (i, j) => m[i, j] + row[0, j]);
}

/// <summary>
/// Note 003 (handwritten, unnumbered): a row per formula line (20). Tape names: X, W1, b1, z1, a1, W2, b2, z2, yhat, L.
/// "·" between factors is a matrix product and a 1×1 factor scales (<see cref="Linalg.Chain"/>), as the note writes them.
/// </summary>
public static class Ledger003
{
    private const string Rows = "Note003Tests.Row_agrees_with_the_tape";
    private const string Fd = "Note003Tests.Row_agrees_with_finite_differences";
    private const string Errata = "Note003Tests.Erratum_literal_fails_as_the_ledger_says";

    private const string Lin = "Linear network", Bias = "With bias terms", Act = "With activations";

    private static LedgerRow<Data003> Row(string id, string section, RowKind kind, string formula, string? ascii, Func<Data003, bool> applies, Func<Data003, IEnumerable<Claim>> claims) =>
        LedgerRow<Data003>.Create("003", id, section, kind, formula, ascii, claims,
            kind is RowKind.Definition or RowKind.Value ? [Rows] : kind == RowKind.Erratum ? [Rows, Fd, Errata] : [Rows, Fd]) with { Applies = applies };

    private static bool Linear(Data003 d) => d.Network == Network003.Linear;
    private static bool OneLinear(Data003 d) => d.Network == Network003.Linear && d.N == 1;
    private static bool Biased(Data003 d) => d.Network == Network003.Biases;
    private static bool Activated(Data003 d) => d.Network == Network003.Activations;
    private static bool Sigmoids(Data003 d) => d.Network == Network003.Activations && d.BothSigmoid;

    /// <summary>Σᵢ xᵢ wᵢⱼ(1) for one example.</summary>
    private static double XW(Data003 d, int j) => Sum(d.D, i => d.X[0, i] * d.W1[i, j]);

    /// <summary>∂zⱼ/∂W(1)_kl = δⱼₗ x_k for one example: h × (d·h).</summary>
    private static Matrix<double> DZ1DW1(Data003 d) => Index(d.H, d.D * d.H, (j, c) => Delta(j, c % d.H) * d.X[0, c / d.H]);

    /// <summary>A 1×(d·h) row of a chain of Jacobians, laid out as W(1) (d×h).</summary>
    private static Matrix<double> AsW1(Data003 d, Matrix<double> row) => Index(d.D, d.H, (k, l) => row[0, k * d.H + l]);

    private static Matrix<double> F2p(Data003 d) => d.Z2.Apply(d.F2.Derivative);
    private static Matrix<double> F1p(Data003 d) => d.Z1.Apply(d.F1.Derivative);

    /// <summary>∂L/∂w(1) corrected: xᵀ[((ŷ − y) f₂′(z₂)) w(2)ᵀ ∘ f₁′(z₁)].</summary>
    public static Matrix<double> GradW1Corrected(Data003 d) => d.X.Transpose().Times(d.R.Hadamard(F2p(d)).Times(d.W2.Transpose()).Hadamard(F1p(d)));

    /// <summary>Line 67 as written, σ′ applied to z₁ read as the pre-activation xw(1) + b(1) (as ∂z₁/∂w(1) = x implies).</summary>
    public static Matrix<double> Line67AsWritten(Data003 d) =>
        Chain(d.R, d.Z2.Apply(ScalarFunction.Sigmoid.Derivative), d.W2.Transpose(), d.Z1.Apply(z => ScalarFunction.SigmoidValue(z) * (1 - ScalarFunction.SigmoidValue(z))), d.X);

    /// <summary>Line 67 as written with z₁ read as the underbrace labels it: the activation f₁(xw(1) + b(1)).</summary>
    public static Matrix<double> Line67WithZ1TheActivation(Data003 d) =>
        Chain(d.R, d.Z2.Apply(ScalarFunction.Sigmoid.Derivative), d.W2.Transpose(), d.A1.Apply(z => ScalarFunction.SigmoidValue(z) * (1 - ScalarFunction.SigmoidValue(z))), d.X);

    private static string? Layer1Conflict(Data003 d) => d.H == 1 ? null : string.Create(CultureInfo.InvariantCulture, $"Product: (1×{d.H}) · (1×{d.H}): inner dimensions differ.");

    /// <summary>Every formula line of note 003, in the note's order.</summary>
    public static readonly IReadOnlyList<LedgerRow<Data003>> All =
    [
        Row("line 5", Lin, RowKind.IndexForm, "Layer 2: ∂L/∂wⱼ(2) = ∂L/∂ŷ ∂ŷ/∂wⱼ(2) = (ŷ − y) · ∂ŷ/∂wⱼ(2)", "(x @ W1)^T * (yhat - y)", OneLinear, d =>
        [
            new("∂L/∂ŷ = ŷ − y", Target.Grad("yhat"), () => d.R),
            new("∂ŷ/∂wⱼ(2) = Σᵢ xᵢwᵢⱼ(1) for every j", Target.Jacobian("yhat", "W2"), () => Index(1, d.H, (_, j) => XW(d, j))),
            new("(ŷ − y) · ∂ŷ/∂wⱼ(2) for every j", Target.Grad("W2"), () => Index(d.H, 1, (j, _) => d.R[0, 0] * XW(d, j))),
        ]),
        Row("line 9", Lin, RowKind.Definition, "ŷ = w₁(2) Σᵢ xᵢwᵢ₁(1) + w₂(2) Σᵢ xᵢwᵢ₂(1) (written out for h = 2), the sums underbraced as ∂ŷ/∂w₁(2), ∂ŷ/∂w₂(2)", null, OneLinear, d =>
        [
            new("Σⱼ wⱼ(2) Σᵢ xᵢwᵢⱼ(1)", Target.Value("yhat"), () => Scalar(Sum(d.H, j => d.W2[j, 0] * XW(d, j)))),
            new("the underbraced sums, ∂ŷ/∂wⱼ(2)", Target.Jacobian("yhat", "W2"), () => Index(1, d.H, (_, j) => XW(d, j))),
        ]),
        Row("line 11", Lin, RowKind.IndexForm, "So, ∂L/∂wⱼ(2) = (ŷ − y) Σᵢ xᵢwᵢⱼ(1)", "(x @ W1)^T * (yhat - y)", OneLinear,
            d => [new("(ŷ − y) Σᵢ xᵢwᵢⱼ(1) for every j", Target.Grad("W2"), () => Note003.LinearGradW2Elementwise(d.X, d.W1, d.W2, d.Y[0, 0]))]),
        Row("line 13", Lin, RowKind.Jacobian, "Matrix form: ŷ = XW(1)W(2), ∂ŷ/∂W(2) = XW(1)", "X @ W1", Linear, d =>
        [
            new("ŷ = XW(1)W(2)", Target.Value("yhat"), () => d.X.Times(d.W1).Times(d.W2)),
            new("∂ŷ/∂W(2) = XW(1) (N×h)", Target.Jacobian("yhat", "W2"), () => d.X.Times(d.W1)),
        ]),
        Row("line 15", Lin, RowKind.Erratum, "∴ ∂L/∂W(2) = (ŷ − y) XW(1)", "(X @ W1)^T @ (yhat - y)", Linear,
            d => [new("corrected: (XW(1))ᵀ(ŷ − y)", Target.Grad("W2"), () => Note003.LinearGradW2Corrected(d.X, d.W1, d.W2, d.Y))]) with
        {
            Finding = "For the batch X the line writes, (ŷ − y)XW(1) is (N×1)·(N×d) and does not multiply: the row-layout gradient is (ŷ − y)ᵀXW(1), with the transpose the line leaves out. For one example (N = 1) it multiplies and is the gradient transposed, exactly (a row for the column W(2)).",
            Corrected = "∂L/∂W(2) = (XW(1))ᵀ(ŷ − y), or (ŷ − y)ᵀXW(1) as a row",
            LiteralAscii = "(yhat - y) @ X @ W1",
            Literal = d => new("(ŷ − y)XW(1) as written, a row", Target.Grad("W2"), () => Chain(d.R, d.X, d.W1), Transposed: true),
            Conflict = d => d.N == 1 ? null : string.Create(CultureInfo.InvariantCulture, $"Product: ({d.N}×1) · ({d.N}×{d.D}): inner dimensions differ."),
            LiteralHoldsWhereItMultiplies = _ => true,
        },
        Row("line 17", Lin, RowKind.Derivative, "Layer 1: ∂L/∂W(1) = ∂L/∂ŷ ∂ŷ/∂h ∂h/∂W(1), where h = XW(1)", "x^T @ ((yhat - y) @ W2^T)", OneLinear, d =>
        [
            new("∂ŷ/∂h = W(2)ᵀ", Target.Jacobian("yhat", "z1"), () => d.W2.Transpose()),
            new("∂hⱼ/∂W(1)_kl = δⱼₗ x_k", Target.Jacobian("z1", "W1"), () => DZ1DW1(d)),
            new("(ŷ − y) · W(2)ᵀ · ∂h/∂W(1), laid out as W(1)", Target.Grad("W1"), () => AsW1(d, d.R.Times(d.W2.Transpose()).Times(DZ1DW1(d)))),
        ]),
        Row("line 19", Lin, RowKind.Erratum, "= (ŷ − y) W(2)ᵀ X", "X^T @ (yhat - y) @ W2^T", Linear,
            d => [new("corrected: Xᵀ(ŷ − y)W(2)ᵀ", Target.Grad("W1"), () => Note003.LinearGradW1Corrected(d.X, d.W1, d.W2, d.Y))]) with
        {
            Finding = "The factors are in the wrong order and X is not transposed: for one example (ŷ − y)W(2)ᵀ is 1×h and X is 1×d, which multiply only when h = 1 (giving the gradient transposed, exactly) or d = 1 (x a scalar: the gradient itself); for a batch (N×h)·(N×d) multiplies only when h = N, and is then wrong in value.",
            Corrected = "∂L/∂W(1) = Xᵀ(ŷ − y)W(2)ᵀ",
            LiteralAscii = "(yhat - y) @ W2^T @ X",
            // For one example with d = 1, x is 1×1 and scales the row (ŷ − y)W(2)ᵀ, which is then ∂L/∂W(1) (1×h) itself.
            Literal = d => new("(ŷ − y)W(2)ᵀX as written", Target.Grad("W1"), () => Chain(d.R, d.W2.Transpose(), d.X), Transposed: !(d.N == 1 && d.D == 1)),
            Conflict = d => d.N == 1 ? (d.H == 1 || d.D == 1 ? null : string.Create(CultureInfo.InvariantCulture, $"Product: (1×{d.H}) · (1×{d.D}): inner dimensions differ."))
                : d.H == d.N ? null : string.Create(CultureInfo.InvariantCulture, $"Product: ({d.N}×{d.H}) · ({d.N}×{d.D}): inner dimensions differ."),
            LiteralHoldsWhereItMultiplies = d => d.N == 1,
        },
        Row("line 27", Lin, RowKind.Jacobian, "∂(XW(1)W(2))/∂(XW(1)) = W(2)ᵀ", "W2^T", OneLinear, d => [new("W(2)ᵀ (one example)", Target.Jacobian("yhat", "z1"), () => d.W2.Transpose())]),
        Row("line 31", Bias, RowKind.Definition, "with bias terms: ŷ = (xw(1) + b(1))w(2) + b(2)", null, Biased,
            d => [new("(xw(1) + b(1))w(2) + b(2)", Target.Value("yhat"), () => (d.X.Times(d.W1) + d.B1).Times(d.W2) + d.B2)]),
        Row("line 33", Bias, RowKind.Definition, "ŷ = C + 1b(2)", null, Biased,
            d => [new("C + 1·b(2), C = (xw(1) + b(1))w(2)", Target.Value("yhat"), () => (d.X.Times(d.W1) + d.B1).Times(d.W2) + M.Dense(d.N, 1, 1.0).Times(d.B2))]),
        Row("line 35", Bias, RowKind.Jacobian, "∂ŷ/∂b(2) = 1", "1", Biased, d => [new("1", Target.Jacobian("yhat", "b2"), () => M.Dense(d.N, 1, 1.0))]),
        Row("line 37", Bias, RowKind.Derivative, "∂L/∂b(2) = ∂L/∂ŷ ∂ŷ/∂b(2) = ∂L/∂ŷ = ŷ − y", "yhat - y", Biased, d =>
        [
            new("∂L/∂ŷ = ŷ − y", Target.Grad("yhat"), () => d.R),
            new("∂L/∂ŷ ∂ŷ/∂b(2) = (ŷ − y) · 1", Target.Grad("b2"), () => Chain(d.R, Scalar(1))),
            new("ŷ − y", Target.Grad("b2"), () => d.R),
        ]),
        Row("line 41", Act, RowKind.Definition, "with activations: ŷ = f₂(f₁(xw(1) + b(1))w(2) + b(2)), f₁(xw(1) + b(1)) underbraced z₁, the argument of f₂ labelled z₂", null, Activated,
            d => [new("f₂(f₁(xw(1) + b(1))w(2) + b(2))", Target.Value("yhat"), () => (d.X.Times(d.W1) + d.B1).Apply(d.F1.Value).Times(d.W2).Add(d.B2).Apply(d.F2.Value))])
            with { NotationNote = "The underbrace names the activation f₁(xw(1) + b(1)) z₁, but the Layer-1 line needs ∂z₁/∂w(1) = x, i.e. z₁ = xw(1) + b(1), the pre-activation; the tests read z₁ so (under the label's reading line 67 would be wrong in value even for one hidden unit)." },
        Row("line 45", Act, RowKind.Convention, "∂L/∂w(2) = ∂L/∂ŷ ∂ŷ/∂f₂ ∂f₂/∂z₂ ∂z₂/∂w(2)", "(yhat - y) @ 1 @ df2(z2) @ a1", Activated, d =>
        [
            new("∂f₂/∂z₂ = f₂′(z₂)", Target.Jacobian("yhat", "z2"), () => F2p(d)),
            new("∂z₂/∂w(2) = f₁(xw(1) + b(1)) (1×h)", Target.Jacobian("z2", "W2"), () => d.A1),
            new("∂L/∂ŷ · 1 · f₂′(z₂) · ∂z₂/∂w(2), a row", Target.Grad("W2"), () => Chain(d.R, Scalar(1), F2p(d), d.A1), Transposed: true),
        ]) with { Finding = "A chain of Jacobians: 1×h, the gradient of the column w(2) transposed, exactly." },
        Row("line 49", Act, RowKind.Convention, "= (ŷ − y)(1) ∂f₂/∂z₂ f₁(xw(1) + b(1))", "(yhat - y) @ 1 @ df2(z2) @ a1", Activated,
            d => [new("(ŷ − y)(1) f₂′(z₂) f₁(xw(1) + b(1)), a row", Target.Grad("W2"), () => Chain(d.R, Scalar(1), F2p(d), d.A1), Transposed: true)])
            with { Finding = "1×h where w(2) is h×1: the gradient transposed, exactly (row layout), for every h." },
        Row("line 55", Act, RowKind.Definition, "e.g. f₂(z) = σ(z) = f₁(z) (\"assume both sigmoid\")", null, Sigmoids, d =>
        [
            new("f₁ = σ: a₁ = 1/(1 + e^−z₁)", Target.Value("a1"), () => d.Z1.Apply(z => 1 / (1 + Math.Exp(-z)))),
            new("f₂ = σ: ŷ = 1/(1 + e^−z₂)", Target.Value("yhat"), () => d.Z2.Apply(z => 1 / (1 + Math.Exp(-z)))),
        ]),
        Row("line 57", Act, RowKind.Jacobian, "∂f₂/∂z = σ(z)(1 − σ(z))", "sigmoid(z2) * (1 - sigmoid(z2))", Sigmoids,
            d => [new("σ(z₂)(1 − σ(z₂))", Target.Jacobian("yhat", "z2"), () => d.Z2.Apply(z => ScalarFunction.SigmoidValue(z) * (1 - ScalarFunction.SigmoidValue(z))))]),
        Row("line 63", Act, RowKind.Derivative, "Layer 1: ∂L/∂w(1) = (∂L/∂f₂ ∂f₂/∂z₂) ∂z₂/∂f₁ ∂f₁/∂z₁ ∂z₁/∂w(1)", "x^T @ ((((yhat - y) * df2(z2)) @ W2^T) * df1(z1))", Activated, d =>
        [
            new("∂z₂/∂f₁ = w(2)ᵀ", Target.Jacobian("z2", "a1"), () => d.W2.Transpose()),
            new("∂f₁/∂z₁ = diag f₁′(z₁)", Target.Jacobian("a1", "z1"), () => M.DenseOfDiagonalVector(F1p(d).Row(0))),
            new("∂z₁/∂w(1)_kl: δⱼₗ x_k", Target.Jacobian("z1", "W1"), () => DZ1DW1(d)),
            new("the chain of Jacobians, laid out as w(1)", Target.Grad("W1"),
                () => AsW1(d, d.R.Hadamard(F2p(d)).Times(d.W2.Transpose()).Times(M.DenseOfDiagonalVector(F1p(d).Row(0))).Times(DZ1DW1(d)))),
        ]),
        Row("line 65", Act, RowKind.Erratum, "= (ŷ − y) ∂f₂/∂z₂ w(2)ᵀ ∂f₁/∂z₁ x", "x^T @ ((((yhat - y) * df2(z2)) @ W2^T) * df1(z1))", Activated,
            d => [new("corrected: xᵀ[((ŷ − y)f₂′(z₂)) w(2)ᵀ ∘ f₁′(z₁)]", Target.Grad("W1"), () => GradW1Corrected(d))]) with
        {
            Finding = "The element-wise product with f₁′(z₁) is written as a matrix product, and x is not transposed: w(2)ᵀ (1×h) times f₁′(z₁) (1×h) multiplies only when h = 1, and then gives the gradient transposed, exactly.",
            Corrected = "∂L/∂w(1) = xᵀ[((ŷ − y)f₂′(z₂)) w(2)ᵀ ∘ f₁′(z₁)]",
            LiteralAscii = "(yhat - y) @ df2(z2) @ W2^T @ df1(z1) @ x",
            Literal = d => new("(ŷ − y)f₂′(z₂)w(2)ᵀf₁′(z₁)x as written, a row", Target.Grad("W1"), () => Chain(d.R, F2p(d), d.W2.Transpose(), F1p(d), d.X), Transposed: true),
            Conflict = Layer1Conflict,
            LiteralHoldsWhereItMultiplies = _ => true,
        },
        Row("line 67", Act, RowKind.Erratum, "= (ŷ − y) σ(z₂)(1 − σ(z₂)) w(2)ᵀ σ(z₁)(1 − σ(z₁)) x", "x^T @ ((((yhat - y) * dsigmoid(z2)) @ W2^T) * dsigmoid(z1))", Sigmoids,
            d => [new("corrected: xᵀ[((ŷ − y)σ′(z₂)) w(2)ᵀ ∘ σ′(z₁)]", Target.Grad("W1"), () => GradW1Corrected(d))]) with
        {
            Tests = [Rows, Fd, Errata, "Note003Tests.Line_67_for_one_hidden_unit_is_exact_with_z1_the_preactivation_and_wrong_with_z1_the_activation"],
            Finding = "As line 65, with σ: does not multiply for h > 1. For h = 1 it is the gradient transposed, exactly, with z₁ = xw(1) + b(1) (the reading ∂z₁/∂w(1) = x implies); only under the underbrace's reading z₁ = f₁(xw(1) + b(1)) is it wrong in value.",
            Corrected = "∂L/∂w(1) = xᵀ[((ŷ − y)σ′(z₂)) w(2)ᵀ ∘ σ′(z₁)], z₁ = xw(1) + b(1)",
            LiteralAscii = "(yhat - y) @ sigmoid(z2) @ (1 - sigmoid(z2)) @ W2^T @ sigmoid(z1) @ (1 - sigmoid(z1)) @ x",
            Literal = d => new("line 67 as written, z₁ the pre-activation, a row", Target.Grad("W1"), () => Line67AsWritten(d), Transposed: true),
            Conflict = Layer1Conflict,
            LiteralHoldsWhereItMultiplies = _ => true,
        },
    ];
}
