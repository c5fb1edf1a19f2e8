using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Mean of all elements: <c>m = (1/n) Σᵢⱼ xᵢⱼ</c> with n = Rows · Cols, a 1×1 tensor.
    /// Composed of <see cref="Sum()"/> and a scalar product, so its backward is theirs: ∂L/∂x = ∂L/∂m / n everywhere.
    /// </summary>
    public Tensor<T> Mean() => Sum() * (T.One / T.CreateChecked(Length));
}
