using System.Numerics;
using AutoGrad.Nn;

namespace AutoGrad.Compilation;

/// <summary>
/// The optimizer's update as the last part of a compiled step: what <c>optimizer.ZeroGrad()</c> before the backward
/// pass and <c>optimizer.Step()</c> after it do, run on the gradients the plan just computed. The optimizer's own
/// per-parameter update runs (<see cref="Optimizer{T}.UpdateParameter"/>, the code its Step runs), so the parameters
/// and the optimizer's state get the same bits as the eager calls; what goes is the per-call overhead around it
/// (clearing and re-creating gradients, finding each parameter's gradient, one more pass over the parameter list).
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

    /// <summary>Refuses the call (before anything changes) if a parameter was disposed with its scope, as Step would.</summary>
    public void Check() => optimizer.CheckUsable(gradients: false);

    /// <summary>ZeroGrad's effect on the parameters outside the plan, then Step's update of those inside it.</summary>
    public void Run()
    {
        foreach (Tensor<T> p in cleared)
        {
            if (p.Grad is not null)
            {
                p.ZeroGrad();
            }
        }
        optimizer.BeginStep();
        int[] ix = indices;
        Tensor<T>[] gs = gradients;
        for (int i = 0; i < ix.Length; i++)
        {
            optimizer.UpdateParameter(ix[i], gs[i].Data);
        }
    }

    /// <summary>The update as lines of a plan listing.</summary>
    public IEnumerable<string> Describe() =>
        indices.Select(i => $"{optimizer.GetType().Name.Split('`')[0]} update of {optimizer.Parameters[i].Describe()} from its Grad")
            .Concat(cleared.Select(p => $"{p.Describe()}.Grad = null (not in the traced function)"));
}
