using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise square root: <c>y = √x</c>; √0 = 0, and √x of a negative x is NaN, as IEEE 754 says.
    /// Backward: ∂L/∂x = ∂L/∂y / (2y), reusing the result y (so +∞ at x = 0, as in PyTorch).
    /// A plain backward pass computes it in one loop (<c>SqrtGradient</c>); a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> Sqrt()
    {
        var result = UnaryForward<SqrtKernel>(this);
        return Track(result, ShouldRecord(this) ? new SqrtOperation(this) : null, "Sqrt", this);
    }

    private readonly struct SqrtKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sqrt(x, d);
    }

    internal sealed class SqrtOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Sqrt";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(UnrecordedGradient<SqrtGradient<T>>(grad, result) ?? grad.Div(result * T.CreateChecked(2)));
    }
}
