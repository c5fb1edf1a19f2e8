using System.Globalization;

namespace AutoGrad;

/// <summary>
/// One side of a symbolic shape: a named dimension (<c>n1</c>, any size ≥ 1) or a fixed size (<c>1</c>, <c>3</c>).
/// A proof over named dimensions holds for every size they take; only a fixed size 1 broadcasts.
/// </summary>
public readonly record struct Dimension
{
    private Dimension(string? name, int size)
    {
        Name = name;
        Size = size;
    }

    /// <summary>The dimension's name, or null for a fixed size.</summary>
    public string? Name { get; }

    /// <summary>The fixed size (0 for a named dimension).</summary>
    public int Size { get; }

    /// <summary>A named dimension such as <c>n1</c>.</summary>
    public static Dimension Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(name, 0);
    }

    /// <summary>A fixed size.</summary>
    public static Dimension Fixed(int size) => FixedSize("Dimension.Fixed", size);

    /// <summary>A fixed size.</summary>
    public static implicit operator Dimension(int size) => FixedSize("Dimension (from an int)", size);

    /// <summary>A named dimension, or a fixed size when the text is a number (read the same in every culture).</summary>
    public static implicit operator Dimension(string name) =>
        int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out int size) ? FixedSize("Dimension (from a string)", size) : Named(name);

    /// <summary>A fixed size, refused below 1 naming <paramref name="op"/> (.NET's own ThrowIfLessThan writes the number in the current culture).</summary>
    private static Dimension FixedSize(string op, int size)
    {
        if (size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), string.Create(CultureInfo.InvariantCulture, $"{op}: a fixed size must be at least 1; got {size}."));
        }
        return new(null, size);
    }

    /// <summary>True for the fixed size 1, the only size that broadcasts.</summary>
    public bool IsOne => Name is null && Size == 1;

    /// <summary>The size under an assignment of sizes to names.</summary>
    internal int SizeUnder(IReadOnlyDictionary<string, int> sizes) =>
        Name is null ? Size : sizes.TryGetValue(Name, out int size) ? size : throw new KeyNotFoundException($"no size for dimension {Name}");

    /// <inheritdoc/>
    public override string ToString() => Name ?? Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A matrix shape whose sides may be named dimensions: <c>n1×n0</c>.</summary>
public readonly record struct SymbolShape(Dimension Rows, Dimension Columns)
{
    /// <summary>The transposed shape.</summary>
    public SymbolShape Transposed => new(Columns, Rows);

    /// <summary>True for a fixed 1×1 shape, which multiplies anything as a scalar.</summary>
    public bool IsScalar => Rows.IsOne && Columns.IsOne;

    internal Shape Under(IReadOnlyDictionary<string, int> sizes) => new(Rows.SizeUnder(sizes), Columns.SizeUnder(sizes));

    /// <inheritdoc/>
    public override string ToString() => $"{Rows}×{Columns}";
}
