using System.Globalization;
using System.Numerics;

namespace AutoGrad.Nn;

// Binary cross-entropy on logits: the fused element-wise operation, with PyTorch's options composed around it.
public static partial class Loss
{
    /// <summary>
    /// Binary cross-entropy of logits z against targets y in [0, 1] (same shape), as
    /// <c>F.binary_cross_entropy_with_logits(z, y, weight=w, pos_weight=p, reduction=…)</c>: element-wise
    /// <c>ℓ = w · ((1 − y)·z + (1 + (p − 1)·y)·ln(1 + e^(−z)))</c>, computed stably as <c>max(z, 0) − z·y + ln(1 + e^(−|z|))</c>
    /// (finite for any finite z) plus <c>(p − 1)·y·softplus(−z)</c> when a <paramref name="posWeight"/> is given, times
    /// w when a <paramref name="weight"/> is; then the mean over all elements (the default), the sum, or the elements
    /// themselves. Without options ∂L/∂z = (σ(z) − y) / n exactly (at z = 0 too), n the number of elements; the weights
    /// and targets get gradients too if they require them.
    /// </summary>
    /// <param name="logits">The logits z.</param>
    /// <param name="targets">The targets y, of the logits' shape.</param>
    /// <param name="weight">Null, or a rescaling weight broadcast to the logits' shape (the same shape, a 1×C row, an N×1 column or 1×1), PyTorch's <c>weight</c>.</param>
    /// <param name="posWeight">Null, or the positive examples' weight broadcast to the logits' shape (usually a 1×C row, one per class), PyTorch's <c>pos_weight</c>.</param>
    /// <param name="reduction">Mean (the default), Sum, or None (the logits' shape).</param>
    /// <exception cref="ArgumentException">
    /// The targets' shape differs from the logits'; a weight does not broadcast to it; the reduction is not one of the
    /// enum's. A refused call changes nothing.
    /// </exception>
    public static Tensor<T> BinaryCrossEntropyWithLogits<T>(Tensor<T> logits, Tensor<T> targets, Tensor<T>? weight = null, Tensor<T>? posWeight = null, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string op = "BinaryCrossEntropyWithLogits";
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        CheckBroadcastsTo(op, weight, nameof(weight), logits.Shape);
        CheckBroadcastsTo(op, posWeight, nameof(posWeight), logits.Shape);
        if (reduction is not (Reduction.Mean or Reduction.Sum or Reduction.None))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction),
                string.Create(CultureInfo.InvariantCulture, $"{op}: reduction {(int)reduction} is not Reduction.Mean, Reduction.Sum or Reduction.None."));
        }
        if (weight is not null)
        {
            Tensor<T>.RefuseDisposed(op, weight);
        }
        if (posWeight is not null)
        {
            Tensor<T>.RefuseDisposed(op, posWeight);
        }
        Tensor<T> elements = logits.BinaryCrossEntropyWithLogitsElements(targets);
        if (posWeight is not null)
        {
            // (1 − y)·z + (1 + (p − 1)·y)·softplus(−z) = ℓ(z, y) + (p − 1)·y·softplus(−z)
            elements += (posWeight - T.One) * targets * (-logits).Softplus();
        }
        if (weight is not null)
        {
            elements *= weight;
        }
        return reduction switch
        {
            Reduction.Sum => elements.Sum(),
            Reduction.None => elements,
            _ => elements.Mean(),
        };
    }

    /// <summary>Refuses a weight that does not broadcast to <paramref name="shape"/> (each axis equal or 1), by name.</summary>
    private static void CheckBroadcastsTo<T>(string op, Tensor<T>? weight, string name, Shape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (weight is not null && !((weight.Rows == shape.Rows || weight.Rows == 1) && (weight.Cols == shape.Cols || weight.Cols == 1)))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{op}: the {name} is {weight.Shape}, which does not broadcast to the logits' {shape}; give it that shape, a 1×{shape.Cols} row, a {shape.Rows}×1 column or 1×1."), name);
        }
    }
}
