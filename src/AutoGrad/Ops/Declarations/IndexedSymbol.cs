using System.Globalization;

namespace AutoGrad;

/// <summary>
/// The symbols of operations with integer parameters, written <c>name[a, b, …]</c> (<c>slice[1, 2, 0, 3]</c>,
/// <c>gather[2, 0, 2]</c>), so that a formula names everything needed to evaluate it again.
/// </summary>
internal static class IndexedSymbol
{
    /// <summary><c>name[a, b, …]</c>.</summary>
    public static string Write(string name, params ReadOnlySpan<int> values) =>
        name + "[" + string.Join(", ", values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>The integers of a symbol written by <see cref="Write"/> with <paramref name="name"/>; null for any other symbol.</summary>
    public static int[]? Read(string symbol, string name)
    {
        if (!symbol.StartsWith(name + "[", StringComparison.Ordinal) || !symbol.EndsWith(']'))
        {
            return null;
        }
        string[] parts = symbol[(name.Length + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }
        return values;
    }
}
