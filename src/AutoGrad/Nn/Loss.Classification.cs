using System.Numerics;

namespace AutoGrad.Nn;

// The classification losses: stable fused operations on logits (unnormalised scores), as PyTorch's.
public static partial class Loss
{
    /// <summary>
    /// Cross-entropy of N×C logits against N class labels in 0..C−1, as <c>F.cross_entropy(logits, labels)</c>: by
    /// default the mean <c>L = (1/N) Σᵢ (ln Σⱼ e^(xᵢⱼ) − xᵢ,labelᵢ)</c>, computed with each row's maximum subtracted, so
    /// logits of ±1000 are fine; ∂L/∂x = (softmax(x) − onehot(labels)) / N, in one fused pass. With PyTorch's
    /// <c>weight</c>, <c>label_smoothing</c> and <c>reduction</c> (checked against PyTorch 1.13): row i's term is
    /// <c>ℓᵢ = (1 − ε)·w_yᵢ·(−log pᵢ,yᵢ) + (ε/C)·Σⱼ wⱼ·(−log pᵢⱼ)</c>, p = softmax(x), and the loss is
    /// <c>Σᵢ ℓᵢ / Σᵢ w_yᵢ</c> (mean, both sums over the rows not ignored), <c>Σᵢ ℓᵢ</c> (sum) or the N×1 column of the
    /// ℓᵢ (none, 0 on an ignored row).
    /// </summary>
    /// <param name="logits">N×C unnormalised scores, one row per example.</param>
    /// <param name="labels">N class indices in 0..C−1 (or <paramref name="ignoreIndex"/>).</param>
    /// <param name="ignoreIndex">
    /// A label that marks a row to leave out, as PyTorch's <c>ignore_index</c>: the loss is the mean over the K rows with
    /// another label, <c>(1/K) Σ</c>, and an ignored row's gradient is 0 (PyTorch's <c>reduction='mean'</c>). Null (the
    /// default) ignores nothing, so a label outside 0..C−1 — PyTorch's default −100 included — is refused; pass
    /// <c>ignoreIndex: -100</c> for PyTorch's convention. Under <see cref="Reduction.Mean"/> a batch whose every label is
    /// the ignore index is refused (PyTorch returns NaN for its mean over no rows).
    /// </param>
    /// <param name="weight">
    /// Null, or one finite weight per class (C of them, PyTorch's <c>weight</c>; zero and negative accepted, as there;
    /// from a tensor pass <c>w.ToFlatArray()</c>): a row of class c counts w_c times, and the mean divides by the sum of
    /// the kept rows' weights. The array is copied. Under <see cref="Reduction.Mean"/> a batch whose kept rows' weights
    /// sum to 0 is refused (PyTorch returns NaN or ±∞ there, with NaN gradients).
    /// </param>
    /// <param name="labelSmoothing">ε in [0, 1], PyTorch's <c>label_smoothing</c>: the target is (1 − ε)·onehot + ε/C.</param>
    /// <param name="reduction">Mean (the default), Sum, or None (an N×1 column).</param>
    /// <exception cref="ArgumentException">
    /// A label is neither a class nor the ignore index; the weight has not C entries or one is NaN or infinite;
    /// the smoothing is outside [0, 1]; the reduction is not one of the enum's; or the mean would be 0/0.
    /// </exception>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, int[] labels, int? ignoreIndex = null, T[]? weight = null, double labelSmoothing = 0, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.CrossEntropyWithLabels(labels, ignoreIndex, weight, labelSmoothing, reduction);
    }

    /// <summary>
    /// Cross-entropy of N×C logits against class labels given as an N×1 tensor of class indices (0, 1, …, C−1 stored as
    /// numbers): the same loss, options, kernels and bits as <see cref="CrossEntropy{T}(Tensor{T}, int[], int?, T[], double, Reduction)"/>,
    /// but the labels are a tensor, so a compiled training step (<c>Tensor.Compile</c>) can take them as its second input
    /// and read new labels on every call — an <c>int[]</c> would be a constant of the trace. The labels get no gradient; a
    /// label that is neither a whole number in 0..C−1 nor <paramref name="ignoreIndex"/> is refused.
    /// </summary>
    /// <param name="logits">N×C unnormalised scores, one row per example.</param>
    /// <param name="labels">An N×1 tensor of class indices (or <paramref name="ignoreIndex"/>).</param>
    /// <param name="ignoreIndex">A label that marks a row to leave out, as in <see cref="CrossEntropy{T}(Tensor{T}, int[], int?, T[], double, Reduction)"/>.</param>
    /// <param name="weight">Null, or one finite weight per class, as in <see cref="CrossEntropy{T}(Tensor{T}, int[], int?, T[], double, Reduction)"/>.</param>
    /// <param name="labelSmoothing">ε in [0, 1], PyTorch's <c>label_smoothing</c>.</param>
    /// <param name="reduction">Mean (the default), Sum, or None (an N×1 column).</param>
    /// <exception cref="ArgumentException">As <see cref="CrossEntropy{T}(Tensor{T}, int[], int?, T[], double, Reduction)"/>; in a compiled step, on the call whose labels are refused.</exception>
    public static Tensor<T> CrossEntropyOfLabels<T>(Tensor<T> logits, Tensor<T> labels, int? ignoreIndex = null, T[]? weight = null, double labelSmoothing = 0, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.CrossEntropyWithLabels(labels, ignoreIndex, weight, labelSmoothing, reduction);
    }
}
