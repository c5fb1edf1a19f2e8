using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise absolute value: <c>y = |x|</c>.
    /// Backward: ∂L/∂x = ∂L/∂y ∘ sign(x), with sign(0) = 0 as in PyTorch (the subgradient 0 at the kink).
    /// A plain backward pass computes it in one loop (<c>AbsGradient</c>); a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> Abs()
    {
        var result = UnaryForward<AbsKernel>(this);
        return Track(result, ShouldRecord(this) ? new AbsOperation(this) : null, "Abs", this);
    }

    /// <summary>sign(x) as a constant tensor of −1, 0 and 1 (the derivative of |x|).</summary>
    internal Tensor<T> SignMask()
    {
        var mask = Uninitialized(Shape);
        mask.Name = $"sign({Name ?? "·"})"; // how a formula read off the backward graph shows it
        ReadOnlySpan<T> x = Data;
        Span<T> m = mask.Data;
        for (int i = 0; i < x.Length; i++)
        {
            m[i] = x[i] > T.Zero ? T.One : x[i] < T.Zero ? -T.One : T.Zero;
        }
        return mask;
    }

    private readonly struct AbsKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Abs(x, d);
    }

    internal sealed class AbsOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Abs";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(UnrecordedGradient<AbsGradient<T>>(grad, Inputs[0]) ?? grad.Hadamard(Inputs[0].SignMask()));
    }
}
