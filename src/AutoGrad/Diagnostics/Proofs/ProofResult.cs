using System.Globalization;
using System.Text;

namespace AutoGrad;

/// <summary>What <see cref="Prover"/> concludes about claim = reference.</summary>
public enum ProofVerdict
{
    /// <summary>Identical canonical forms: equal for every size of the named dimensions and every value.</summary>
    Proved,

    /// <summary>The claim is the transpose of the reference, for every size and value (a layout convention).</summary>
    ProvedUpToTranspose,

    /// <summary>A concrete counterexample: the two sides differ, or the claim does not multiply where the reference does.</summary>
    Refuted,

    /// <summary>Neither proved nor refuted; <see cref="ProofResult.Reason"/> says why.</summary>
    Unknown,
}

/// <summary>A verdict with its reason, its counterexample when refuted, and how long it took.</summary>
public sealed record ProofResult(ProofVerdict Verdict, string Claim, string Reference, string Reason, Counterexample? Counterexample, TimeSpan Elapsed)
{
    /// <summary>The Claim (not null).</summary>
    public string Claim { get; init; } = Claim ?? throw new ArgumentNullException(nameof(Claim));

    /// <summary>The Reference (not null).</summary>
    public string Reference { get; init; } = Reference ?? throw new ArgumentNullException(nameof(Reference));

    /// <summary>The Reason (not null).</summary>
    public string Reason { get; init; } = Reason ?? throw new ArgumentNullException(nameof(Reason));

    /// <summary>One word per verdict: proved, proved up to ᵀ, refuted, unknown.</summary>
    public string Word => Verdict switch
    {
        ProofVerdict.Proved => "proved",
        ProofVerdict.ProvedUpToTranspose => "proved up to ᵀ",
        ProofVerdict.Refuted => "refuted",
        _ => "unknown",
    };

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Word}: {Reason}");
        if (Counterexample is not null) text.AppendLine().Append(Counterexample);
        return text.ToString();
    }
}

/// <summary>Sizes and values at which the claim and the reference differ (or the claim does not multiply).</summary>
public sealed record Counterexample(
    IReadOnlyDictionary<string, int> Sizes,
    IReadOnlyDictionary<string, double[,]> Values,
    double[,]? Claim,
    double[,]? Reference,
    string? ShapeConflict)
{
    /// <summary>The Sizes (not null).</summary>
    public IReadOnlyDictionary<string, int> Sizes { get; init; } = Sizes ?? throw new ArgumentNullException(nameof(Sizes));

    /// <summary>The Values (not null).</summary>
    public IReadOnlyDictionary<string, double[,]> Values { get; init; } = Values ?? throw new ArgumentNullException(nameof(Values));

    /// <summary>The largest absolute difference between the two sides (NaN for a shape conflict or different shapes).</summary>
    public double LargestDifference
    {
        get
        {
            if (Claim is null || Reference is null || Claim.GetLength(0) != Reference.GetLength(0) || Claim.GetLength(1) != Reference.GetLength(1)) return double.NaN;
            double largest = 0;
            for (int i = 0; i < Claim.GetLength(0); i++)
            {
                for (int j = 0; j < Claim.GetLength(1); j++) largest = Math.Max(largest, Math.Abs(Claim[i, j] - Reference[i, j]));
            }
            return largest;
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("  sizes: ").AppendJoin(", ", Sizes.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} = {s.Value}"))).AppendLine();
        if (ShapeConflict is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  the claim does not multiply: {ShapeConflict}");
            if (Reference is not null) text.AppendLine().Append(CultureInfo.InvariantCulture, $"  the reference is {Reference.GetLength(0)}×{Reference.GetLength(1)}");
            return text.ToString();
        }
        foreach (var (name, value) in Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name} = {Format(value)}").AppendLine();
        }
        if (Claim is not null) text.Append(CultureInfo.InvariantCulture, $"  claim     = {Format(Claim)}").AppendLine();
        if (Reference is not null) text.Append(CultureInfo.InvariantCulture, $"  reference = {Format(Reference)}").AppendLine();
        return text.ToString().TrimEnd();
    }

    /// <summary>A matrix on one line: <c>[[1, 2], [3, 4]]</c> (2×2).</summary>
    public static string Format(double[,] m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var rows = Enumerable.Range(0, m.GetLength(0)).Select(i =>
            "[" + string.Join(", ", Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j].ToString("G6", CultureInfo.InvariantCulture))) + "]");
        return string.Create(CultureInfo.InvariantCulture, $"[{string.Join(", ", rows)}] ({m.GetLength(0)}×{m.GetLength(1)})");
    }
}
