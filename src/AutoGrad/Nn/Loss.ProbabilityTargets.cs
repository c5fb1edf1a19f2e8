using System.Numerics;

namespace AutoGrad.Nn;

// Cross-entropy against target probabilities, a composition of recorded operations (so createGraph and compiled steps
// need nothing of their own).
public static partial class Loss
{
    /// <summary>
    /// Cross-entropy of N×C logits against N×C target probabilities (each row a distribution), as
    /// <c>F.cross_entropy(logits, probabilities, weight=w, label_smoothing=ε, reduction=…)</c>: row i's term is
    /// <c>ℓᵢ = −Σⱼ wⱼ · tᵢⱼ · log_softmax(x)ᵢⱼ</c> with <c>t = (1 − ε)·p + ε/C</c>; the loss is <c>(1/N) Σᵢ ℓᵢ</c> (mean —
    /// divided by N, not by the weights, as PyTorch does for probability targets), <c>Σᵢ ℓᵢ</c> (sum) or the N×1 column
    /// of the ℓᵢ (none). Built from <see cref="Tensor{T}.LogSoftmax"/> (stable, fused backward) and element-wise
    /// operations: ∂L/∂x = (softmax(x) · Σⱼ wⱼtᵢⱼ − w ⊙ t) / N for the mean, and the targets get a gradient if they
    /// require one. Without options the value is <c>(p ⊙ log_softmax(x)).Sum() · (−1/N)</c>, as before the options.
    /// </summary>
    /// <param name="logits">N×C unnormalised scores, one row per example.</param>
    /// <param name="probabilities">N×C target probabilities.</param>
    /// <param name="weight">Null, or one finite weight per class (C of them; zero and negative accepted, as PyTorch). Copied.</param>
    /// <param name="labelSmoothing">ε in [0, 1], PyTorch's <c>label_smoothing</c>.</param>
    /// <param name="reduction">Mean (the default), Sum, or None (an N×1 column).</param>
    /// <exception cref="ArgumentException">
    /// The shapes differ; the weight has not C entries or one is NaN or infinite; the smoothing is outside [0, 1]; the
    /// reduction is not one of the enum's. A refused call changes nothing.
    /// </exception>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, Tensor<T> probabilities, T[]? weight = null, double labelSmoothing = 0, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string op = "CrossEntropy";
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (logits.Shape != probabilities.Shape)
        {
            throw new ArgumentException(
                $"{op}: the logits are {logits.Shape} but the target probabilities are {probabilities.Shape}; they must match " +
                "(for class labels pass an int[]).", nameof(probabilities));
        }
        var options = CrossEntropyTerms<T>.Create(op, logits.Shape, null, weight, labelSmoothing, reduction);
        Tensor<T>.RefuseDisposed(op, logits, probabilities);
        Tensor<T> target = labelSmoothing == 0 ? probabilities
            : probabilities * T.CreateChecked(1 - labelSmoothing) + T.CreateChecked(labelSmoothing / logits.Cols);
        Tensor<T> products = target * logits.LogSoftmax(1);
        if (options.Weight is { } w)
        {
            products *= new Tensor<T>(new Shape(1, w.Length), w);
        }
        return reduction switch
        {
            Reduction.Sum => -products.Sum(),
            Reduction.None => -products.Sum(1),
            _ => products.Sum() * (-T.One / T.CreateChecked(logits.Rows)),
        };
    }
}
