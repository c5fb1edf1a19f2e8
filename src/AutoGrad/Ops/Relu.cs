using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise rectifier: <c>y = max(x, 0)</c>.
    /// Backward: ∂L/∂x = ∂L/∂y ∘ [x &gt; 0]; at the kink x = 0 the derivative is taken as 0, as in PyTorch.
    /// A plain backward pass computes it in one loop (<c>ReluGradient</c>); a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> Relu()
    {
        var result = UnaryForward<ReluKernel>(this);
        return Track(result, ShouldRecord(this) ? new ReluOperation(this) : null, "Relu", this);
    }

    /// <summary>The step function [x &gt; 0] as a constant tensor of 1s and 0s (the derivative of ReLU).</summary>
    internal Tensor<T> PositiveMask()
    {
        var mask = Uninitialized(Shape);
        mask.Name = $"relu′({Name ?? "·"})"; // how a formula read off the backward graph shows it
        ReadOnlySpan<T> x = Data;
        Span<T> m = mask.Data;
        for (int i = 0; i < x.Length; i++)
        {
            m[i] = x[i] > T.Zero ? T.One : T.Zero;
        }
        return mask;
    }

    internal readonly struct ReluKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Max(x, T.Zero, d);
    }

    internal sealed class ReluOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Relu";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(UnrecordedGradient<ReluGradient<T>>(grad, Inputs[0]) ?? grad.Hadamard(Inputs[0].PositiveMask()));
    }
}
