using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// While a training step is being traced, its backward pass is recorded (<c>createGraph</c>) so the compiler sees every
/// kernel the eager pass would run. A recorded backward rule normally builds its gradient from recorded primitives
/// (three operations for σ′); the eager pass runs one fused gradient kernel instead, with different rounding. During
/// a capture the fused kernel is kept and recorded as one <see cref="FusedGradientOperation{T, TKernel}"/>, so the
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
/// A fused backward kernel (<c>d = rule(g, saved)</c>, e.g. σ′: <c>g ⊙ y ⊙ (1 − y)</c>) recorded during a capture.
/// It is a node of the captured graph only; it is never differentiated.
/// </summary>
internal sealed class FusedGradientOperation<T, TKernel>(Tensor<T> grad, Tensor<T> saved) : Operation<T>(grad, saved), IPlanStepSource<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : IGradientKernel<T>
{
    /// <summary>Runs the kernel as the eager pass does and records the result as this operation's.</summary>
    public static Tensor<T> Record(Tensor<T> grad, Tensor<T> saved)
    {
        var result = Tensor<T>.Uninitialized(grad.Shape);
        GradientKernel.Invoke<T, TKernel>(grad.Data, saved.Data, result.Data);
        result.SetCreator(new FusedGradientOperation<T, TKernel>(grad, saved));
        return result;
    }

    public override string Name => KernelName.Of<TKernel>();

    public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad) =>
        throw new NotSupportedException($"{Name}: a captured gradient kernel is not differentiable (internal error: a captured graph was differentiated).");

    public PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape) =>
        new GradientStep<T, TKernel>(inputs[0], inputs[1], output, outputShape);
}

/// <summary>A kernel struct's name without its generic arity, as plan listings show it.</summary>
internal static class KernelName
{
    public static string Of<TKernel>()
    {
        string name = typeof(TKernel).Name;
        int tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }
}
