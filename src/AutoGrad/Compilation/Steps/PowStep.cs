using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>d = xᵖ element-wise with a constant exponent, with the kernel <c>Tensor.Pow</c> runs (<see cref="PowKernel"/>).</summary>
internal sealed class PowStep<T>(string name, PlanBuffer<T> x, double exponent, PlanBuffer<T> d, Shape shape)
    : PlanStep<T>(name, [x], d, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => PowKernel.Pow<T>(x.Array, exponent, Writes.Array);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length) => PowKernel.Pow<T>(Band(x, start, length), exponent, Band(Writes, start, length));
}

/// <summary>
/// d = g ⊙ c · x^q element-wise with <see cref="PowKernel"/>'s gradient kernel: Pow's fused backward (c = p, q = p − 1)
/// as the eager backward pass runs it, and the recorded PowGradient operation (Pow's derivatives of any order).
/// </summary>
internal sealed class PowGradientStep<T>(string name, PlanBuffer<T> g, PlanBuffer<T> x, double c, double q, PlanBuffer<T> d, Shape shape)
    : PlanStep<T>(name, [g, x], d, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => PowKernel.Gradient<T>(g.Array, x.Array, c, q, Writes.Array);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length) =>
        PowKernel.Gradient<T>(Band(g, start, length), Band(x, start, length), c, q, Band(Writes, start, length));
}

/// <summary>Pow's fused backward kernel recorded during a capture (<see cref="BackwardCapture"/>); never differentiated.</summary>
internal sealed class CapturedPowGradientOperation<T>(Tensor<T> grad, Tensor<T> x, double exponent) : CapturedOperation<T>(grad, x)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Runs the kernel as the eager pass does and records the result as this operation's.</summary>
    public static Tensor<T> Record(Tensor<T> grad, Tensor<T> x, double exponent)
    {
        var result = Tensor<T>.Uninitialized(grad.Shape);
        PowKernel.Gradient<T>(grad.Data, x.Data, exponent, result.Data);
        result.SetCreator(new CapturedPowGradientOperation<T>(grad, x, exponent));
        return result;
    }

    public override string Name => FormattableString.Invariant($"Pow({exponent})′");

    public override PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape) =>
        new PowGradientStep<T>(Name, inputs[0], inputs[1], exponent, exponent - 1, output, outputShape);
}
