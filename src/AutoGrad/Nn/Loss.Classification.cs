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
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, int[] labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.CrossEntropyWithLabels(labels);
    }

    /// <summary>
    /// Mean cross-entropy of N×C logits against class labels given as an N×1 tensor of class indices (0, 1, …, C−1
    /// stored as numbers): the same loss, kernels and bits as <see cref="CrossEntropy{T}(Tensor{T}, int[])"/>, but the
    /// labels are a tensor, so a compiled training step (<c>Tensor.Compile</c>) can take them as its second input and
    /// read new labels on every call — an <c>int[]</c> would be a constant of the trace. The labels get no gradient; a
    /// label that is not a whole number in 0..C−1 is refused.
    /// </summary>
    public static Tensor<T> CrossEntropyOfLabels<T>(Tensor<T> logits, Tensor<T> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.CrossEntropyWithLabels(labels);
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
