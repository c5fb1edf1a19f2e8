using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise power with a constant exponent: <c>y = xᵖ</c>.
    /// Backward: ∂L/∂x = ∂L/∂y ∘ p · xᵖ⁻¹ (zero for p = 0, as in PyTorch, rather than 0 · x⁻¹). A plain backward pass
    /// computes it in one loop (<c>PowKernel.Gradient</c>) that stays finite where xᵖ⁻¹ alone overflows or underflows
    /// but the gradient does not; a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> Pow(T exponent)
    {
        var result = Uninitialized(Shape);
        PowKernel.Pow<T>(Data, exponent, result.Data);
        return Track(result, ShouldRecord(this) ? new PowOperation(this, exponent) : null, $"Pow({exponent})", this);
    }

    internal sealed class PowOperation(Tensor<T> x, T exponent) : Operation<T>(x)
    {
        public override string Name => $"Pow({exponent})";

        public T Exponent => exponent;

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad)
        {
            if (exponent == T.Zero)
            {
                return new(Zeros(Inputs[0].Shape));
            }
            if (!ShouldRecord(grad, Inputs[0]))
            {
                var gradient = Uninitialized(grad.Shape);
                PowKernel.Gradient<T>(grad.Data, Inputs[0].Data, exponent, gradient.Data);
                return new(gradient);
            }
            return new(grad.Hadamard(Inputs[0].Pow(exponent - T.One)) * exponent);
        }
    }
}
