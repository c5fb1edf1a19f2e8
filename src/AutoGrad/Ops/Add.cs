using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise sum with broadcasting: <c>z = a + b</c>.
    /// Backward: ∂L/∂a = ∂L/∂z and ∂L/∂b = ∂L/∂z, each summed over the axes along which it was broadcast.
    /// </summary>
    public Tensor<T> Add(Tensor<T> other)
    {
        var result = BinaryForward<AddKernel>("Add", this, other);
        return Track(result, ShouldRecord(this, other) ? new AddOperation(this, other) : null, "Add", this, other);
    }

    internal readonly struct AddKernel : IBinaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(x, y, d);
        public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Add(x, y, d);
        public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(y, x, d);
    }

    internal sealed class AddOperation(Tensor<T> a, Tensor<T> b) : Operation<T>(a, b)
    {
        public override string Name => "Add";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(
            Needs(0) ? grad.SumTo(Inputs[0].Shape) : null,
            Needs(1) ? grad.SumTo(Inputs[1].Shape) : null);
    }
}
