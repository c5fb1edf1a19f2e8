using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// While a training step is being traced, its backward pass is recorded (<c>createGraph</c>) so the compiler sees every
/// kernel the eager pass would run. A recorded backward rule normally builds its gradient from recorded primitives
/// (three operations for σ′); the eager pass runs one fused gradient kernel instead, with different rounding. During
/// a capture the fused kernel is kept and recorded as one <see cref="CapturedGradientOperation{T, TOp}"/>, so the
/// compiled plan runs exactly the kernels of an eager <c>Backward()</c>.
/// </summary>
internal static class BackwardCapture
{
    [ThreadStatic] private static int depth;

    /// <summary>True while a training step is being traced on this thread.</summary>
    public static bool IsActive => depth != 0;

    /// <summary>Starts a capture on this thread; dispose to end it.</summary>
    public static IDisposable Begin()
    {
        depth++;
        return new GradMode.Scope(static () => depth--);
    }
}

/// <summary>
/// A unary operator's fused backward kernel (<c>d = g ⊙ f′(x, y)</c>) recorded during a capture, with inputs g, x and
/// y. It is a node of the captured graph only; it is never differentiated.
/// </summary>
internal sealed class CapturedGradientOperation<T, TOp>(Tensor<T> grad, Tensor<T> x, Tensor<T> y) : CapturedOperation<T>(grad, x, y)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IUnaryOperator<TOp>
{
    /// <summary>Runs the kernel as the eager pass does and records the result as this operation's.</summary>
    public static Tensor<T> Record(Tensor<T> grad, Tensor<T> x, Tensor<T> y)
    {
        var result = Tensor<T>.Uninitialized(grad.Shape);
        TOp.Gradient<T>(grad.Data, x.Data, y.Data, result.Data);
        result.SetCreator(new CapturedGradientOperation<T, TOp>(grad, x, y));
        return result;
    }

    public override string Name => TOp.Name + "′";

    public override PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape) =>
        new GradientStep<T, TOp>(inputs[0], inputs[1], inputs[2], output, outputShape);
}

/// <summary>
/// Marks an operation that only a capture records (a fused gradient kernel, derivative values read from the data):
/// a node of a compiled step's trace, never created by user code, so the catalogue does not list it.
/// </summary>
internal interface ICaptureOnly;
