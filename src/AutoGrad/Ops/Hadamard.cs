using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise (Hadamard) product with broadcasting: <c>z = a ∘ b</c>; the operator <c>*</c>.
    /// Backward: ∂L/∂a = ∂L/∂z ∘ b, ∂L/∂b = ∂L/∂z ∘ a, each summed over its broadcast axes.
    /// </summary>
    public Tensor<T> Hadamard(Tensor<T> other)
    {
        var result = BinaryForward<MultiplyKernel>("Hadamard", this, other);
        return Track(result, ShouldRecord(this, other) ? new HadamardOperation(this, other) : null, "Hadamard", this, other);
    }

    internal readonly struct MultiplyKernel : IBinaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);
        public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);
        public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(y, x, d);
    }

    internal sealed class HadamardOperation(Tensor<T> a, Tensor<T> b) : Operation<T>(a, b)
    {
        public override string Name => "Hadamard";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(
            Needs(0) ? grad.Hadamard(Inputs[1]).SumTo(Inputs[0].Shape) : null,
            Needs(1) ? grad.Hadamard(Inputs[0]).SumTo(Inputs[1].Shape) : null);
    }
}
