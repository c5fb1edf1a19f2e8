using System.Numerics;
using System.Runtime.CompilerServices;

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
    /// <summary>
    /// The arrays and their hold counts: open addressing on the array's identity hash, linear probing, a power of two
    /// at most half full (live entries and <see cref="Removed"/> marks together). Cheaper than a Dictionary with a
    /// reference comparer, whose every lookup is two interface calls; a gradient is looked up four or five times.
    /// </summary>
    private T[]?[] keys = new T[]?[16];
    private int[] counts = new int[16];

    /// <summary>Live entries.</summary>
    private int live;

    /// <summary>Live entries and removal marks: the part of <see cref="keys"/> a lookup may have to walk.</summary>
    private int used;

    /// <summary>Marks a removed entry, so that lookups walk on past it.</summary>
    private static readonly T[] Removed = [];

    /// <summary>The pool of the thread the pass runs on (set by <see cref="Enter"/>).</summary>
    private BufferPool<T>? pool;

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
            allocations.pool = thread.Pool;
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
    public bool IsTracking => live != 0;

    /// <summary>Notes an array allocated by this pass.</summary>
    public void Allocated(T[] array)
    {
        if (array.Length >= minLength)
        {
            if (Find(array) is int at and >= 0)
            {
                counts[at] = 0; // cannot happen while arrays go to the pool only once dead; as a Dictionary's [] = 0 would
                return;
            }
            Add(array);
        }
    }

    /// <summary>One more slot holds <paramref name="gradient"/>.</summary>
    public void Hold(Tensor<T> gradient) => Count(gradient, +1);

    /// <summary>One slot fewer holds <paramref name="gradient"/>.</summary>
    public void Release(Tensor<T> gradient) => Count(gradient, -1);

    /// <summary>The caller keeps <paramref name="gradient"/>: its array is never reused.</summary>
    public void Keep(Tensor<T> gradient)
    {
        if (gradient.StorageOrNull is { } array && array.Length >= minLength && Find(array) is int at and >= 0)
        {
            Remove(at);
        }
    }

    /// <summary>Gives a dead gradient's array to the pool if this pass allocated it and no slot holds it; the tensor is disposed.</summary>
    public void Recycle(Tensor<T> gradient)
    {
        if (gradient.StorageOrNull is { } array && array.Length >= minLength &&
            Find(array) is int at and >= 0 && counts[at] == 0)
        {
            Remove(at);
            pool!.ReturnArray(gradient.GiveUpStorage());
        }
    }

    /// <summary>Forgets everything, for the next pass.</summary>
    public void Clear()
    {
        if (used != 0)
        {
            Array.Clear(keys);
            live = 0;
            used = 0;
        }
        pool = null;
    }

    private void Count(Tensor<T> gradient, int delta)
    {
        if (gradient.StorageOrNull is { } array && array.Length >= minLength && Find(array) is int at and >= 0)
        {
            counts[at] += delta;
        }
    }

    /// <summary>Where <paramref name="array"/> is in <see cref="keys"/>, or −1.</summary>
    private int Find(T[] array)
    {
        T[]?[] table = keys;
        int mask = table.Length - 1;
        for (int i = RuntimeHelpers.GetHashCode(array) & mask; ; i = (i + 1) & mask)
        {
            T[]? key = table[i];
            if (key is null)
            {
                return -1;
            }
            if (ReferenceEquals(key, array))
            {
                return i;
            }
        }
    }

    private void Add(T[] array)
    {
        if (2 * (used + 1) > keys.Length)
        {
            Rehash();
        }
        T[]?[] table = keys;
        int mask = table.Length - 1;
        int i = RuntimeHelpers.GetHashCode(array) & mask;
        while (table[i] is not null)
        {
            i = (i + 1) & mask;
        }
        table[i] = array;
        counts[i] = 0;
        live++;
        used++;
    }

    private void Remove(int at)
    {
        keys[at] = Removed;
        live--;
    }

    /// <summary>Rebuilds the table without removal marks, twice as large if more than a quarter of it is live.</summary>
    private void Rehash()
    {
        T[]?[] oldKeys = keys;
        int[] oldCounts = counts;
        int size = 4 * (live + 1) > oldKeys.Length ? 2 * oldKeys.Length : oldKeys.Length;
        keys = new T[]?[size];
        counts = new int[size];
        int mask = size - 1;
        for (int j = 0; j < oldKeys.Length; j++)
        {
            if (oldKeys[j] is { } key && !ReferenceEquals(key, Removed))
            {
                int i = RuntimeHelpers.GetHashCode(key) & mask;
                while (keys[i] is not null)
                {
                    i = (i + 1) & mask;
                }
                keys[i] = key;
                counts[i] = oldCounts[j];
            }
        }
        used = live;
    }
}
