using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Derivations.Ledger;

/// <summary>What a ledger row is, as decided by the test that checks it.</summary>
public enum RowKind
{
    /// <summary>A forward-pass definition or a shape: checked as a value (or shape) against the tape's forward pass.</summary>
    Definition,

    /// <summary>A value that is not a derivative (a loss, an identity between expressions, an update step).</summary>
    Value,

    /// <summary>A derivative in vector or matrix form, equal to the tape's gradient in the note's own layout.</summary>
    Derivative,

    /// <summary>A Jacobian (or a partial derivative of one quantity by another), equal to <c>Autograd.Jacobian</c>.</summary>
    Jacobian,

    /// <summary>An index-level form (∂L/∂W_kl = …), evaluated element by element for every index and compared entry by entry.</summary>
    IndexForm,

    /// <summary>
    /// The same equation as an earlier row, restated: checked again like any row, and its left-hand side (before the
    /// first " = "; not compared when the original is a continuation line "= …", whose left-hand side is on the line
    /// before) and its final right-hand side (after the last " = ") must equal that row's, as text; the steps
    /// between may differ (a repeat may restate only the first and last members). A restatement that renames a summation
    /// index or restates part of a row (004's (69) of (63), (68) of (41)) is not a repeat: it is checked as its own row.
    /// </summary>
    Repeat,

    /// <summary>Wrong as written on the note's own shapes; the literal is shown failing, the corrected form holding.</summary>
    Erratum,

    /// <summary>Right in another layout: the literal equals the tape's gradient transposed, exactly (row-vector gradients).</summary>
    Convention,

    /// <summary>A statement about dependence, not a formula that evaluates to numbers; checked through what it implies.</summary>
    Prose,
}

/// <summary>Which tape quantity a claim is compared with.</summary>
public enum TargetKind
{
    /// <summary>The gradient ∂L/∂(named tensor), read from the tape after one <c>Backward()</c>.</summary>
    Grad,

    /// <summary>The named tensor's forward value.</summary>
    Value,

    /// <summary>∂(named)/∂(WithRespectTo) by <c>Autograd.Jacobian</c>: outputs × inputs, both flattened row-major.</summary>
    Jacobian,
}

/// <summary>A tape quantity: a gradient, a value or a Jacobian of named tensors of a note's network.</summary>
/// <param name="Kind">Gradient, value or Jacobian.</param>
/// <param name="Of">The named tensor (the loss is "L").</param>
/// <param name="WithRespectTo">For a Jacobian, the tensor it is taken with respect to.</param>
public sealed record Target(TargetKind Kind, string Of, string? WithRespectTo = null)
{
    /// <summary>∂L/∂name.</summary>
    public static Target Grad(string name) => new(TargetKind.Grad, name);

    /// <summary>The value of name.</summary>
    public static Target Value(string name) => new(TargetKind.Value, name);

    /// <summary>∂of/∂wrt.</summary>
    public static Target Jacobian(string of, string wrt) => new(TargetKind.Jacobian, of, wrt);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        TargetKind.Grad => $"∂L/∂{Of}",
        TargetKind.Value => Of,
        _ => $"∂{Of}/∂{WithRespectTo}",
    };
}

/// <summary>
/// One comparison a row makes: the note's formula (evaluated with MathNet, independently of the engine) against a
/// tape quantity. <see cref="Transposed"/>: the note writes the tape's quantity transposed (a layout convention).
/// </summary>
/// <param name="Label">What is compared, e.g. "∂L/∂W_kl for every (k, l)".</param>
/// <param name="Target">The tape quantity.</param>
/// <param name="Note">The note's formula.</param>
/// <param name="Transposed">The formula is compared with the tape's quantity transposed.</param>
/// <param name="Tolerance">Relative tolerance (of the largest entry); formulas that differentiate numerically need a looser one.</param>
/// <param name="ShapeOnly">Only the shape is claimed (a membership such as W ∈ ℝ^(n1×n0)).</param>
/// <param name="Absolute">An absolute tolerance added to the relative one: for central differences, whose rounding error does not shrink with the derivative.</param>
public sealed record Claim(string Label, Target Target, Func<Matrix<double>> Note, bool Transposed = false, double Tolerance = 1e-9, bool ShapeOnly = false, double Absolute = 0)
{
    /// <summary>A membership such as W ∈ ℝ^(rows×cols): only the shape of the tape's quantity is claimed.</summary>
    public static Claim Shape(string label, Target target, int rows, int cols) =>
        new(label, target, () => Matrix<double>.Build.Dense(rows, cols), ShapeOnly: true);
}

/// <summary>
/// One row of the ledger: one numbered equation of a note (notes 001, 002, 004), or one formula line (notes 000
/// and 003, which number nothing). The formula is transcribed in this project's notation, not copied.
/// </summary>
public record LedgerRow
{
    /// <summary>The note: "000" … "004".</summary>
    public required string Note { get; init; }

    /// <summary>The equation number as the note prints it, "(22)", or the line's place in an unnumbered note.</summary>
    public required string Id { get; init; }

    /// <summary>Which part of the note (and which network) the row belongs to.</summary>
    public required string Section { get; init; }

    /// <summary>What the row is; decided by its test.</summary>
    public required RowKind Kind { get; init; }

    /// <summary>The equation as the note writes it (every "=" step of the line), in our notation.</summary>
    public required string Formula { get; init; }

    /// <summary>The test methods that check the row, as "Class.Method"; the ledger test requires each to exist.</summary>
    public required IReadOnlyList<string> Tests { get; init; }

    /// <summary>The formula's result typed in ASCII (e.g. <c>W2^T @ ((yhat - y) * dsigmoid(z2))</c>), for a symbolic prover; null for definitions.</summary>
    public string? Ascii { get; init; }

    /// <summary>For a <see cref="RowKind.Repeat"/>: the row it restates.</summary>
    public string? RepeatOf { get; init; }

    /// <summary>For an erratum or a convention: what is wrong or different, decided by the test.</summary>
    public string? Finding { get; init; }

    /// <summary>For an erratum: the corrected formula (whose claims the row's test checks).</summary>
    public string? Corrected { get; init; }

    /// <summary>A notation slip that does not make the formula wrong.</summary>
    public string? NotationNote { get; init; }

    /// <summary>The formula is stated in the prose, not displayed (note 000) or not numbered (notes 001–004); counted apart from the numbered equations.</summary>
    public bool Inline { get; init; }

    /// <summary>
    /// For an erratum: the formula exactly as the note writes it, typed in ASCII for the symbolic prover, which must
    /// refute it at the note's sizes (side by side is a matrix product, a 1×1 factor scales, as the note writes them).
    /// A formula for the row's ∂L/∂q, or "q = …" for a value the row claims (the bias sentences of note 004).
    /// </summary>
    public string? LiteralAscii { get; init; }
}

/// <summary>A ledger row with its claims on a note's data.</summary>
/// <typeparam name="TData">The note's data: inputs, parameters and activations.</typeparam>
public sealed record LedgerRow<TData> : LedgerRow
{
    /// <summary>A row of note <paramref name="note"/>: the fields every row sets (each note's ledger chooses its tests).</summary>
    public static LedgerRow<TData> Create(string note, string id, string section, RowKind kind, string formula, string? ascii,
        Func<TData, IEnumerable<Claim>> claims, IReadOnlyList<string> tests) => new()
    {
        Note = note, Id = id, Section = section, Kind = kind, Formula = formula, Ascii = ascii, Claims = claims, Tests = tests,
    };

    /// <summary>The comparisons that check the row (for an erratum: its corrected form).</summary>
    public Func<TData, IEnumerable<Claim>> Claims { get; init; } = _ => [];

    /// <summary>For an erratum: the literal formula as written (it may throw a <see cref="ShapeException"/>) and the quantity it claims to be.</summary>
    public Func<TData, Claim>? Literal { get; init; }

    /// <summary>
    /// For an erratum: the exact message of the shape conflict the literal raises on this data (the shape rule the
    /// erratum names, stated from the shapes independently of the literal's code), or null where it multiplies.
    /// </summary>
    public Func<TData, string?> Conflict { get; init; } = _ => null;

    /// <summary>For an erratum: where the literal multiplies, whether it equals the tape there (true: only its shapes are wrong).</summary>
    public Func<TData, bool> LiteralHoldsWhereItMultiplies { get; init; } = _ => false;

    /// <summary>For an erratum whose literal never multiplies: the same transcription on shapes where it does, checked against the tape.</summary>
    public Func<TData, Claim>? Transcription { get; init; }

    /// <summary>The data the row speaks of (e.g. only for the identity f, or only for sigmoid activations); the tests draw only such data.</summary>
    public Func<TData, bool> Applies { get; init; } = _ => true;
}
