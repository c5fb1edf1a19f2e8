using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise negation: <c>y = −x</c>; the unary operator <c>-</c>.
    /// Backward: ∂L/∂x = −∂L/∂y.
    /// </summary>
    public Tensor<T> Neg()
    {
        var result = UnaryForward<NegKernel>(this);
        return Track(result, ShouldRecord(this) ? new NegOperation(this) : null, "Neg", this);
    }

    internal readonly struct NegKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Negate(x, d);
    }

    internal sealed class NegOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Neg";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(grad.Neg());
    }
}
