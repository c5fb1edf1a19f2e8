using System.Numerics;
using AutoGrad.Compilation;

namespace AutoGrad;

/// <summary>
/// A function compiled for inference by <see cref="Tensor.CompileForward{T}(Func{Tensor{T}, Tensor{T}}, CompileOptions?)"/>:
/// the forward pass only, as a flat plan of the eager kernels over buffers allocated once. Nothing is recorded.
/// </summary>
/// <remarks>
/// <see cref="Run"/> returns a tensor the compiled function owns and overwrites on the next call with the same input
/// shape (copy it to keep it). The limits of <see cref="CompiledStep{T}"/> apply: one trace per input shape, control
/// flow and values read out of tensors (<c>Item</c>) frozen by the trace, every tensor living outside the function read
/// on every call, one caller at a time.
/// </remarks>
public sealed class CompiledForward<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PlanCache<T> cache;
    private readonly Dictionary<Plan<T>, Tensor<T>> outputs = new(ReferenceEqualityComparer.Instance);

    internal CompiledForward(Func<Tensor<T>[], Tensor<T>> function, CompileOptions? options)
    {
        cache = new PlanCache<T>("Tensor.CompileForward", function, 1, withBackward: false, options);
    }

    /// <summary>How many times the function has been traced: once per new input shape.</summary>
    public int TraceCount => cache.TraceCount;

    /// <summary>
    /// f(x), in a tensor owned by this compiled function (valid until its next call with this shape). Each call writes it
    /// in place and bumps its <see cref="Tensor{T}.Version"/>, so a graph recorded on an earlier result is refused by
    /// <c>Backward</c> instead of differentiating the new values.
    /// </summary>
    public Tensor<T> Run(Tensor<T> x)
    {
        Plan<T> plan = cache.Run("CompiledForward.Run", x, null);
        if (!outputs.TryGetValue(plan, out Tensor<T>? output))
        {
            outputs[plan] = output = new Tensor<T>(plan.OutputShape, new T[plan.OutputShape.Length], "compiled output");
        }
        plan.Output.Array.AsSpan().CopyTo(output.Data);
        output.BumpVersion(); // written in place: a graph recorded on the previous result refuses to back-propagate it
        return output;
    }

    /// <summary>The plan of the latest call as text, or a note that there is none yet.</summary>
    public string DescribePlan() => cache.Latest?.Describe() ?? "(not traced yet: call Run first)";
}
