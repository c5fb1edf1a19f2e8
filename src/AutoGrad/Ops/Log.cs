using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise natural logarithm: <c>y = ln x</c>; ln 0 = −∞ and ln of a negative number is NaN, as IEEE 754 says.
    /// Backward: ∂L/∂x = ∂L/∂y / x.
    /// </summary>
    public Tensor<T> Log()
    {
        var result = UnaryForward<LogKernel>(this);
        return Track(result, ShouldRecord(this) ? new LogOperation(this) : null, "Log", this);
    }

    internal readonly struct LogKernel : IUnaryKernel<T>
    {
        public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log(x, d);
    }

    internal sealed class LogOperation(Tensor<T> x) : Operation<T>(x)
    {
        public override string Name => "Log";

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) => new(grad.Div(Inputs[0]));
    }
}
