using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise sine (radians): <c>y = sin x</c>.
    /// Backward: ∂L/∂x = ∂L/∂y ∘ cos x.
    /// </summary>
    public Tensor<T> Sin()
    {
        var result = UnaryForward<SinKernel>(this);
        return Track(result, ShouldRecord(this) ? new SinOperation(this) : null, "Sin", this);
    }

    private readonly struct SinKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sin(x, d);
    }

    internal sealed class SinOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Sin";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(grad.Hadamard(Inputs[0].Cos()));
    }
}
