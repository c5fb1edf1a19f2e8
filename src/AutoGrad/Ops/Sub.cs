using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise difference with broadcasting: <c>z = a − b</c>.
    /// Backward: ∂L/∂a = ∂L/∂z, ∂L/∂b = −∂L/∂z, each summed over its broadcast axes.
    /// </summary>
    public Tensor<T> Sub(Tensor<T> other)
    {
        var result = BinaryForward<SubKernel>("Sub", this, other);
        return Track(result, ShouldRecord(this, other) ? new SubOperation(this, other) : null, "Sub", this, other);
    }

    internal readonly struct SubKernel : IBinaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
        public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
        public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
    }

    internal sealed class SubOperation(Tensor<T> a, Tensor<T> b) : Operation<T>(a, b)
    {
        public override string Name => "Sub";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(
            Needs(0) ? grad.SumTo(Inputs[0].Shape) : null,
            Needs(1) ? grad.Neg().SumTo(Inputs[1].Shape) : null);
    }
}
