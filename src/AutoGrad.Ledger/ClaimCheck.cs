using System.Globalization;
using AutoGrad.Derivations;
using AutoGrad.Derivations.Ledger;
using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Ledger;

/// <summary>One claim of a row, evaluated: the note's value (or the shape conflict it raised) next to the tape's.</summary>
/// <param name="Claim">The claim.</param>
/// <param name="Note">The note's formula's value, or null when it raised <see cref="ShapeConflict"/>.</param>
/// <param name="ShapeConflict">The message of the <see cref="ShapeException"/> the formula raised, or null.</param>
/// <param name="Tape">The tape's quantity, in the note's layout (transposed for a convention claim).</param>
public sealed record ClaimResult(Claim Claim, Matrix<double>? Note, string? ShapeConflict, Matrix<double> Tape)
{
    /// <summary>Same shape as the tape's quantity.</summary>
    public bool SameShape => Note is not null && Note.RowCount == Tape.RowCount && Note.ColumnCount == Tape.ColumnCount;

    /// <summary>max |note − tape| over the entries (+∞ when the shapes differ or the formula did not evaluate).</summary>
    public double MaxDifference => !SameShape ? double.PositiveInfinity
        : Claim.ShapeOnly ? 0 : (Note! - Tape).Enumerate().Select(Math.Abs).DefaultIfEmpty(0).Max();

    /// <summary>max |tape|: the scale the difference is judged against.</summary>
    public double Scale => Tape.Enumerate().Select(Math.Abs).Where(double.IsFinite).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Differences below this are underflow artefacts, not derivation differences: the notes' σ(z) = 1/(1 + e^−z) is 0
    /// below z ≈ −709.8 (e^−z overflows) where the tape's σ keeps the subnormal e^z, and products of such values with
    /// weights of up to ~10³ reach a few 1e-308 (FsCheck found 4.5e-308 against 0 at z = −714).
    /// </summary>
    public const double UnderflowFloor = 1e-300;

    /// <summary>
    /// The note agrees with the tape: same shape, no NaN, and max |note − tape| ≤ tolerance · max |tape| (+ the claim's
    /// absolute tolerance and <see cref="UnderflowFloor"/>) — a norm-wise relative error, since element-wise would
    /// divide by entries that are sums of cancelling terms.
    /// </summary>
    public bool Agrees => SameShape && (Claim.ShapeOnly || (!Note!.Enumerate().Any(double.IsNaN) && !Tape.Enumerate().Any(double.IsNaN)
        && MaxDifference <= Claim.Tolerance * Scale + Claim.Absolute + UnderflowFloor));

    /// <summary>A one-line account of the comparison.</summary>
    public string Describe() => ShapeConflict is not null
        ? $"{Claim.Label}: does not evaluate — {ShapeConflict}"
        : !SameShape ? string.Create(CultureInfo.InvariantCulture, $"{Claim.Label}: the note gives {Note!.RowCount}×{Note.ColumnCount}, the tape {Tape.RowCount}×{Tape.ColumnCount} ({Claim.Target})")
        : FormattableString.Invariant($"{Claim.Label}: max |note − tape| = {MaxDifference:G3} against {Claim.Tolerance:G1} · max |tape|{(Claim.Absolute > 0 ? FormattableString.Invariant($" + {Claim.Absolute:G1}") : "")} = {Claim.Tolerance * Scale + Claim.Absolute:G3} ({Claim.Target}{(Claim.Transposed ? ", transposed" : "")})");
}

/// <summary>Evaluates ledger claims against a note's network on the tape.</summary>
public static class ClaimCheck
{
    /// <summary>Evaluates one claim: the note's formula (a shape conflict is caught and reported) and the tape's quantity.</summary>
    public static ClaimResult Evaluate(Claim claim, TapeNetwork tape)
    {
        var tapeValue = tape.Evaluate(claim.Target);
        if (claim.Transposed)
        {
            tapeValue = tapeValue.Transpose();
        }
        try
        {
            return new ClaimResult(claim, claim.Note(), null, tapeValue);
        }
        catch (ShapeException conflict)
        {
            return new ClaimResult(claim, null, conflict.Message, tapeValue);
        }
    }

    /// <summary>Every claim of a row on one draw of data.</summary>
    public static IReadOnlyList<ClaimResult> Evaluate<TData>(LedgerRow<TData> row, TData data, TapeNetwork tape) =>
        row.Claims(data).Select(c => Evaluate(c, tape)).ToList();

    /// <summary>
    /// The tape's quantity against central differences on the network (the third witness). Returns null when they
    /// agree: |tape − fd| ≤ 1e-6 + 1e-5·|fd| entry by entry; otherwise the reason.
    /// </summary>
    public static string? AgainstFiniteDifferences(Target target, TapeNetwork tape)
    {
        var exact = tape.Evaluate(target);
        var fd = tape.FiniteDifference(target);
        if (exact.RowCount != fd.RowCount || exact.ColumnCount != fd.ColumnCount)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{target}: tape {exact.RowCount}×{exact.ColumnCount}, finite differences {fd.RowCount}×{fd.ColumnCount}");
        }
        for (int i = 0; i < exact.RowCount; i++)
        {
            for (int j = 0; j < exact.ColumnCount; j++)
            {
                if (!(Math.Abs(exact[i, j] - fd[i, j]) <= 1e-6 + 1e-5 * Math.Abs(fd[i, j])))
                {
                    return FormattableString.Invariant($"{target}[{i},{j}]: tape {exact[i, j]:G10}, finite differences {fd[i, j]:G10}");
                }
            }
        }
        return null;
    }
}
