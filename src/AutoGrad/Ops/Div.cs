using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise quotient with broadcasting: <c>z = a / b</c>.
    /// Backward: ∂L/∂a = ∂L/∂z / b, ∂L/∂b = −∂L/∂z ∘ a / b², computed as −∂L/∂z ∘ ((a / b) / b) = −∂L/∂z ∘ (z / b) as
    /// PyTorch does, so that no b² overflows or underflows where the gradient itself is finite; each summed over its broadcast axes.
    /// </summary>
    public Tensor<T> Div(Tensor<T> other)
    {
        var result = BinaryForward<DivideKernel>("Div", this, other);
        return Track(result, ShouldRecord(this, other) ? new DivOperation(this, other) : null, "Div", this, other);
    }

    private readonly struct DivideKernel : IBinaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
        public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
        public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    }

    internal sealed class DivOperation(Tensor<T> a, Tensor<T> b) : Operation<T>(a, b)
    {
        public override string Name => "Div";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad)
        {
            Tensor<T> a = Inputs[0], b = Inputs[1];
            return new(
                Needs(0) ? grad.Div(b).SumTo(a.Shape) : null,
                Needs(1) ? grad.Hadamard(result.Div(b)).Neg().SumTo(b.Shape) : null);
        }
    }
}
