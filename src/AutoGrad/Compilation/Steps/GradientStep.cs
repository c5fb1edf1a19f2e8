using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>d = g ⊙ f′(x, y) element-wise: the operator's fused backward kernel, as the eager backward pass runs it.</summary>
internal sealed class GradientStep<T, TOp>(PlanBuffer<T> g, PlanBuffer<T> x, PlanBuffer<T> y, PlanBuffer<T> d, Shape shape)
    : PlanStep<T>(TOp.Name + "′", [g, x, y], d, shape), IProductEpilogue<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IUnaryOperator<TOp>
{
    /// <summary>
    /// The <paramref name="product"/> computing g and this gradient as one step, the gradient's vector form in the
    /// product's epilogue (<see cref="GradientEpilogue{T, TOp}"/>); null where the operator has no vector gradient, the
    /// product does not take an epilogue, or g is not the product's result alone. The caller makes sure nothing else
    /// reads the product's result.
    /// </summary>
    public PlanStep<T>? AfterProduct(MatMulStep<T> product)
    {
        if (!TOp.HasGradientVector || !product.TakesEpilogue || Shape != product.Shape || !ReferenceEquals(g, product.Writes)
            || ReferenceEquals(x, product.Writes) || ReferenceEquals(y, product.Writes) || Array.IndexOf(product.Reads, Writes) >= 0
            || ReferenceEquals(y, Writes))
        {
            return null;
        }
        return product.WithEpilogue<GradientEpilogue<T, TOp>>($"{Name}(·, {x.Label}, {y.Label})", this, null, y);
    }

    public override void Run() => TOp.Gradient<T>(g.Array, x.Array, y.Array, Writes.Array);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length) =>
        TOp.Gradient<T>(Band(g, start, length), Band(x, start, length), Band(y, start, length), Band(Writes, start, length));
}
