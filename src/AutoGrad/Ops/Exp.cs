using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise exponential: <c>y = eˣ</c>.
    /// Backward: ∂L/∂x = ∂L/∂y ∘ y, reusing the result y.
    /// </summary>
    public Tensor<T> Exp()
    {
        var result = UnaryForward<ExpKernel>(this);
        return Track(result, ShouldRecord(this) ? new ExpOperation(this) : null, "Exp", this);
    }

    private readonly struct ExpKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => VectorExp.Exp(x, d);
    }

    internal sealed class ExpOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Exp";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(grad.Hadamard(result));
    }
}
