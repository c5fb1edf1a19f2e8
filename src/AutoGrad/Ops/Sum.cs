using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Sum of all elements: <c>s = Σᵢⱼ xᵢⱼ</c>, a 1×1 tensor.
    /// Backward: ∂L/∂x = ∂L/∂s repeated over x's shape.
    /// </summary>
    public Tensor<T> Sum()
    {
        var result = Uninitialized(new Shape(1, 1));
        result.Data[0] = TensorPrimitives.Sum<T>(Data);
        return Track(result, ShouldRecord(this) ? new SumOperation(this) : null, "Sum", this);
    }

    internal sealed class SumOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Sum";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(grad.BroadcastTo(Inputs[0].Shape));
    }
}
