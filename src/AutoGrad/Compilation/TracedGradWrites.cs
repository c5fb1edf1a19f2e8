using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// The <c>Grad</c> writes a <c>Backward</c> inside a traced function makes into tensors living outside it (a parameter,
/// a retained result made before the call): eagerly every call makes them, so the plan must make them on every call
/// too, and the trace's own, made once while recording, is undone when the trace ends (<see cref="Undo"/>). Writes into
/// tensors the function creates are part of the trace like any other value.
/// </summary>
internal static class TracedGradWrites<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>One write: <c>Target.Grad</c> went from <c>Previous</c> to <c>Written</c> (Previous + Gradient, or Gradient).</summary>
    public readonly record struct Write(Tensor<T> Target, Tensor<T> Gradient, Tensor<T>? Previous, Tensor<T> Written);

    [ThreadStatic]
    private static List<Write>? current;

    /// <summary>Starts collecting this thread's writes; returns the collection that was active (null), for <see cref="End"/>.</summary>
    public static List<Write>? Begin(out List<Write> writes)
    {
        List<Write>? saved = current;
        current = writes = [];
        return saved;
    }

    /// <summary>Stops collecting, restoring what <see cref="Begin"/> returned.</summary>
    public static void End(List<Write>? saved) => current = saved;

    /// <summary>True while a trace on this thread collects writes and <paramref name="target"/> lives outside it.</summary>
    public static bool Collects(Tensor<T> target) => current is not null && !target.CreatedWhileTracing;

    /// <summary>Notes a write that <see cref="Collects"/> said to collect.</summary>
    public static void Note(Tensor<T> target, Tensor<T> gradient, Tensor<T>? previous, Tensor<T> written) =>
        current?.Add(new Write(target, gradient, previous, written));

    /// <summary>Puts every written Grad back as it was before the trace, the last write first.</summary>
    public static void Undo(List<Write> writes)
    {
        for (int i = writes.Count - 1; i >= 0; i--)
        {
            Write w = writes[i];
            lock (w.Target.GradLock)
            {
                w.Target.Grad = w.Previous;
            }
        }
    }
}
