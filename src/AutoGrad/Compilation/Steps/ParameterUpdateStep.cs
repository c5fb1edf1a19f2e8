using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// One parameter's gradient delivery and optimizer update as a step of the plan. It is placed after the step that
/// finishes the gradient, after the last step that reads the parameter and after the last step that can refuse the
/// call (so a refused call still changes nothing); the first update of a call also runs <see cref="PlanUpdate{T}.Begin"/>.
/// When the caller's input shares a parameter's array (an input made by <c>Detach()</c> of a parameter), steps after
/// the update would read the new values where the eager step reads the old: the plan then defers every update to the
/// end of the call (<see cref="Deferred"/>), as the eager Step runs.
/// </summary>
internal sealed class ParameterUpdateStep<T>(PlanUpdate<T> update, int index, Plan<T>.Delivery delivery, bool begins, PlanBuffer<T> parameter)
    : PlanStep<T>(update.Describe(index), [delivery.Gradient, parameter], parameter, delivery.Parameter.Shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Set for a call in which the updates run after all the other steps instead of in place.</summary>
    public bool Deferred;

    public override void Run()
    {
        if (!Deferred)
        {
            RunNow();
        }
    }

    /// <summary>Delivers the gradient as the parameter's Grad and updates the parameter.</summary>
    public void RunNow()
    {
        if (begins)
        {
            update.Begin();
        }
        Plan<T>.Deliver(in delivery);
        update.Update(index);
    }

    public override string Describe()
    {
        string grad = delivery.Direct ? $"{delivery.Parameter.Describe()}.Grad = {delivery.Gradient} (written in place)" : $"{delivery.Parameter.Describe()}.Grad = {delivery.Gradient}";
        return $"{grad}; {Name}";
    }
}
