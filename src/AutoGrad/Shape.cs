using System.Globalization;

namespace AutoGrad;

/// <summary>
/// The shape of a dense, row-major, two-dimensional tensor: <c>Rows × Cols</c>. Neither size may be negative (the
/// constructor refuses it by name); a tensor needs at least 1 of each, which the operations that make one check.
/// </summary>
public readonly record struct Shape
{
    /// <summary>A <paramref name="rows"/>×<paramref name="cols"/> shape.</summary>
    /// <param name="rows">Number of rows (not negative; a tensor has at least 1).</param>
    /// <param name="cols">Number of columns (not negative; a tensor has at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A size is negative, or the element count exceeds the largest .NET array (<see cref="Length"/> would overflow).
    /// </exception>
    public Shape(int rows, int cols)
    {
        if (rows < 0 || cols < 0)
        {
            throw new ArgumentOutOfRangeException(rows < 0 ? nameof(rows) : nameof(cols),
                FormattableString.Invariant($"Shape: a {rows}×{cols} shape has a negative size; rows and columns are counts (a tensor has at least one of each)."));
        }
        if ((long)rows * cols > Array.MaxLength)
        {
            // an int Length would wrap (65537×65537 gave 131073): refused here, where no operation has checked it first
            throw new ArgumentOutOfRangeException(nameof(rows), FormattableString.Invariant(
                $"Shape: a {rows}×{cols} shape would have {(long)rows * cols} elements; the most a tensor can hold is {Array.MaxLength}."));
        }
        Rows = rows;
        Cols = cols;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>The two sizes, so a shape deconstructs as <c>var (rows, cols) = shape;</c>.</summary>
    public void Deconstruct(out int rows, out int cols)
    {
        rows = Rows;
        cols = Cols;
    }

    /// <summary>Number of elements, <c>Rows · Cols</c>.</summary>
    public int Length => Rows * Cols;

    /// <summary>True if a <paramref name="rows"/>×<paramref name="cols"/> result fits one .NET array (what <see cref="CheckSize"/> checks).</summary>
    internal static bool FitsArray(int rows, int cols) => (long)rows * cols <= Array.MaxLength;

    /// <summary>
    /// Refuses a shape whose element count exceeds the largest .NET array (<see cref="Array.MaxLength"/>), naming the
    /// operation: 65536×65536 does not fit an int, and would otherwise become a tensor of length 0.
    /// </summary>
    /// <param name="op">The method the caller called, as the message's first word.</param>
    /// <param name="rows">Rows of the result.</param>
    /// <param name="cols">Columns of the result.</param>
    /// <param name="operands">What the result is made of, for the message.</param>
    /// <param name="paramName">
    /// The parameter of the caller's method that sets the size (the exception's ParamName), or null when no single one
    /// does (a product or a broadcast of two operands): never a name the caller's method does not take.
    /// </param>
    /// <param name="remedy">A sentence saying what the caller can do instead, appended to the message.</param>
    internal static Shape CheckSize(string op, int rows, int cols, string? operands, string? paramName, string? remedy = null)
    {
        if ((long)rows * cols > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(paramName,
                string.Create(CultureInfo.InvariantCulture, $"{op}: a {rows}×{cols} result{(operands is null ? "" : $" of {operands}")} would have {(long)rows * cols} elements; the most a tensor can hold is {Array.MaxLength}.") +
                (remedy is null ? "" : " " + remedy));
        }
        return new Shape(rows, cols);
    }

    /// <summary>True for a 1×1 shape.</summary>
    public bool IsScalar => Rows == 1 && Cols == 1;

    /// <summary>The shape with rows and columns swapped.</summary>
    public Shape Transposed => new(Cols, Rows);

    /// <summary>Formats as <c>3×4</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rows}×{Cols}");
}
