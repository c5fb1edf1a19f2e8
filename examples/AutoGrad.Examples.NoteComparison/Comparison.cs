using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Examples.NoteComparison;

/// <summary>One quantity of a note: the note's formula, the tape's value and the closed form's value.</summary>
/// <param name="Quantity">What is compared, e.g. ∂L/∂W[2].</param>
/// <param name="Formula">The formula as the note writes it.</param>
/// <param name="Tape">The tape's gradient (in the note's layout).</param>
/// <param name="ClosedForm">The formula evaluated with MathNet; null when the literal formula cannot be evaluated.</param>
/// <param name="Erratum">Why the note's literal formula is wrong (see docs/errata.md), or null.</param>
public sealed record Comparison(string Quantity, string Formula, Matrix<double> Tape, Matrix<double>? ClosedForm, string? Erratum = null)
{
    /// <summary>max |tape − closed form|, or +∞ when the shapes differ or the formula could not be evaluated.</summary>
    public double MaxAbsDifference =>
        ClosedForm is null || ClosedForm.RowCount != Tape.RowCount || ClosedForm.ColumnCount != Tape.ColumnCount
            ? double.PositiveInfinity
            : (Tape - ClosedForm).Enumerate().Select(Math.Abs).DefaultIfEmpty(0).Max();

    /// <summary>True when tape and closed form agree to <paramref name="relative"/> of the largest closed-form entry.</summary>
    public bool Agrees(double relative)
    {
        if (ClosedForm is null)
        {
            return false;
        }
        double scale = ClosedForm.Enumerate().Select(Math.Abs).DefaultIfEmpty(0).Max();
        return MaxAbsDifference <= relative * scale + 1e-300;
    }

    /// <summary>A short rendering of a matrix: shape and the first few values.</summary>
    public static string Show(Matrix<double>? m)
    {
        if (m is null)
        {
            return "—";
        }
        var values = m.ToRowMajorArray();
        string shown = string.Join(", ", values.Take(3).Select(v => v.ToString("G4", CultureInfo.InvariantCulture)));
        return $"{m.RowCount}×{m.ColumnCount} [{shown}{(values.Length > 3 ? ", …" : "")}]";
    }
}

/// <summary>Evaluates a literal formula, turning a shape error into a readable reason.</summary>
public static class Literal
{
    public static (Matrix<double>? Value, string? Failure) Try(Func<Matrix<double>> formula)
    {
        try
        {
            return (formula(), null);
        }
        catch (ArgumentException error)
        {
            return (null, error.Message);
        }
    }
}
