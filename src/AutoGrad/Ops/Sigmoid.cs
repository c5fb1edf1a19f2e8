using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise logistic sigmoid: <c>y = σ(x) = 1 / (1 + e^−x)</c>; σ(1000) = 1 and σ(−1000) = 0 without NaN.
    /// Backward: ∂L/∂x = ∂L/∂y ∘ y ∘ (1 − y), reusing the result y (σ′ = σ(1 − σ)).
    /// A plain backward pass computes it in one loop (<c>SigmoidGradient</c>); a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> Sigmoid()
    {
        var result = UnaryForward<SigmoidKernel>(this);
        return Track(result, ShouldRecord(this) ? new SigmoidOperation(this) : null, "Sigmoid", this);
    }

    internal readonly struct SigmoidKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => VectorSigmoid.Sigmoid(x, d);
    }

    internal sealed class SigmoidOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Sigmoid";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(UnrecordedGradient<SigmoidGradient<T>>(grad, result) ?? grad.Hadamard(result.Hadamard(T.One - result)));
    }
}
