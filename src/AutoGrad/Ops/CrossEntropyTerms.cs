using System.Globalization;
using System.Numerics;
using AutoGrad.Nn;

namespace AutoGrad;

/// <summary>
/// What a cross-entropy against class labels adds to each row's −log pᵢ,yᵢ and how it combines the rows, as PyTorch's
/// <c>F.cross_entropy(x, y, weight=w, ignore_index=k, label_smoothing=ε, reduction=…)</c>. Row i's term is
/// <c>ℓᵢ = (1 − ε)·w_yᵢ·(−log pᵢ,yᵢ) + (ε/C)·Σⱼ wⱼ·(−log pᵢⱼ)</c> (wⱼ = 1 without weights), 0 on an ignored row; the loss
/// is <c>Σᵢ ℓᵢ / Σ_kept w_yᵢ</c> (Mean), <c>Σᵢ ℓᵢ</c> (Sum) or the N×1 column of the ℓᵢ (None). The checked, immutable
/// arguments of one call: the weights are copied.
/// </summary>
internal sealed class CrossEntropyTerms<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private CrossEntropyTerms(int? ignoreIndex, T[]? weight, double smoothing, Reduction reduction, int classes)
    {
        IgnoreIndex = ignoreIndex;
        Weight = weight;
        Smoothing = smoothing;
        Reduction = reduction;
        // as PyTorch, the factors are worked out in double and then rounded to T once
        LabelFactor = T.CreateChecked(1 - smoothing);
        SmoothingFactor = T.CreateChecked(smoothing / classes);
        T total = T.Zero;
        for (int j = 0; j < classes; j++)
        {
            total += WeightOf(j);
        }
        WeightTotal = total;
    }

    /// <summary>PyTorch's defaults: no ignore index, no weights, no smoothing, the mean.</summary>
    public static CrossEntropyTerms<T> Plain(int classes) => new(null, null, 0, Reduction.Mean, classes);

    public int? IgnoreIndex { get; }

    /// <summary>The class weights wⱼ, or null for all 1.</summary>
    public T[]? Weight { get; }

    public double Smoothing { get; }

    public Reduction Reduction { get; }

    /// <summary>1 − ε, the share of the label's own term.</summary>
    public T LabelFactor { get; }

    /// <summary>ε/C, the share of every class's term.</summary>
    public T SmoothingFactor { get; }

    /// <summary>W = Σⱼ wⱼ (C without weights).</summary>
    public T WeightTotal { get; }

    /// <summary>True for PyTorch's defaults (an ignore index aside): the mean of the −log pᵢ,yᵢ.</summary>
    public bool IsPlainMean => Weight is null && Smoothing == 0 && Reduction == Reduction.Mean;

    public T WeightOf(int label) => Weight is null ? T.One : Weight[label];

    /// <summary>The loss's shape: 1×1, or N×1 for <see cref="Reduction.None"/>.</summary>
    public Shape ResultShape(int rows) => Reduction == Reduction.None ? new Shape(rows, 1) : new Shape(1, 1);

    /// <summary>
    /// The checked arguments of <paramref name="op"/> on <paramref name="logits"/>: the weights one finite number per class
    /// (negative and zero too, as PyTorch), the smoothing in [0, 1], the reduction one of the enum's.
    /// </summary>
    public static CrossEntropyTerms<T> Create(string op, Shape logits, int? ignoreIndex, T[]? weight, double labelSmoothing, Reduction reduction)
    {
        if (weight is not null)
        {
            if (weight.Length != logits.Cols)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{op}: the weight has {weight.Length} entries for {logits} logits; need one per class ({logits.Cols})."), nameof(weight));
            }
            for (int j = 0; j < weight.Length; j++)
            {
                if (!T.IsFinite(weight[j]))
                {
                    throw new ArgumentOutOfRangeException(nameof(weight),
                        string.Create(CultureInfo.InvariantCulture, $"{op}: weight[{j}] is {weight[j]}; class weights must be finite."));
                }
            }
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing),
                string.Create(CultureInfo.InvariantCulture, $"{op}: labelSmoothing is {labelSmoothing}; it must be in [0, 1] (0 is no smoothing, 1 the uniform target)."));
        }
        if (reduction is not (Reduction.Mean or Reduction.Sum or Reduction.None))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction),
                string.Create(CultureInfo.InvariantCulture, $"{op}: reduction {(int)reduction} is not Reduction.Mean, Reduction.Sum or Reduction.None."));
        }
        return new(ignoreIndex, weight is null ? null : (T[])weight.Clone(), labelSmoothing, reduction, logits.Cols);
    }

    /// <summary>The mean's denominator Σ_kept w_yᵢ (the number of kept rows without weights), in row order.</summary>
    public T Denominator(ReadOnlySpan<int> labels)
    {
        T sum = T.Zero;
        foreach (int label in labels)
        {
            if (label != Tensor<T>.IgnoredRow)
            {
                sum += WeightOf(label);
            }
        }
        return sum;
    }

    /// <summary>
    /// Refuses labels whose weighted mean would divide by 0: every row ignored, or the kept rows' weights summing to 0
    /// (PyTorch returns NaN for 0/0 and ±∞ otherwise, with NaN gradients). A negative sum divides as PyTorch does. Sum and
    /// None are defined for any labels.
    /// </summary>
    public void CheckDenominator(string op, ReadOnlySpan<int> labels)
    {
        if (Reduction != Reduction.Mean || Denominator(labels) != T.Zero)
        {
            return;
        }
        int kept = Tensor<T>.KeptRows(labels);
        if (kept == 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{op}: all {labels.Length} labels are the ignoreIndex {IgnoreIndex}, so the mean is over no rows (0/0; PyTorch returns NaN). ") +
                "Skip this batch, or give it at least one labelled row.", "labels");
        }
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{op}: the class weights of the {kept} labelled rows sum to 0, so the weighted mean divides by 0 (PyTorch returns NaN or ±∞, and NaN gradients). ") +
            "Skip this batch, or use reduction: Reduction.Sum.", "labels");
    }

    /// <summary>"CrossEntropy", or the arguments that differ from PyTorch's defaults, e.g. "CrossEntropy(ignoreIndex: -100, weight, labelSmoothing: 0.1, reduction: Sum)".</summary>
    public static string NameOf(int? ignoreIndex, bool weighted, double smoothing, Reduction reduction)
    {
        var parts = new List<string>();
        if (ignoreIndex is { } ignored)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"ignoreIndex: {ignored}"));
        }
        if (weighted)
        {
            parts.Add("weight");
        }
        if (smoothing != 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"labelSmoothing: {smoothing}"));
        }
        if (reduction != Reduction.Mean)
        {
            parts.Add($"reduction: {reduction}");
        }
        return parts.Count == 0 ? CrossEntropyDeclaration.OpName : $"{CrossEntropyDeclaration.OpName}({string.Join(", ", parts)})";
    }

    public string Name => NameOf(IgnoreIndex, Weight is not null, Smoothing, Reduction);
}
