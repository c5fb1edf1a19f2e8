using System.Numerics;

namespace AutoGrad.Nn;

// The classification losses: stable fused operations on logits (unnormalised scores), as PyTorch's.
public static partial class Loss
{
    /// <summary>
    /// Mean cross-entropy of N×C logits against N class labels in 0..C−1, as <c>F.cross_entropy(logits, labels)</c>:
    /// <c>L = (1/N) Σᵢ (ln Σⱼ e^(xᵢⱼ) − xᵢ,labelᵢ)</c>, computed with each row's maximum subtracted, so logits of ±1000 are
    /// fine. ∂L/∂x = (softmax(x) − onehot(labels)) / N, in one fused pass.
    /// </summary>
    /// <param name="logits">N×C unnormalised scores, one row per example.</param>
    /// <param name="labels">N class indices in 0..C−1 (or <paramref name="ignoreIndex"/>).</param>
    /// <param name="ignoreIndex">
    /// A label that marks a row to leave out, as PyTorch's <c>ignore_index</c>: the loss is the mean over the K rows with
    /// another label, <c>(1/K) Σ</c>, and an ignored row's gradient is 0 (PyTorch's <c>reduction='mean'</c>). Null (the
    /// default) ignores nothing, so a label outside 0..C−1 — PyTorch's default −100 included — is refused; pass
    /// <c>ignoreIndex: -100</c> for PyTorch's convention. A batch whose every label is the ignore index is refused
    /// (PyTorch returns NaN for its mean over no rows).
    /// </param>
    /// <exception cref="ArgumentException">A label is neither a class nor the ignore index, or every label is the ignore index.</exception>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, int[] labels, int? ignoreIndex = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.CrossEntropyWithLabels(labels, ignoreIndex);
    }

    /// <summary>
    /// Mean cross-entropy of N×C logits against class labels given as an N×1 tensor of class indices (0, 1, …, C−1
    /// stored as numbers): the same loss, kernels and bits as <see cref="CrossEntropy{T}(Tensor{T}, int[], int?)"/>, but the
    /// labels are a tensor, so a compiled training step (<c>Tensor.Compile</c>) can take them as its second input and
    /// read new labels on every call — an <c>int[]</c> would be a constant of the trace. The labels get no gradient; a
    /// label that is neither a whole number in 0..C−1 nor <paramref name="ignoreIndex"/> is refused.
    /// </summary>
    /// <param name="logits">N×C unnormalised scores, one row per example.</param>
    /// <param name="labels">An N×1 tensor of class indices (or <paramref name="ignoreIndex"/>).</param>
    /// <param name="ignoreIndex">A label that marks a row to leave out, as in <see cref="CrossEntropy{T}(Tensor{T}, int[], int?)"/>.</param>
    /// <exception cref="ArgumentException">A label is neither a class nor the ignore index, or every label is the ignore index.</exception>
    public static Tensor<T> CrossEntropyOfLabels<T>(Tensor<T> logits, Tensor<T> labels, int? ignoreIndex = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.CrossEntropyWithLabels(labels, ignoreIndex);
    }

    /// <summary>
    /// Mean cross-entropy of N×C logits against N×C target probabilities (each row a distribution, e.g. smoothed
    /// labels), as <c>F.cross_entropy(logits, probabilities)</c>: <c>L = −(1/N) Σᵢⱼ pᵢⱼ · log_softmax(x)ᵢⱼ</c>.
    /// Built from <see cref="Tensor{T}.LogSoftmax"/> (stable, fused backward): ∂L/∂x = (softmax(x) · Σⱼ pᵢⱼ − p) / N,
    /// and the targets get ∂L/∂p = −log_softmax(x) / N if they require a gradient.
    /// </summary>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, Tensor<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (logits.Shape != probabilities.Shape)
        {
            throw new ArgumentException(
                $"CrossEntropy: the logits are {logits.Shape} but the target probabilities are {probabilities.Shape}; they must match " +
                "(for class labels pass an int[]).", nameof(probabilities));
        }
        Tensor<T>.RefuseDisposed("CrossEntropy", logits, probabilities);
        return (probabilities * logits.LogSoftmax(1)).Sum() * (-T.One / T.CreateChecked(logits.Rows));
    }

    /// <summary>
    /// Mean binary cross-entropy of logits z against targets y in [0, 1] (same shape), as
    /// <c>F.binary_cross_entropy_with_logits</c>: the mean of <c>max(z, 0) − z·y + ln(1 + e^(−|z|))</c>, finite for any
    /// finite z. ∂L/∂z = (σ(z) − y) / n exactly (at z = 0 too), n the number of elements.
    /// </summary>
    public static Tensor<T> BinaryCrossEntropyWithLogits<T>(Tensor<T> logits, Tensor<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        return logits.BinaryCrossEntropyWithLogitsElements(targets).Mean();
    }
}
