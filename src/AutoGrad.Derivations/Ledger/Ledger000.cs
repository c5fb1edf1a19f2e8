using MathNet.Numerics.LinearAlgebra;
using static AutoGrad.Derivations.Linalg;

namespace AutoGrad.Derivations.Ledger;

/// <summary>Note 000's data: one example x (n0×1), the two layers, the target y (n2×1), σ and f.</summary>
public sealed record Data000(Matrix<double> X, Matrix<double> W1, Matrix<double> B1, Matrix<double> W2, Matrix<double> B2, Matrix<double> Y,
    ScalarFunction Sigma, ScalarFunction F)
{
    /// <summary>The note's forward pass (MathNet).</summary>
    public Note000.Forward Fw => fw ??= Note000.Run(X, W1, B1, W2, B2, Y, Sigma, F);
    private Note000.Forward? fw;

    /// <summary>δ[2] = ∂L/∂z[2] = (ŷ − y) ∘ f′(z[2]).</summary>
    public Matrix<double> Delta2 => (Fw.YHat - Y).Hadamard(Fw.Z2.Apply(F.Derivative));
}

/// <summary>
/// Note 000 has no equation numbers. A row per displayed formula line (17), and per formula stated inline in the prose
/// (7: the six memberships x ∈ ℝ^n0 …, and f′ = 1 for the identity). Tape names: x, W1, b1, z1, a1, W2, b2, z2, yhat, L.
/// </summary>
public static class Ledger000
{
    private const string Rows = "Note000Tests.Row_agrees_with_the_tape";
    private const string Fd = "Note000Tests.Row_agrees_with_finite_differences";

    private static LedgerRow<Data000> Row(string id, string section, RowKind kind, string formula, string? ascii, Func<Data000, IEnumerable<Claim>> claims, bool fd = false) =>
        LedgerRow<Data000>.Create("000", id, section, kind, formula, ascii, claims, fd ? [Rows, Fd] : [Rows]);

    /// <summary>A column g (n×1) read as a row and multiplied into an n×(rows·cols) Jacobian; the 1×(rows·cols) result unflattened row-major.</summary>
    private static Matrix<double> ContractRow(Matrix<double> g, Matrix<double> jacobian, int cols)
    {
        var row = g.Transpose().Times(jacobian);
        return Index(row.ColumnCount / cols, cols, (k, l) => row[0, k * cols + l]);
    }

    /// <summary>Every formula line of note 000, in the note's order.</summary>
    public static readonly IReadOnlyList<LedgerRow<Data000>> All =
    [
        Row("forward 1", "Forward Propagation", RowKind.Definition, "z[1] = W[1]x + b[1]", null,
            d => [new("z[1]", Target.Value("z1"), () => d.W1.Times(d.X) + d.B1)]),
        Row("forward 2", "Forward Propagation", RowKind.Definition, "a[1] = σ(z[1])", null,
            d => [new("a[1]", Target.Value("a1"), () => d.Fw.Z1.Apply(d.Sigma.Value))]),
        Row("forward 3", "Forward Propagation", RowKind.Definition, "z[2] = W[2]a[1] + b[2]", null,
            d => [new("z[2]", Target.Value("z2"), () => d.W2.Times(d.Fw.A1) + d.B2)]),
        Row("forward 4", "Forward Propagation", RowKind.Definition, "ŷ = f(z[2])", null,
            d => [new("ŷ", Target.Value("yhat"), () => d.Fw.Z2.Apply(d.F.Value))]),
        Row("inline 1", "Forward Propagation", RowKind.Definition, "x ∈ ℝ^n0", null,
            d => [Claim.Shape("x is n0×1", Target.Value("x"), d.X.RowCount, 1)]) with { Inline = true },
        Row("inline 2", "Here", RowKind.Definition, "W[1] ∈ ℝ^(n1×n0)", null,
            d => [Claim.Shape("∂L/∂W[1] is n1×n0", Target.Grad("W1"), d.W1.RowCount, d.X.RowCount)]) with { Inline = true },
        Row("inline 3", "Here", RowKind.Definition, "b[1] ∈ ℝ^n1", null,
            d => [Claim.Shape("∂L/∂b[1] is n1×1", Target.Grad("b1"), d.W1.RowCount, 1)]) with { Inline = true },
        Row("inline 4", "Here", RowKind.Definition, "W[2] ∈ ℝ^(n2×n1)", null,
            d => [Claim.Shape("∂L/∂W[2] is n2×n1", Target.Grad("W2"), d.W2.RowCount, d.W1.RowCount)]) with { Inline = true },
        Row("inline 5", "Here", RowKind.Definition, "b[2] ∈ ℝ^n2", null,
            d => [Claim.Shape("∂L/∂b[2] is n2×1", Target.Grad("b2"), d.W2.RowCount, 1)]) with { Inline = true },
        Row("inline 6", "Here", RowKind.Definition, "ŷ ∈ ℝ^n2", null,
            d => [Claim.Shape("ŷ is n2×1", Target.Value("yhat"), d.W2.RowCount, 1)]) with { Inline = true },
        Row("loss", "Loss Function", RowKind.Value, "L = ½‖y − ŷ‖²", "0.5 * sum((y - yhat)^2)",
            d => [new("L", Target.Value("L"), () => Scalar(d.Fw.Loss))])
            with { NotationNote = "The text calls this loss the mean squared error (MSE); it is half the sum of squares, with no mean — the formula, not the name, is what the derivatives use." },
        Row("step 1a", "Step 1", RowKind.Derivative, "∂L/∂ŷ = ŷ − y", "yhat - y",
            d => [new("ŷ − y", Target.Grad("yhat"), () => d.Fw.YHat - d.Y)], fd: true),
        Row("step 1b", "Step 1", RowKind.Convention, "∂L/∂z[2] = ∂L/∂ŷ ∂ŷ/∂z[2] = ∂L/∂ŷ ∘ f′(z[2]) = (ŷ − y) ∘ f′(z[2])", "(yhat - y) * df(z2)",
            d => [
                new("∂ŷ/∂z[2] = diag f′(z[2])", Target.Jacobian("yhat", "z2"), () => Diag(d.Fw.Z2.Apply(d.F.Derivative))),
                new("∂L/∂ŷ ∂ŷ/∂z[2] with ∂L/∂ŷ a row", Target.Grad("z2"), () => (d.Fw.YHat - d.Y).Transpose().Times(Diag(d.Fw.Z2.Apply(d.F.Derivative))), Transposed: true),
                new("∂L/∂ŷ ∘ f′(z[2])", Target.Grad("z2"), () => (d.Fw.YHat - d.Y).Hadamard(d.Fw.Z2.Apply(d.F.Derivative))),
                new("(ŷ − y) ∘ f′(z[2])", Target.Grad("z2"), () => d.Delta2)], fd: true)
            with { Finding = "Mixed layout: the chain-rule step ∂L/∂ŷ ∂ŷ/∂z[2] multiplies only with ∂L/∂ŷ as a row (1×n2 times the n2×n2 Jacobian) and then equals the tape's gradient transposed, exactly; the line's result is the column. Right in each layout." },
        Row("inline 7", "Step 1", RowKind.Jacobian, "f′(z[2]) = 1 (f the identity, regression)", "1",
            d => [new("∂ŷ/∂z[2] = I for the identity f", Target.Jacobian("yhat", "z2"), () => Eye(d.W2.RowCount))], fd: true)
            with { Inline = true, Applies = d => d.F.Name == "identity" },
        Row("step 1c", "Step 1", RowKind.Convention, "∂L/∂W[2] = ∂L/∂z[2] ∂z[2]/∂W[2] = ∂L/∂z[2] (a[1])ᵀ", "delta2 @ a1^T",
            d => [
                new("∂z[2]ᵢ/∂W[2]_kl = δᵢₖ a[1]ₗ", Target.Jacobian("z2", "W2"), () => Index3(d.W2.RowCount, d.W2.RowCount, d.W2.ColumnCount, (i, k, l) => Delta(i, k) * d.Fw.A1[l, 0])),
                new("∂L/∂z[2] ∂z[2]/∂W[2] with ∂L/∂z[2] a row, contracted over i", Target.Grad("W2"), () => ContractRow(d.Delta2, Index3(d.W2.RowCount, d.W2.RowCount, d.W2.ColumnCount, (i, k, l) => Delta(i, k) * d.Fw.A1[l, 0]), d.W2.ColumnCount)),
                new("∂L/∂z[2] (a[1])ᵀ", Target.Grad("W2"), () => d.Delta2.Times(d.Fw.A1.Transpose()))], fd: true)
            with { Finding = "Mixed layout: the middle step ∂L/∂z[2] ∂z[2]/∂W[2] is the column ∂L/∂z[2] (n2×1) times an n2×n2×n1 array, which does not multiply for n2 > 1; with ∂L/∂z[2] as a row contracted over the array's first index it is Σᵢ δᵢ δᵢₖ a[1]ₗ, the tape's gradient itself. The result ∂L/∂z[2](a[1])ᵀ is in the tape's layout. Right in each layout." },
        Row("step 1d", "Step 1", RowKind.Convention, "∂L/∂b[2] = ∂L/∂z[2] ∂z[2]/∂b[2] = ∂L/∂z[2]", "delta2",
            d => [
                new("∂z[2]/∂b[2] = I", Target.Jacobian("z2", "b2"), () => Eye(d.W2.RowCount)),
                new("∂L/∂z[2] ∂z[2]/∂b[2] with ∂L/∂z[2] a row", Target.Grad("b2"), () => d.Delta2.Transpose().Times(Eye(d.W2.RowCount)), Transposed: true),
                new("∂L/∂z[2]", Target.Grad("b2"), () => d.Delta2)], fd: true)
            with { Finding = "Mixed layout, as in ∂L/∂a[1]: the middle step ∂L/∂z[2] ∂z[2]/∂b[2] is (n2×1)·(n2×n2), which multiplies only when n2 = 1; with ∂L/∂z[2] as a row it multiplies for every n2 and equals the tape's gradient transposed, exactly. The result is the column. Right in each layout." },
        Row("step 2a", "Step 2", RowKind.Convention, "∂L/∂a[1] = ∂L/∂z[2] ∂z[2]/∂a[1] = (W[2])ᵀ ∂L/∂z[2]", "W2^T @ delta2",
            d => [
                new("∂z[2]/∂a[1] = W[2]", Target.Jacobian("z2", "a1"), () => d.W2),
                new("∂L/∂z[2] ∂z[2]/∂a[1] with ∂L/∂z[2] a row", Target.Grad("a1"), () => d.Delta2.Transpose().Times(d.W2), Transposed: true),
                new("(W[2])ᵀ ∂L/∂z[2]", Target.Grad("a1"), () => d.W2.Transpose().Times(d.Delta2))], fd: true)
            with { Finding = "Mixed layout: ∂L/∂z[2] ∂z[2]/∂a[1] is (n2×1)·(n2×n1) with the column the note's summary gives ∂L/∂z[2], which multiplies only when n2 = 1; with ∂L/∂z[2] as a row it multiplies for every n2 and equals the tape's gradient transposed, exactly. The result (W[2])ᵀ ∂L/∂z[2] is the column. Right in each layout." },
        Row("step 2b", "Step 2", RowKind.Convention, "∂L/∂z[1] = ∂L/∂a[1] ∂a[1]/∂z[1] = (W[2])ᵀ δ[2] ∘ σ′(z[1])", "(W2^T @ delta2) * dsigma(z1)",
            d => [
                new("∂a[1]/∂z[1] = diag σ′(z[1])", Target.Jacobian("a1", "z1"), () => Diag(d.Fw.Z1.Apply(d.Sigma.Derivative))),
                new("∂L/∂a[1] ∂a[1]/∂z[1] with ∂L/∂a[1] a row", Target.Grad("z1"), () => d.W2.Transpose().Times(d.Delta2).Transpose().Times(Diag(d.Fw.Z1.Apply(d.Sigma.Derivative))), Transposed: true),
                new("(W[2])ᵀ δ[2] ∘ σ′(z[1])", Target.Grad("z1"), () => d.W2.Transpose().Times(d.Delta2).Hadamard(d.Fw.Z1.Apply(d.Sigma.Derivative)))], fd: true)
            with
            {
                Finding = "Mixed layout, as in ∂L/∂a[1]: the chain-rule step is a row (1×n1 times the diagonal Jacobian) equal to the tape's gradient transposed; the result is the column.",
                NotationNote = "δ[2] is used without being defined; it is ∂L/∂z[2] of step 1.",
            },
        Row("step 2c", "Step 2", RowKind.Derivative, "∂L/∂W[1] = ∂L/∂z[1] (x)ᵀ", "delta1 @ x^T",
            d => [new("∂L/∂z[1] xᵀ", Target.Grad("W1"), () => d.W2.Transpose().Times(d.Delta2).Hadamard(d.Fw.Z1.Apply(d.Sigma.Derivative)).Times(d.X.Transpose()))], fd: true),
        Row("step 2d", "Step 2", RowKind.Derivative, "∂L/∂b[1] = ∂L/∂z[1]", "delta1",
            d => [new("∂L/∂z[1]", Target.Grad("b1"), () => d.W2.Transpose().Times(d.Delta2).Hadamard(d.Fw.Z1.Apply(d.Sigma.Derivative)))], fd: true),
        Row("summary 1", "Summary", RowKind.Derivative, "∂L/∂W[2] = [(ŷ − y) ∘ f′(z[2])] (a[1])ᵀ", "((yhat - y) * df(z2)) @ a1^T",
            d => [new("[(ŷ − y) ∘ f′(z[2])](a[1])ᵀ", Target.Grad("W2"), () => Note000.SummaryGradW2(d.Fw, d.Y, d.F))], fd: true),
        Row("summary 2", "Summary", RowKind.Derivative, "∂L/∂b[2] = (ŷ − y) ∘ f′(z[2])", "(yhat - y) * df(z2)",
            d => [new("(ŷ − y) ∘ f′(z[2])", Target.Grad("b2"), () => Note000.SummaryGradB2(d.Fw, d.Y, d.F))], fd: true),
        Row("summary 3", "Summary", RowKind.Derivative, "∂L/∂W[1] = [(W[2])ᵀ((ŷ − y) ∘ f′(z[2])) ∘ σ′(z[1])] (x)ᵀ", "((W2^T @ ((yhat - y) * df(z2))) * dsigma(z1)) @ x^T",
            d => [new("[(W[2])ᵀ((ŷ − y) ∘ f′(z[2])) ∘ σ′(z[1])] xᵀ", Target.Grad("W1"), () => Note000.SummaryGradW1(d.Fw, d.X, d.W2, d.Y, d.Sigma, d.F))], fd: true),
        Row("summary 4", "Summary", RowKind.Derivative, "∂L/∂b[1] = (W[2])ᵀ((ŷ − y) ∘ f′(z[2])) ∘ σ′(z[1])", "(W2^T @ ((yhat - y) * df(z2))) * dsigma(z1)",
            d => [new("(W[2])ᵀ((ŷ − y) ∘ f′(z[2])) ∘ σ′(z[1])", Target.Grad("b1"), () => Note000.SummaryGradB1(d.Fw, d.W2, d.Y, d.Sigma, d.F))], fd: true),
    ];
}
