using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise clamp to [<paramref name="min"/>, <paramref name="max"/>]: <c>y = min(max(x, min), max)</c>; NaN stays NaN.
    /// Give <c>T.NegativeInfinity</c> or <c>T.PositiveInfinity</c> for a one-sided clamp.
    /// Backward: ∂L/∂x = ∂L/∂y ∘ [min ≤ x ≤ max] — the gradient passes at the bounds themselves, as in PyTorch.
    /// </summary>
    public Tensor<T> Clamp(T min, T max)
    {
        if (T.IsNaN(min) || T.IsNaN(max) || min > max)
        {
            throw new ArgumentException($"Clamp: need min ≤ max (and neither NaN); got min {min}, max {max} for a {Shape} tensor.");
        }
        var result = Uninitialized(Shape);
        TensorPrimitives.Max(Data, min, result.Data);
        TensorPrimitives.Min(result.Data, max, result.Data);
        return Track(result, ShouldRecord(this) ? new ClampOperation(this, min, max) : null, ClampName(min, max), this);
    }

    /// <summary>Element-wise clamp with bounds given as <c>double</c> (converted to <typeparamref name="T"/>); see <see cref="Clamp(T, T)"/>.</summary>
    public Tensor<T> Clamp(double min, double max) => Clamp(T.CreateChecked(min), T.CreateChecked(max));

    private static string ClampName(T min, T max) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Clamp({min}, {max})");

    internal sealed class ClampOperation(Tensor<T> x, T min, T max) : Operation<T>(x)
    {
        public override string Name => ClampName(min, max);

        public T Min => min;

        public T Max => max;

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(grad.Hadamard(InsideMask()));

        /// <summary>[min ≤ x ≤ max] as a constant tensor of 1s and 0s.</summary>
        private Tensor<T> InsideMask()
        {
            Tensor<T> x = Inputs[0];
            var mask = Uninitialized(x.Shape);
            mask.Name = $"clamp′({x.Name ?? "·"})"; // how a formula read off the backward graph shows it
            ReadOnlySpan<T> v = x.Data;
            Span<T> m = mask.Data;
            for (int i = 0; i < v.Length; i++)
            {
                m[i] = v[i] >= min && v[i] <= max ? T.One : T.Zero;
            }
            return mask;
        }
    }
}
