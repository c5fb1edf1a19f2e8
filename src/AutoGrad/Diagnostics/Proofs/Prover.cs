using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// Proves or refutes that two formulas are equal: <c>Prove(claim, reference)</c> compares canonical forms in index
/// notation (see <see cref="CanonicalForm"/>) — identical forms prove equality for every size of every named dimension
/// and every value, and nothing else does. When the forms differ, it looks for a counterexample by evaluating both
/// sides (see <see cref="CounterexampleSearch"/>); with none found, the verdict is unknown, never proved.
/// </summary>
public static class Prover
{
    /// <summary>Parses both formulas against <paramref name="context"/>'s names, then proves claim = reference.</summary>
    public static ProofResult Prove(string claim, string reference, ProofContext context) =>
        Prove(FormulaParser.Parse(claim ?? throw new ArgumentNullException(nameof(claim)), context),
            FormulaParser.Parse(reference ?? throw new ArgumentNullException(nameof(reference)), context), context);

    /// <summary>Proves <paramref name="claim"/> = <paramref name="reference"/> (or = its transpose), refutes it, or says why neither.</summary>
    public static ProofResult Prove(SymbolicExpression claim, SymbolicExpression reference, ProofContext context)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        claim = Normalize(claim);
        reference = Normalize(reference);
        ProofResult Result(ProofVerdict verdict, string reason, Counterexample? counterexample = null) =>
            new(verdict, claim.ToText(), reference.ToText(), reason, counterexample, clock.Elapsed);

        var shapes = new FormulaShapes(context);
        string? notWellFormed = null;
        SymbolShape left = default, right = default;
        try
        {
            right = shapes.Of(reference);
        }
        catch (FormulaShapeException error)
        {
            return Result(ProofVerdict.Unknown, $"the reference is not well-formed: {error.Message}");
        }
        try
        {
            left = shapes.Of(claim);
        }
        catch (FormulaShapeException error)
        {
            notWellFormed = error.Message;
        }

        string? outside = null;
        if (notWellFormed is null)
        {
            try
            {
                var builder = new CanonicalBuilder(shapes);
                var canonicalClaim = builder.Canonical(claim);
                bool same = left == right && canonicalClaim.Key == builder.Canonical(reference).Key;
                bool transposed = !same && left == right.Transposed && canonicalClaim.Key == builder.Canonical(new SymbolFunction("ᵀ", reference)).Key;
                if ((same || transposed) && builder.CancelledUnbounded is { } lost)
                {
                    // equal forms only after a factor that can be infinite cancelled: not a proof (0·∞, ∞ − ∞)
                    outside = $"the canonical forms agree only after {lost} cancelled, and it is unbounded where its argument is 0";
                }
                else if (same)
                {
                    return Result(ProofVerdict.Proved, string.Create(CultureInfo.InvariantCulture, $"identical canonical forms ({canonicalClaim.Terms.Count} terms): equal, {left}, for every size of every named dimension"));
                }
                else if (transposed)
                {
                    return Result(ProofVerdict.ProvedUpToTranspose, string.Create(CultureInfo.InvariantCulture, $"the claim ({left}) is the transpose of the reference ({right}): identical canonical forms ({canonicalClaim.Terms.Count} terms)"));
                }
            }
            catch (Exception error) when (error is OutsideFragmentException or FormulaShapeException)
            {
                outside = error.Message;
            }
        }

        var search = new CounterexampleSearch(context, claim, reference);
        Counterexample? counterexample;
        try
        {
            counterexample = search.Find();
        }
        catch (OutsideFragmentException error)
        {
            return Result(ProofVerdict.Unknown, $"cannot evaluate: {error.Message}");
        }
        if (counterexample is not null)
        {
            string why = counterexample.ShapeConflict is not null ? "the claim does not multiply where the reference does"
                : FormattableString.Invariant($"the values differ (by up to {counterexample.LargestDifference:G3})");
            return Result(ProofVerdict.Refuted, why, counterexample);
        }
        string reason = outside is not null ? (outside.StartsWith("the canonical forms agree only after", StringComparison.Ordinal) ? outside : $"outside the fragment the canonical form covers ({outside})")
            : notWellFormed is not null ? $"the claim is well-formed only for some sizes ({notWellFormed})"
            : left != right && left != right.Transposed ? $"the claim is {left} where the reference is {right}"
            : "the canonical forms differ (an identity outside the rules, e.g. σ(−z) = 1 − σ(z), would explain it)";
        return Result(ProofVerdict.Unknown, string.Create(CultureInfo.InvariantCulture, $"{reason}; no counterexample in {search.Evaluations} evaluations"));
    }

    /// <summary>
    /// The verdict on a formula for ∂<paramref name="loss"/>/∂<paramref name="parameter"/>, typed as a person writes it
    /// (Unicode or ASCII, see <see cref="FormulaParser"/>), against the tape's own gradient formula
    /// (<see cref="Symbolic.Gradient{T}"/>). The context defaults to <see cref="ProofContext.FromGraph{T}"/> of the loss.
    /// </summary>
    public static ProofResult ProveGradient<T>(Tensor<T> loss, Tensor<T> parameter, string formula, ProofContext? context = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(formula);
        context ??= ProofContext.FromGraph(loss);
        var claim = FormulaParser.Parse(formula, context);
        var tape = Symbolic.GradientFor("Prover.ProveGradient", loss, parameter).Expression;
        return Prove(claim, tape, context);
    }

    /// <summary>A mask name the tape gives a ReLU derivative (<c>relu′(z)</c>) becomes the function relu′ of z.</summary>
    private static SymbolicExpression Normalize(SymbolicExpression e) => e switch
    {
        SymbolName { Name: var n } when n.StartsWith("relu′(", StringComparison.Ordinal) && n.EndsWith(')') && n.Length > 7 =>
            new SymbolFunction("relu′", new SymbolName(n[6..^1])),
        SymbolBinary b => new SymbolBinary(b.Operator, Normalize(b.Left), Normalize(b.Right)),
        SymbolFunction f => new SymbolFunction(f.Function, Normalize(f.Argument)),
        _ => e,
    };
}
