namespace AutoGrad;

/// <summary>The shape of a dense, row-major, two-dimensional tensor: <c>Rows × Cols</c>.</summary>
/// <param name="Rows">Number of rows (at least 1).</param>
/// <param name="Cols">Number of columns (at least 1).</param>
public readonly record struct Shape(int Rows, int Cols)
{
    /// <summary>Number of elements, <c>Rows · Cols</c>.</summary>
    public int Length => Rows * Cols;

    /// <summary>True for a 1×1 shape.</summary>
    public bool IsScalar => Rows == 1 && Cols == 1;

    /// <summary>The shape with rows and columns swapped.</summary>
    public Shape Transposed => new(Cols, Rows);

    /// <summary>Formats as <c>3×4</c>.</summary>
    public override string ToString() => $"{Rows}×{Cols}";
}
