using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Transpose: <c>Y = Xᵀ</c>, an n×m tensor from an m×n one.
    /// Backward: ∂L/∂X = (∂L/∂Y)ᵀ.
    /// </summary>
    public Tensor<T> Transpose()
    {
        var result = Uninitialized(Shape.Transposed);
        TransposeKernel.Transpose<T>(Data, Shape, result.Data);
        return Track(result, ShouldRecord(this) ? new TransposeOperation(this) : null, "Transpose", this);
    }

    internal sealed class TransposeOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Transpose";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(grad.Transpose());
    }
}
