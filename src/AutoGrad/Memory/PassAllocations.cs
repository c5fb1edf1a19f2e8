using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad;

/// <summary>
/// The arrays one backward pass allocated (for gradients and the temporaries of its rules), each with the number of
/// pending-gradient slots holding it: what the pass may give back to <see cref="BufferPool{T}"/> once it is dead.
/// A seed, a forward result or a gradient from an earlier pass is never in here, so never reused; neither is a
/// gradient handed to the caller (<see cref="Keep"/>). The bookkeeping lives here, in the pass's own object, and not
/// on the tensors: passes on several threads through shared tensors never see each other's state.
/// Only arrays the pool would keep (<see cref="BufferPool{T}.MinLength"/> and longer) are tracked, so a pass over
/// small tensors does no bookkeeping at all.
/// </summary>
internal sealed class PassAllocations<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<T[], int> holds = new(ReferenceEqualityComparer.Instance);

    /// <summary>The pool's <see cref="BufferPool{T}.MinimumLength"/> when the pass began (<see cref="Enter"/>).</summary>
    private int minLength = int.MaxValue;

    /// <summary>
    /// Makes <paramref name="allocations"/> the allocations of the pass starting on <paramref name="thread"/> (null:
    /// nothing of this pass may be reused); returns the previous ones, for <see cref="Exit"/>.
    /// </summary>
    public static PassAllocations<T>? Enter(EngineThread<T> thread, PassAllocations<T>? allocations)
    {
        PassAllocations<T>? saved = thread.Pass;
        if (allocations is not null)
        {
            allocations.minLength = thread.Pool.MinimumLength;
        }
        thread.Pass = allocations;
        return saved;
    }

    /// <summary>Restores the allocations saved by <see cref="Enter"/>.</summary>
    public static void Exit(EngineThread<T> thread, PassAllocations<T>? saved) => thread.Pass = saved;

    /// <summary>
    /// True once the pass has allocated an array the pool would keep and not yet given it back or away. While false,
    /// <see cref="Hold"/>, <see cref="Release"/>, <see cref="Keep"/> and <see cref="Recycle"/> have nothing to do, so
    /// the sweep skips them: a pass over small tensors pays one test per gradient for reuse.
    /// </summary>
    public bool IsTracking => holds.Count != 0;

    /// <summary>Notes an array allocated by this pass.</summary>
    public void Allocated(T[] array)
    {
        if (array.Length >= minLength)
        {
            holds[array] = 0;
        }
    }

    /// <summary>One more slot holds <paramref name="gradient"/>.</summary>
    public void Hold(Tensor<T> gradient) => Count(gradient, +1);

    /// <summary>One slot fewer holds <paramref name="gradient"/>.</summary>
    public void Release(Tensor<T> gradient) => Count(gradient, -1);

    /// <summary>The caller keeps <paramref name="gradient"/>: its array is never reused.</summary>
    public void Keep(Tensor<T> gradient)
    {
        if (gradient.StorageOrNull is { } array && array.Length >= minLength)
        {
            holds.Remove(array);
        }
    }

    /// <summary>Gives a dead gradient's array to the pool if this pass allocated it and no slot holds it; the tensor is disposed.</summary>
    public void Recycle(Tensor<T> gradient)
    {
        if (gradient.StorageOrNull is { } array && array.Length >= minLength &&
            holds.TryGetValue(array, out int held) && held == 0)
        {
            holds.Remove(array);
            BufferPool<T>.Return(gradient.GiveUpStorage());
        }
    }

    /// <summary>Forgets everything, for the next pass.</summary>
    public void Clear() => holds.Clear();

    private void Count(Tensor<T> gradient, int delta)
    {
        if (gradient.StorageOrNull is { } array && array.Length >= minLength)
        {
            ref int held = ref CollectionsMarshal.GetValueRefOrNullRef(holds, array);
            if (!Unsafe.IsNullRef(ref held))
            {
                held += delta;
            }
        }
    }
}
