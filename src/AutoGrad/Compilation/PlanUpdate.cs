using System.Numerics;
using AutoGrad.Nn;

namespace AutoGrad.Compilation;

/// <summary>
/// The optimizer's update inside a compiled step: what <c>optimizer.ZeroGrad()</c> before the backward pass and
/// <c>optimizer.Step()</c> after it do, run on the gradients the plan computes. The optimizer's own per-parameter
/// update runs (<see cref="Optimizer{T}.UpdateParameter"/>, the code its Step runs), so the parameters and the
/// optimizer's state get the same bits as the eager calls; what goes is the per-call overhead around it (clearing and
/// re-creating gradients, finding each parameter's gradient, one more pass over the parameter list). Each parameter's
/// update is a step of the plan of its own (<see cref="ParameterUpdateStep{T}"/>), placed where its gradient is final
/// and nothing reads the parameter any more, so it runs while the gradient is still in cache.
/// </summary>
internal sealed class PlanUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Optimizer<T> optimizer;
    private readonly int[] indices;
    private readonly Tensor<T>[] gradients;
    private readonly Tensor<T>[] cleared;

    /// <param name="optimizer">An optimizer that <see cref="Optimizer{T}.UpdatesEachParameter"/>.</param>
    /// <param name="indices">The optimizer's indices of the parameters the plan computes a gradient for, ascending.</param>
    /// <param name="gradients">Their gradients (the tensors the plan delivers as their Grad), in the same order.</param>
    /// <param name="cleared">The optimizer's other parameters: ZeroGrad leaves them without a gradient, so Step skips them.</param>
    public PlanUpdate(Optimizer<T> optimizer, int[] indices, Tensor<T>[] gradients, Tensor<T>[] cleared)
    {
        this.optimizer = optimizer;
        this.indices = indices;
        this.gradients = gradients;
        this.cleared = cleared;
    }

    /// <summary>How many parameters the plan updates.</summary>
    public int Count => indices.Length;

    /// <summary>ZeroGrad's effect on the parameters outside the plan, and the optimizer's constants for this step.</summary>
    public void Begin()
    {
        foreach (Tensor<T> p in cleared)
        {
            if (p.Grad is not null)
            {
                p.ZeroGrad();
            }
        }
        optimizer.BeginStep();
    }

    /// <summary>Step's update of the <paramref name="i"/>-th updated parameter from its delivered gradient (after <see cref="Begin"/>).</summary>
    public void Update(int i) => optimizer.UpdateParameter(indices[i], gradients[i].Data);

    /// <summary>The line of a plan listing for the <paramref name="i"/>-th update.</summary>
    public string Describe(int i) => $"{optimizer.GetType().Name.Split('`')[0]} update of {optimizer.Parameters[indices[i]].Describe()} from its Grad";

    /// <summary>The lines of a plan listing for the parameters the update clears.</summary>
    public IEnumerable<string> DescribeCleared() => cleared.Select(p => $"{p.Describe()}.Grad = null (not in the traced function)");
}
