using System.Numerics;

namespace AutoGrad;

/// <summary>
/// Reuses arrays whose tensors are dead: intermediate gradients of a backward pass once used, and the results of a
/// <see cref="TensorScope"/> that has ended. Every operation allocates its result, and a freshly allocated array is
/// cold: the garbage collector hands out new memory on every call, so writing a result first pulls each of its cache
/// lines in from far away. The next result of the same length — in this pass, this step or the next one — is written
/// into memory that is still in cache. Results are taken from here only inside a backward pass or a scope.
/// </summary>
/// <remarks>
/// Two sources, each making reuse invisible: a backward pass returns an intermediate gradient it allocated itself
/// once nothing holds it (<see cref="PassAllocations{T}"/> keeps that account), and a <see cref="TensorScope"/>
/// returns the arrays of the results it still holds when it ends. Either way the tensor is disposed, so reading it
/// afterwards throws instead of showing reused memory. The pool is per thread (one instance in each thread's
/// <see cref="EngineThread{T}"/>; the static members act on this thread's) and bounded, and knows only arrays.
/// </remarks>
internal sealed class BufferPool<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Shorter arrays are neither kept nor looked for: the allocator carves them out of memory it has just touched,
    /// so they are in cache already, and a search of the pool would cost more than it saves.
    /// </summary>
    private const int DefaultMinLength = 256;

    /// <summary>At most this many arrays are kept per thread.</summary>
    private const int MaxArrays = 32;

    /// <summary>At most this many elements in all (128 MB of doubles) are kept per thread.</summary>
    private const long MaxElements = 1L << 24;

    private T[]?[]? arrays;
    private int count;
    private long elements;
    private int minLengthOverride;

    /// <summary>This thread's pool.</summary>
    private static BufferPool<T> OnThisThread => EngineThread.Current.Of<T>().Pool;

    /// <summary>Arrays shorter than this are neither kept nor looked for (on this thread).</summary>
    public static int MinLength => OnThisThread.MinimumLength;

    /// <summary>For tests: a different minimum length on this thread (0: the default, 256).</summary>
    internal static int MinLengthOnThisThread
    {
        get => OnThisThread.minLengthOverride;
        set => OnThisThread.minLengthOverride = value;
    }

    /// <summary>For tests: passes on this thread reuse nothing, giving the reference to compare reuse against.</summary>
    internal static bool DisabledOnThisThread
    {
        get => OnThisThread.Disabled;
        set => OnThisThread.Disabled = value;
    }

    /// <summary>Arrays shorter than this are neither kept nor looked for.</summary>
    public int MinimumLength => minLengthOverride > 0 ? minLengthOverride : DefaultMinLength;

    /// <summary>True if backward passes on this pool's thread reuse nothing (<see cref="DisabledOnThisThread"/>).</summary>
    public bool Disabled;

    /// <summary>An array of exactly <paramref name="length"/> elements returned on this thread, most recent first; or null.</summary>
    public static T[]? Take(int length) => OnThisThread.TakeArray(length);

    /// <summary>Keeps <paramref name="array"/> for reuse on this thread (see <see cref="ReturnArray"/>).</summary>
    public static void Return(T[] array) => OnThisThread.ReturnArray(array);

    /// <summary>For tests: forgets every array kept on this thread.</summary>
    internal static void ClearOnThisThread() => OnThisThread.Clear();

    /// <summary>An array of exactly <paramref name="length"/> elements that was returned, most recent first; or null.</summary>
    public T[]? TakeArray(int length)
    {
        if (length < MinimumLength)
        {
            return null;
        }
        T[]?[]? pool = arrays;
        for (int i = count - 1; i >= 0; i--)
        {
            T[] candidate = pool![i]!;
            if (candidate.Length == length)
            {
                Array.Copy(pool, i + 1, pool, i, count - 1 - i);
                pool[--count] = null;
                elements -= length;
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// Keeps <paramref name="array"/> for reuse. When that would exceed the bounds, the arrays returned longest ago make
    /// room (they are the least likely to be in cache, or to be of a length still in use); an array larger than the
    /// whole budget is left to the garbage collector.
    /// </summary>
    public void ReturnArray(T[] array)
    {
        if (array.Length < MinimumLength || array.Length > MaxElements)
        {
            return;
        }
        arrays ??= new T[MaxArrays][];
        int evict = 0;
        long kept = elements;
        while (count - evict == MaxArrays || kept + array.Length > MaxElements)
        {
            kept -= arrays[evict++]!.Length;
        }
        if (evict > 0)
        {
            Array.Copy(arrays, evict, arrays, 0, count - evict);
            Array.Clear(arrays, count - evict, evict);
            count -= evict;
            elements = kept;
        }
        arrays[count++] = array;
        elements += array.Length;
    }

    private void Clear()
    {
        arrays = null;
        count = 0;
        elements = 0;
    }
}
