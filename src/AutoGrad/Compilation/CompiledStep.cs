using System.Globalization;
using System.Numerics;
using AutoGrad.Compilation;
using AutoGrad.Nn;

namespace AutoGrad;

/// <summary>
/// A training step compiled by <see cref="Tensor.Compile{T}(Func{Tensor{T}, Tensor{T}}, Optimizer{T}?, CompileOptions?)"/>:
/// each <c>Run</c> computes the loss and adds every parameter's gradient into its <see cref="Tensor{T}.Grad"/>, with the
/// same kernels in the same order as <c>loss.Backward()</c> (so the same bits), but as a flat plan of kernel calls over
/// buffers allocated once: no graph, no tensors, no allocation per call.
/// </summary>
/// <remarks>
/// <para>The function is traced (called once with recording on) for each new combination of input shapes; the
/// parameters are the leaves requiring a gradient that the loss depends on, other than the inputs. What the trace
/// saw is what every later call does: control flow that depends on input values (an <c>if</c> on a tensor's value)
/// is frozen, and so is a value read out of a tensor (<c>Item</c>, <c>ToArray</c>) and made into a new one. Every
/// operation is recorded while tracing — also on tensors that require no gradient, under <c>NoGrad</c>, and
/// <c>Detach</c> of a result — so every tensor living outside the function (a frozen layer, a target network) is read
/// on every call; those records pass no gradient. <see cref="CompileOptions.CheckEachCall"/> detects what stays
/// frozen, at the cost of an eager call. A <c>Backward(createGraph: true)</c> inside the function that reaches a
/// tensor living outside it adds into that tensor's <c>Grad</c> on every call, before the loss's gradient, as the eager
/// call does; a function that reads such a <c>Grad</c> back is refused.</para>
/// <para>Gradients are written into one tensor per parameter that the step owns and reuses: a <c>Grad</c> read after
/// one call is overwritten by the next (copy it to keep it). Gradients of intermediate results
/// (<c>RetainGrad</c>) are not kept. Not thread-safe: one compiled step per thread.</para>
/// </remarks>
public sealed class CompiledStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PlanCache<T> cache;
    private readonly Optimizer<T>? optimizer;
    private readonly bool updateInPlan;
    private readonly Action? zeroGrad; // the optimizer's ZeroGrad, made once (no delegate per call)

    internal CompiledStep(Func<Tensor<T>[], Tensor<T>> loss, int arity, Optimizer<T>? optimizer, CompileOptions? options)
    {
        // The library's optimizers update inside the plan; one derived elsewhere is called as ZeroGrad/Step around it.
        updateInPlan = optimizer is { UpdatesEachParameter: true };
        cache = new PlanCache<T>("Tensor.Compile", loss, arity, withBackward: true, options, updateInPlan ? optimizer : null);
        this.optimizer = optimizer;
        zeroGrad = optimizer is null ? null : optimizer.ZeroGrad;
    }

    /// <summary>How many times the function has been traced: once per new combination of input shapes.</summary>
    public int TraceCount => cache.TraceCount;

    /// <summary>The parameters the latest call's trace found (empty before the first call).</summary>
    public IReadOnlyList<Tensor<T>> Parameters => cache.Latest?.Parameters ?? [];

    /// <summary>
    /// Without an optimizer: <c>loss = f(x); loss.Backward()</c>, gradients accumulating. With one (compiled with
    /// <c>optimizer</c>): <c>optimizer.ZeroGrad(); f(x).Backward(); optimizer.Step()</c>. Returns the loss.
    /// </summary>
    public T Run(Tensor<T> x)
    {
        if (cache.Arity != 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"CompiledStep.Run: the compiled function takes {cache.Arity} inputs; got 1."), nameof(x));
        }
        return Step(x, null);
    }

    /// <summary>
    /// Without an optimizer: <c>loss = f(x, y); loss.Backward()</c>, gradients accumulating. With one:
    /// <c>optimizer.ZeroGrad(); f(x, y).Backward(); optimizer.Step()</c>. Returns the loss.
    /// </summary>
    public T Run(Tensor<T> x, Tensor<T> y)
    {
        if (cache.Arity != 2)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"CompiledStep.Run: the compiled function takes {cache.Arity} input; got 2."), nameof(y));
        }
        if (y is null)
        {
            throw new ArgumentNullException(nameof(y), "CompiledStep.Run: the input y is null.");
        }
        return Step(x, y);
    }

    /// <summary>The plan of the latest call as text (one line per kernel call), or a note that there is none yet.</summary>
    public string DescribePlan() => cache.Latest?.Describe() ?? "(not traced yet: call Run first)";

    internal Plan<T>? LatestPlan => cache.Latest;

    private T Step(Tensor<T> x, Tensor<T>? y)
    {
        if (!GradMode.IsEnabled)
        {
            throw new InvalidOperationException(
                "CompiledStep.Run: called inside Tensor.NoGrad(), where loss.Backward() would find nothing recorded; " +
                "close the NoGrad scope around a training step.");
        }
        if (updateInPlan)
        {
            optimizer!.CheckUsable(gradients: false); // before anything changes, as Step would refuse
            return cache.Run("CompiledStep.Run", x, y).Output.Array[0];
        }
        // the optimizer's ZeroGrad only once nothing can refuse the call any more (a refused call changes nothing)
        Plan<T> plan = cache.Run("CompiledStep.Run", x, y, zeroGrad);
        optimizer?.Step();
        return plan.Output.Array[0];
    }
}
