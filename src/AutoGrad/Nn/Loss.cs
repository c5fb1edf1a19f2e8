using System.Globalization;
using System.Numerics;

namespace AutoGrad.Nn;

/// <summary>
/// The squared-error losses of the notes: the residual ŷ − y, then s · Σ r² in one operation whose value is finite
/// wherever the loss is (a square of a residual may overflow where the mean of the squares does not). ŷ is the
/// prediction, y the target; both must have the same shape. N is the number of rows (examples in the batch).
/// </summary>
public static partial class Loss
{
    /// <summary>½‖y − ŷ‖² (notes 000 and 002, and 003's ∂L/∂ŷ = ŷ − y): ∂L/∂ŷ = ŷ − y.</summary>
    public static Tensor<T> HalfSumSquared<T>(Tensor<T> prediction, Tensor<T> target)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Residual("HalfSumSquared", prediction, target).ScaledSumOfSquares(T.CreateChecked(0.5));

    /// <summary>1/(2N) · Σ (y − ŷ)² (note 001, eq. 1): ∂L/∂ŷ = (ŷ − y) / N.</summary>
    public static Tensor<T> HalfMeanSquared<T>(Tensor<T> prediction, Tensor<T> target)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Residual("HalfMeanSquared", prediction, target).ScaledSumOfSquares(T.One / T.CreateChecked(2 * prediction.Rows));

    /// <summary>‖y − ŷ‖², no ½ (note 004, eq. 7): ∂L/∂ŷ = 2(ŷ − y).</summary>
    public static Tensor<T> SumSquared<T>(Tensor<T> prediction, Tensor<T> target)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Residual("SumSquared", prediction, target).ScaledSumOfSquares(T.One);

    /// <summary>Mean squared error over every element, (1/(N·C)) Σ (y − ŷ)², as PyTorch's MSELoss.</summary>
    public static Tensor<T> MeanSquaredError<T>(Tensor<T> prediction, Tensor<T> target)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Residual("MeanSquaredError", prediction, target).ScaledSumOfSquares(T.One / T.CreateChecked(prediction.Shape.Length));

    private static Tensor<T> Residual<T>(string loss, Tensor<T> prediction, Tensor<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Shape != target.Shape)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{loss}: the prediction is {prediction.Shape} but the target is {target.Shape}; they must match."), nameof(target));
        }
        Tensor<T>.RefuseDisposed(loss, prediction, target);
        return prediction - target;
    }
}
