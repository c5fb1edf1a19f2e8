using System.Globalization;
using System.Text.RegularExpressions;

namespace AutoGrad;

/// <summary>
/// The integer parameters that shape operations write into their symbol — <c>slice[0..2, 1..3]</c>,
/// <c>gather[2, 0, 2]</c> — so that a formula shows them and can be evaluated back.
/// </summary>
internal static partial class SymbolParameters
{
    /// <summary><c>name[…]</c> with the given parameter text.</summary>
    public static string Write(string name, string parameters) => $"{name}[{parameters}]";

    /// <summary><c>\operatorname{name}_{[…]}</c>.</summary>
    public static string Latex(string name, string parameters) => $"\\operatorname{{{name}}}_{{[{parameters}]}}";

    /// <summary>The integers inside <c>name[…]</c>, in order, or null when <paramref name="symbol"/> is not such a symbol.</summary>
    public static int[]? Read(string symbol, string name)
    {
        if (!symbol.StartsWith(name + "[", StringComparison.Ordinal) || !symbol.EndsWith(']'))
        {
            return null;
        }
        return Integer().Matches(symbol[(name.Length + 1)..^1]).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
    }

    [GeneratedRegex("-?[0-9]+")]
    private static partial Regex Integer();
}
