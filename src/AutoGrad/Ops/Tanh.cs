using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise hyperbolic tangent: <c>y = tanh(x)</c>.
    /// Backward: ∂L/∂x = ∂L/∂y ∘ (1 − y)(1 + y) = ∂L/∂y ∘ (1 − y²), reusing the result y (the factored form keeps its bits near |y| = 1).
    /// A plain backward pass computes it in one loop (<c>TanhGradient</c>); a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> Tanh()
    {
        var result = UnaryForward<TanhKernel>(this);
        return Track(result, ShouldRecord(this) ? new TanhOperation(this) : null, "Tanh", this);
    }

    private readonly struct TanhKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => VectorTanh.Tanh(x, d);
    }

    internal sealed class TanhOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Tanh";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(UnrecordedGradient<TanhGradient<T>>(grad, result) ?? grad.Hadamard((T.One - result).Hadamard(T.One + result)));
    }
}
