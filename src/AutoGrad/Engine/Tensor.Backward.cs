using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Computes d(this)/d(t) for every tensor t behind this one that requires a gradient, and adds it to
    /// <c>t.Grad</c> (gradients accumulate across calls, as in PyTorch; <see cref="ZeroGrad"/> resets).
    /// Leaves keep their gradient; intermediate results keep it only after <see cref="RetainGrad"/>.
    /// The graph is kept, so calling Backward again on the same graph accumulates the same gradients again.
    /// All or nothing: a refused pass (an input changed in place since it was recorded, a disposed tensor, a wrong
    /// seed) changes no gradient. Backward may run on several threads at once over shared tensors; each contribution
    /// to a shared tensor's Grad is added under that tensor's lock.
    /// </summary>
    /// <param name="seed">∂L/∂this, of this tensor's shape; may be omitted only for a 1×1 tensor (then it is 1).</param>
    /// <param name="createGraph">Record the backward pass too, so each gradient can itself be differentiated.</param>
    public void Backward(Tensor<T>? seed = null, bool createGraph = false)
    {
        Tensor<T> start = CheckBackwardStart(seed);
        // Each Grad gets an array of its own (not the caller's seed, not the one Add passed to both operands): a write
        // into one Grad, or into the seed afterwards, changes no other (adv16; PyTorch copies there too). A recorded pass
        // copies only constant gradients: a recorded one keeps its graph.
        BackwardPass<T>.Run(this, start, createGraph,
            static t => t.RetainsGrad,
            static (t, g) => t.AccumulateGrad(g), distinctDeliveries: true);
    }

    /// <summary>
    /// Grad += contribution, under this tensor's lock: when backward passes on several threads reach one tensor (a
    /// shared parameter), every contribution is added, one at a time, in an unspecified order — as PyTorch does. While a
    /// function is traced for compilation, a write into a tensor living outside it is noted for the plan to repeat on
    /// every call (<see cref="Compilation.TracedGradWrites{T}"/>), and undone when the trace ends.
    /// </summary>
    private void AccumulateGrad(Tensor<T> contribution)
    {
        lock (GradLock)
        {
            Tensor<T>? previous = Grad;
            Grad = previous is null ? contribution : previous.Add(contribution);
            if (Compilation.TracedGradWrites<T>.Collects(this))
            {
                Compilation.TracedGradWrites<T>.Note(this, contribution, previous, Grad);
            }
        }
    }

    /// <summary>Validates a backward start and returns the seed (1 for a 1×1 tensor when none is given).</summary>
    /// <param name="seed">The caller's seed, or null.</param>
    /// <param name="caller">The public method the caller called (<c>Backward</c>, <c>Autograd.Grad</c>), named by every refusal.</param>
    internal Tensor<T> CheckBackwardStart(Tensor<T>? seed, string caller = "Backward")
    {
        if (!RequiresGrad)
        {
            throw new InvalidOperationException(
                $"{caller}: nothing in the graph of {Describe()} requires a gradient. " +
                "Create the parameters with requiresGrad: true (and not inside Tensor.NoGrad()).");
        }
        if (seed is null)
        {
            if (!Shape.IsScalar)
            {
                throw new InvalidOperationException(
                    $"{caller}: {Describe()} is not a scalar; pass a seed of shape {Shape} (∂L/∂this), " +
                    "or reduce it first, e.g. with Sum() or Mean().");
            }
            return Constant(T.One);
        }
        if (seed.Shape != Shape)
        {
            throw new ArgumentException($"{caller}: the seed is {seed.Shape} but {Describe()} is {Shape}; they must match.", nameof(seed));
        }
        RefuseDisposed(caller, seed); // a seed handed back as a gradient (y = x) would be a disposed gradient
        return seed;
    }
}
