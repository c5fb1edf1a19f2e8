using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise square: <c>y = x²</c>.
    /// Backward: ∂L/∂x = 2 · ∂L/∂y ∘ x.
    /// A plain backward pass computes it in one loop (<c>SquareGradient</c>); a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> Square()
    {
        var result = UnaryForward<SquareKernel>(this);
        return Track(result, ShouldRecord(this) ? new SquareOperation(this) : null, "Square", this);
    }

    internal readonly struct SquareKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Multiply(x, x, d);
    }

    internal sealed class SquareOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Square";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(UnrecordedGradient<SquareGradient<T>>(grad, Inputs[0]) ?? grad.Hadamard(Inputs[0]) * T.CreateChecked(2));
    }
}
