using MathNet.Numerics.LinearAlgebra;
using static AutoGrad.Derivations.Linalg;

namespace AutoGrad.Derivations.Ledger;

/// <summary>Note 002's data: the network the note writes in scalars, every layer of width 1.</summary>
public sealed record Data002(double X, double W1, double B1, double W2, double B2, double Y)
{
    private static double S(double z) => ScalarFunction.SigmoidValue(z);

    /// <summary>z^(L−1) = W^(L−1)x + b^(L−1).</summary>
    public double Z1 => W1 * X + B1;

    /// <summary>a^(L−1) = σ(z^(L−1)).</summary>
    public double A1 => S(Z1);

    /// <summary>z^L = W^L a^(L−1) + b^L.</summary>
    public double Z2 => W2 * A1 + B2;

    /// <summary>a^L = σ(z^L).</summary>
    public double A2 => S(Z2);
}

/// <summary>Note 002: its 55 numbered equations. Tape names: x, W1 (W^(L−1)), b1, z1, a1, W2 (W^L), b2, z2, a2, one_minus_a2, L.</summary>
public static class Ledger002
{
    private const string Rows = "Note002Tests.Row_agrees_with_the_tape";
    private const string Fd = "Note002Tests.Row_agrees_with_finite_differences";
    private const string Vector = "Note002Tests.Vector_layers_outer_product_forms_match_the_tape";

    /// <summary>Central differences of a written derivative operator are accurate to about 1e-9 relative (and 1e-11 absolute); judged at 1e-6 relative plus 1e-9.</summary>
    private const double Numeric = 1e-6;

    private static Matrix<double> S(double v) => Scalar(v);

    private static LedgerRow<Data002> Row(string id, string section, RowKind kind, string formula, string? ascii, Func<Data002, IEnumerable<Claim>> claims, params string[] more) =>
        LedgerRow<Data002>.Create("002", id, section, kind, formula, ascii, claims, kind is RowKind.Definition or RowKind.Value ? [Rows, .. more] : [Rows, Fd, .. more]);

    /// <summary>1 − σ(z) is computed with cancellation for z &gt; 0 (about log10(e^z) digits lost); up to |z| = 12 that stays inside 1e-9.</summary>
    private static bool Conditioned(Data002 d) => Math.Abs(d.Z2) <= 12;

    private static double Sig(double z) => 1 / (1 + Math.Exp(-z));

    // ∂a^L/∂z^L, the claim of every sigmoid-derivative step, evaluated at z = z^L.
    private static Claim Dsig(string label, Func<double> value, double tolerance = 1e-9) =>
        new(label, Target.Jacobian("a2", "z2"), () => S(value()), Tolerance: tolerance, Absolute: tolerance == Numeric ? 1e-9 : 0);

    private static IEnumerable<Claim> ChainWL(Data002 d) =>
    [
        new("∂z^L/∂W^L = a^(L−1) (eq. 32)", Target.Jacobian("z2", "W2"), () => S(d.A1)),
        new("∂a^L/∂z^L = a^L(1 − a^L) (eq. 28)", Target.Jacobian("a2", "z2"), () => S(d.A2 * (1 - d.A2))),
        new("∂C₀/∂a^L = a^L − y (eq. 12)", Target.Grad("a2"), () => S(d.A2 - d.Y)),
        new("the product of the three", Target.Grad("W2"), () => S(d.A1 * (d.A2 * (1 - d.A2)) * (d.A2 - d.Y))),
    ];

    private static IEnumerable<Claim> ChainBL(Data002 d) =>
    [
        new("∂z^L/∂b^L = 1 (eq. 38)", Target.Jacobian("z2", "b2"), () => S(1)),
        new("the product 1 · a^L(1 − a^L) · (a^L − y)", Target.Grad("b2"), () => S(1 * (d.A2 * (1 - d.A2)) * (d.A2 - d.Y))),
    ];

    private static IEnumerable<Claim> ChainWLm1(Data002 d) =>
    [
        new("∂z^(L−1)/∂W^(L−1) = x (eq. 42)", Target.Jacobian("z1", "W1"), () => S(d.X)),
        new("∂a^(L−1)/∂z^(L−1) = a^(L−1)(1 − a^(L−1)) (eq. 43)", Target.Jacobian("a1", "z1"), () => S(d.A1 * (1 - d.A1))),
        new("∂z^L/∂a^(L−1) = W^L (eq. 44)", Target.Jacobian("z2", "a1"), () => S(d.W2)),
        new("the product of the five", Target.Grad("W1"), () => S(d.X * (d.A1 * (1 - d.A1)) * d.W2 * (d.A2 * (1 - d.A2)) * (d.A2 - d.Y))),
    ];

    private static IEnumerable<Claim> GradWLm1(Data002 d) =>
        [new("x · a^(L−1)(1 − a^(L−1)) · W^L · a^L(1 − a^L) · (a^L − y)", Target.Grad("W1"), () => S(d.X * (d.A1 * (1 - d.A1)) * d.W2 * (d.A2 * (1 - d.A2)) * (d.A2 - d.Y)))];

    private static IEnumerable<Claim> GradBLm1(Data002 d, bool timesOne) => timesOne
        ? [new("1 · a^(L−1)(1 − a^(L−1)) · W^L · a^L(1 − a^L) · (a^L − y)", Target.Grad("b1"), () => S(1 * (d.A1 * (1 - d.A1)) * d.W2 * (d.A2 * (1 - d.A2)) * (d.A2 - d.Y)))]
        : [new("a^(L−1)(1 − a^(L−1)) · W^L · a^L(1 − a^L) · (a^L − y)", Target.Grad("b1"), () => S(d.A1 * (1 - d.A1) * d.W2 * (d.A2 * (1 - d.A2)) * (d.A2 - d.Y)))];

    /// <summary>Every numbered equation of note 002.</summary>
    public static readonly IReadOnlyList<LedgerRow<Data002>> All = Build();

    private static LedgerRow<Data002> Repeat(List<LedgerRow<Data002>> rows, string id, string of)
    {
        var original = rows.Single(r => r.Id == of);
        return original with { Id = id, Kind = RowKind.Repeat, RepeatOf = of, Tests = original.Tests.Where(t => t != Vector).ToList(), NotationNote = null };
    }

    private static List<LedgerRow<Data002>> Build()
    {
        var rows = new List<LedgerRow<Data002>>();
        void Add(LedgerRow<Data002> row) => rows.Add(row);
        const string fwd = "2 Forward Pass", cost = "3 Cost Function", chain = "4 Chain Rule", d1 = "5 ∂C₀/∂a^L", d2 = "6 Sigmoid derivative",
            d3 = "7 ∂z^L/∂W^L", full = "8 ∂C₀/∂W^L", bias = "9 ∂C₀/∂b^L", prev = "10 Previous layer", summary = "11 Summary";
        Add(Row("(1)", fwd, RowKind.Definition, "z^(L−1) = W^(L−1)x + b^(L−1)", null, d => [new("W^(L−1)x + b^(L−1)", Target.Value("z1"), () => S(d.W1 * d.X + d.B1))]));
        Add(Row("(2)", fwd, RowKind.Definition, "a^(L−1) = σ(z^(L−1))", null, d => [new("σ(z^(L−1))", Target.Value("a1"), () => S(Sig(d.Z1)))]));
        Add(Row("(3)", fwd, RowKind.Definition, "z^L = W^L a^(L−1) + b^L", null, d => [new("W^L a^(L−1) + b^L", Target.Value("z2"), () => S(d.W2 * d.A1 + d.B2))]));
        Add(Row("(4)", fwd, RowKind.Definition, "a^L = σ(z^L)", null, d => [new("σ(z^L)", Target.Value("a2"), () => S(Sig(d.Z2)))]));
        Add(Row("(5)", cost, RowKind.Value, "C₀ = ½(a^L − y)²", "0.5 * (aL - y)^2", d => [new("½(a^L − y)²", Target.Value("L"), () => S(0.5 * (d.A2 - d.Y) * (d.A2 - d.Y)))]));
        Add(Row("(6)", chain, RowKind.Derivative, "∂C₀/∂W^L = ∂z^L/∂W^L · ∂a^L/∂z^L · ∂C₀/∂a^L", "aLm1 * dsigmoid(zL) * (aL - y)", ChainWL));
        Add(Repeat(rows, "(7)", "(5)"));
        Add(Row("(8)", d1, RowKind.Derivative, "∂C₀/∂a^L = ∂/∂a^L [½(a^L − y)²]", "aL - y",
            d => [new("d/da ½(a − y)² at a = a^L (central difference)", Target.Grad("a2"), () => S(D(a => 0.5 * (a - d.Y) * (a - d.Y), d.A2)), Tolerance: Numeric, Absolute: 1e-9)]));
        Add(Row("(9)", d1, RowKind.Derivative, "= ½ · 2(a^L − y) · ∂/∂a^L (a^L − y)", "aL - y",
            d => [new("½ · 2(a^L − y) · d/da (a − y)", Target.Grad("a2"), () => S(0.5 * 2 * (d.A2 - d.Y) * D(a => a - d.Y, d.A2)), Tolerance: Numeric, Absolute: 1e-9)]));
        Add(Row("(10)", d1, RowKind.Derivative, "= (a^L − y) · 1", "aL - y", d => [new("(a^L − y) · 1", Target.Grad("a2"), () => S((d.A2 - d.Y) * 1))]));
        Add(Row("(11)", d1, RowKind.Derivative, "= a^L − y", "aL - y", d => [new("a^L − y", Target.Grad("a2"), () => S(d.A2 - d.Y))]));
        Add(Row("(12)", d1, RowKind.Derivative, "∂C₀/∂a^L = a^L − y", "aL - y", d => [new("a^L − y", Target.Grad("a2"), () => S(d.A2 - d.Y))]));
        Add(Row("(13)", d2, RowKind.Definition, "σ(z) = 1/(1 + e^−z) = (1 + e^−z)^−1", null,
            d => [new("1/(1 + e^−z) at z = z^L", Target.Value("a2"), () => S(1 / (1 + Math.Exp(-d.Z2)))),
                  new("(1 + e^−z)^−1 at z = z^L", Target.Value("a2"), () => S(Math.Pow(1 + Math.Exp(-d.Z2), -1)))]));
        Add(Row("(14)", d2, RowKind.Jacobian, "dσ/dz = d/dz (1 + e^−z)^−1", "dsigmoid(z)",
            d => [Dsig("d/dz (1 + e^−z)^−1 (central difference)", () => D(z => Math.Pow(1 + Math.Exp(-z), -1), d.Z2), Numeric)]) with { Applies = Conditioned });
        Add(Row("(15)", d2, RowKind.Jacobian, "= −1 · (1 + e^−z)^−2 · d/dz (1 + e^−z)", "dsigmoid(z)",
            d => [Dsig("−1 · (1 + e^−z)^−2 · d/dz (1 + e^−z)", () => -1 * Math.Pow(1 + Math.Exp(-d.Z2), -2) * D(z => 1 + Math.Exp(-z), d.Z2), Numeric)]) with { Applies = Conditioned });
        Add(Row("(16)", d2, RowKind.Jacobian, "= −(1 + e^−z)^−2 · (−e^−z)", "dsigmoid(z)",
            d => [Dsig("−(1 + e^−z)^−2 · (−e^−z)", () => -Math.Pow(1 + Math.Exp(-d.Z2), -2) * -Math.Exp(-d.Z2))]) with { Applies = Conditioned });
        Add(Row("(17)", d2, RowKind.Jacobian, "= e^−z / (1 + e^−z)²", "dsigmoid(z)",
            d => [Dsig("e^−z / (1 + e^−z)²", () => Note002.SigmoidDerivativeEq17(d.Z2))], "Note002Tests.Eq_17_loses_all_precision_below_z_minus_355_where_eq_24_does_not")
            with
            {
                Applies = Conditioned,
                NotationNote = "Exact, but in floating point it loses all precision below z = −ln √(double.MaxValue) ≈ −354.89: (1 + e^−z)² overflows to ∞ there and the quotient is 0 where σ′(z) ≈ e^z is still a normal number (relative error 1), and NaN (∞/∞) below −709.78. Eq. (24) keeps full precision down to −708. For z above about 20 the reverse holds: σ(z)(1 − σ(z)) loses digits to the cancellation in 1 − σ(z), and eq. (17) does not.",
            });
        Add(Row("(18)", d2, RowKind.Repeat, "dσ/dz = e^−z / (1 + e^−z)²", "dsigmoid(z)",
            d => [Dsig("e^−z / (1 + e^−z)²", () => Note002.SigmoidDerivativeEq17(d.Z2))]) with { Applies = Conditioned, RepeatOf = "(17)" });
        Add(Row("(19)", d2, RowKind.Jacobian, "= 1/(1 + e^−z) · e^−z/(1 + e^−z)", "dsigmoid(z)",
            d => [Dsig("1/(1 + e^−z) · e^−z/(1 + e^−z)", () => 1 / (1 + Math.Exp(-d.Z2)) * (Math.Exp(-d.Z2) / (1 + Math.Exp(-d.Z2))))]) with { Applies = Conditioned });
        Add(Row("(20)", d2, RowKind.Jacobian, "= σ(z) · e^−z/(1 + e^−z)", "dsigmoid(z)",
            d => [Dsig("σ(z) · e^−z/(1 + e^−z)", () => Note002.SigmoidDerivativeEq20(d.Z2))]) with { Applies = Conditioned });
        Add(Row("(21)", d2, RowKind.Value, "e^−z/(1 + e^−z) = (1 + e^−z − 1)/(1 + e^−z)", "1 - sigmoid(z)",
            d => [new("e^−z/(1 + e^−z)", Target.Value("one_minus_a2"), () => S(Math.Exp(-d.Z2) / (1 + Math.Exp(-d.Z2)))),
                  new("(1 + e^−z − 1)/(1 + e^−z)", Target.Value("one_minus_a2"), () => S((1 + Math.Exp(-d.Z2) - 1) / (1 + Math.Exp(-d.Z2))))]) with { Applies = Conditioned });
        Add(Row("(22)", d2, RowKind.Value, "= 1 − 1/(1 + e^−z)", "1 - sigmoid(z)",
            d => [new("1 − 1/(1 + e^−z)", Target.Value("one_minus_a2"), () => S(1 - 1 / (1 + Math.Exp(-d.Z2))))]) with { Applies = Conditioned });
        Add(Row("(23)", d2, RowKind.Value, "= 1 − σ(z)", "1 - sigmoid(z)",
            d => [new("1 − σ(z)", Target.Value("one_minus_a2"), () => S(1 - Sig(d.Z2)))]));
        Add(Row("(24)", d2, RowKind.Jacobian, "dσ(z)/dz = σ(z)(1 − σ(z))", "sigmoid(z) * (1 - sigmoid(z))",
            d => [Dsig("σ(z)(1 − σ(z))", () => Note002.SigmoidDerivativeEq24(d.Z2))], "Note002Tests.Eq_17_loses_all_precision_below_z_minus_355_where_eq_24_does_not"));
        Add(Row("(25)", d2, RowKind.Jacobian, "∂a^L/∂z^L = dσ(z^L)/dz^L", "dsigmoid(zL)",
            d => [Dsig("dσ/dz at z^L (central difference of σ)", () => D(Sig, d.Z2), Numeric)]) with { Applies = Conditioned });
        Add(Row("(26)", d2, RowKind.Jacobian, "= σ(z^L)(1 − σ(z^L))", "sigmoid(zL) * (1 - sigmoid(zL))", d => [Dsig("σ(z^L)(1 − σ(z^L))", () => Sig(d.Z2) * (1 - Sig(d.Z2)))]));
        Add(Row("(27)", d2, RowKind.Jacobian, "= a^L(1 − a^L)", "aL * (1 - aL)", d => [Dsig("a^L(1 − a^L)", () => d.A2 * (1 - d.A2))]));
        Add(Row("(28)", d2, RowKind.Jacobian, "∂a^L/∂z^L = a^L(1 − a^L)", "aL * (1 - aL)", d => [Dsig("a^L(1 − a^L)", () => d.A2 * (1 - d.A2))]));
        Add(Repeat(rows, "(29)", "(3)"));
        Add(Row("(30)", d3, RowKind.Jacobian, "∂z^L/∂W^L = ∂/∂W^L (W^L a^(L−1) + b^L)", "aLm1",
            d => [new("d/dW (W a^(L−1) + b^L) at W^L (central difference)", Target.Jacobian("z2", "W2"), () => S(D(w => w * d.A1 + d.B2, d.W2)), Tolerance: Numeric, Absolute: 1e-9)]));
        Add(Row("(31)", d3, RowKind.Jacobian, "= a^(L−1) · ∂W^L/∂W^L + 0", "aLm1",
            d => [new("a^(L−1) · dW/dW + 0", Target.Jacobian("z2", "W2"), () => S(d.A1 * D(w => w, d.W2) + 0), Tolerance: Numeric, Absolute: 1e-9)]));
        Add(Row("(32)", d3, RowKind.Jacobian, "= a^(L−1)", "aLm1", d => [new("a^(L−1)", Target.Jacobian("z2", "W2"), () => S(d.A1))]));
        Add(Row("(33)", d3, RowKind.Jacobian, "∂z^L/∂W^L = a^(L−1)", "aLm1", d => [new("a^(L−1)", Target.Jacobian("z2", "W2"), () => S(d.A1))]));
        Add(Repeat(rows, "(34)", "(6)"));
        Add(Row("(35)", full, RowKind.Derivative, "= a^(L−1) · a^L(1 − a^L) · (a^L − y)", "aLm1 * aL * (1 - aL) * (aL - y)",
            d => [new("a^(L−1) · a^L(1 − a^L) · (a^L − y)", Target.Grad("W2"), () => S(d.A1 * (d.A2 * (1 - d.A2)) * (d.A2 - d.Y)))]));
        Add(Row("(36)", full, RowKind.Derivative, "∂C₀/∂W^L = a^(L−1) · a^L(1 − a^L) · (a^L − y)", "aLm1 * aL * (1 - aL) * (aL - y)",
            d => [new("a^(L−1) · a^L(1 − a^L) · (a^L − y)", Target.Grad("W2"), () => S(d.A1 * (d.A2 * (1 - d.A2)) * (d.A2 - d.Y)))], Vector)
            with { NotationNote = "Written for the note's network, every quantity a scalar. For layers of any width the product reads δ^L (a^(L−1))ᵀ with δ^L = a^L(1 − a^L) ∘ (a^L − y) (an outer product)." });
        Add(Row("(37)", bias, RowKind.Derivative, "∂C₀/∂b^L = ∂z^L/∂b^L · ∂a^L/∂z^L · ∂C₀/∂a^L", "dsigmoid(zL) * (aL - y)", ChainBL));
        Add(Row("(38)", bias, RowKind.Jacobian, "∂z^L/∂b^L = 1", "1", d => [new("1", Target.Jacobian("z2", "b2"), () => S(1))]));
        Add(Row("(39)", bias, RowKind.Derivative, "∂C₀/∂b^L = 1 · a^L(1 − a^L) · (a^L − y)", "aL * (1 - aL) * (aL - y)",
            d => [new("1 · a^L(1 − a^L) · (a^L − y)", Target.Grad("b2"), () => S(1 * (d.A2 * (1 - d.A2)) * (d.A2 - d.Y)))]));
        Add(Row("(40)", bias, RowKind.Derivative, "∂C₀/∂b^L = a^L(1 − a^L) · (a^L − y)", "aL * (1 - aL) * (aL - y)",
            d => [new("a^L(1 − a^L) · (a^L − y)", Target.Grad("b2"), () => S(d.A2 * (1 - d.A2) * (d.A2 - d.Y)))], Vector));
        Add(Row("(41)", prev, RowKind.Derivative, "∂C₀/∂W^(L−1) = ∂z^(L−1)/∂W^(L−1) · ∂a^(L−1)/∂z^(L−1) · ∂z^L/∂a^(L−1) · ∂a^L/∂z^L · ∂C₀/∂a^L",
            "x * aLm1 * (1 - aLm1) * WL * aL * (1 - aL) * (aL - y)", ChainWLm1));
        Add(Row("(42)", prev, RowKind.Jacobian, "z^(L−1) = W^(L−1)x + b^(L−1) ⟹ ∂z^(L−1)/∂W^(L−1) = x", "x", d => [new("x", Target.Jacobian("z1", "W1"), () => S(d.X))]));
        Add(Row("(43)", prev, RowKind.Jacobian, "∂a^(L−1)/∂z^(L−1) = a^(L−1)(1 − a^(L−1))", "aLm1 * (1 - aLm1)", d => [new("a^(L−1)(1 − a^(L−1))", Target.Jacobian("a1", "z1"), () => S(d.A1 * (1 - d.A1)))]));
        Add(Row("(44)", prev, RowKind.Jacobian, "z^L = W^L a^(L−1) + b^L ⟹ ∂z^L/∂a^(L−1) = W^L", "WL", d => [new("W^L", Target.Jacobian("z2", "a1"), () => S(d.W2))]));
        Add(Repeat(rows, "(45)", "(28)"));
        Add(Repeat(rows, "(46)", "(12)"));
        Add(Row("(47)", prev, RowKind.Derivative, "∂C₀/∂W^(L−1) = x · a^(L−1)(1 − a^(L−1)) · W^L · a^L(1 − a^L) · (a^L − y)", "x * aLm1 * (1 - aLm1) * WL * aL * (1 - aL) * (aL - y)", GradWLm1, Vector));
        Add(Repeat(rows, "(48)", "(47)"));
        Add(Row("(49)", prev, RowKind.Jacobian, "∂z^(L−1)/∂b^(L−1) = 1", "1", d => [new("1", Target.Jacobian("z1", "b1"), () => S(1))]));
        Add(Row("(50)", prev, RowKind.Derivative, "∂C₀/∂b^(L−1) = 1 · a^(L−1)(1 − a^(L−1)) · W^L · a^L(1 − a^L) · (a^L − y)", "aLm1 * (1 - aLm1) * WL * aL * (1 - aL) * (aL - y)", d => GradBLm1(d, timesOne: true)));
        Add(Row("(51)", prev, RowKind.Derivative, "∂C₀/∂b^(L−1) = a^(L−1)(1 − a^(L−1)) · W^L · a^L(1 − a^L) · (a^L − y)", "aLm1 * (1 - aLm1) * WL * aL * (1 - aL) * (aL - y)", d => GradBLm1(d, timesOne: false), Vector));
        Add(Repeat(rows, "(52)", "(36)") with { Section = summary });
        Add(Repeat(rows, "(53)", "(40)") with { Section = summary });
        Add(Repeat(rows, "(54)", "(47)") with { Section = summary });
        Add(Repeat(rows, "(55)", "(51)") with { Section = summary });
        return rows;
    }
}
