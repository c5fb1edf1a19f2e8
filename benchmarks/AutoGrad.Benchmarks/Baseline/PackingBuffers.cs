// A frozen copy of the library's kernel file at fa34a26 (session nine's start): the "old" side of the
// stopwatch A/B in GemmStepComparison.cs. Not used by anything else; do not edit.
using AutoGrad.Kernels;
using System.Buffers;

namespace AutoGrad.Benchmarks.Baseline;

/// <summary>
/// Working arrays of the packed GEMM, kept per thread: the caller's packed slice of op(B) and each thread's packed
/// block of op(A). Two per thread, since the caller holds both at once. Unlike <c>ArrayPool.Shared</c>, which drops
/// its arrays when a gen-2 collection trims it — so that a compiled step that had allocated nothing for thousands of
/// calls allocated them again (522 B per step averaged over a window at (256, 784-256-10) float) — these are kept for
/// the thread's lifetime. Arrays longer than <see cref="MaxKeptLength"/> are rented from the shared pool instead, so a
/// thread never holds more than two such arrays (8 MB each in float, 16 MB in double).
/// </summary>
internal static class PackingBuffers<T> where T : unmanaged
{
    /// <summary>Longer arrays are rented from, and returned to, <c>ArrayPool.Shared</c>.</summary>
    public const int MaxKeptLength = 1 << 21;

    [ThreadStatic] private static T[]? first;
    [ThreadStatic] private static T[]? second;

    /// <summary>An array of at least <paramref name="length"/> elements, its contents undefined, until <see cref="Return"/>.</summary>
    public static T[] Rent(int length)
    {
        if (length > MaxKeptLength)
        {
            return ArrayPool<T>.Shared.Rent(length);
        }
        if (first is { } a && a.Length >= length)
        {
            first = null;
            return a;
        }
        if (second is { } b && b.Length >= length)
        {
            second = null;
            return b;
        }
        return new T[length];
    }

    /// <summary>Keeps <paramref name="array"/> for the next <see cref="Rent"/> on this thread (the shorter array goes if both places are taken).</summary>
    public static void Return(T[] array)
    {
        if (array.Length > MaxKeptLength)
        {
            ArrayPool<T>.Shared.Return(array);
            return;
        }
        if (first is null)
        {
            first = array;
        }
        else if (second is null)
        {
            second = array;
        }
        else if (array.Length > Math.Min(first.Length, second.Length))
        {
            if (first.Length < second.Length)
            {
                first = array;
            }
            else
            {
                second = array;
            }
        }
    }
}
