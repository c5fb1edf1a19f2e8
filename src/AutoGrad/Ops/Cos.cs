using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise cosine (radians): <c>y = cos x</c>.
    /// Backward: ∂L/∂x = −∂L/∂y ∘ sin x.
    /// </summary>
    public Tensor<T> Cos()
    {
        var result = UnaryForward<CosKernel>(this);
        return Track(result, ShouldRecord(this) ? new CosOperation(this) : null, "Cos", this);
    }

    private readonly struct CosKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Cos(x, d);
    }

    internal sealed class CosOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Cos";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(grad.Hadamard(Inputs[0].Sin()).Neg());
    }
}
