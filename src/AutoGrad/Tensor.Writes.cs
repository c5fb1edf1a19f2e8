using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// In-place writes for user code (<see cref="CopyFrom(Tensor{T})"/>, <see cref="Fill"/>, the indexer's setter), under
/// the rules PyTorch applies: a recorded result is never written, nor a tensor <see cref="Detach"/> made from one (it
/// shares the result's memory); a leaf that requires a gradient only inside
/// <see cref="Tensor.NoGrad"/> (as an optimizer step or a weight load would be). Every write bumps
/// <see cref="Version"/>, shared with the tensors <see cref="Detach"/> made, so a graph that recorded the old values
/// refuses to back-propagate. A refused write changes nothing.
/// </summary>
public sealed partial class Tensor<T>
{
    /// <summary>For a tensor made by <see cref="Detach"/>: the tensor whose version counter it shares; otherwise null.</summary>
    private Tensor<T>? versionHolder;

    /// <summary>True for a tensor made by <see cref="Detach"/>, sharing another's storage.</summary>
    internal bool IsView => versionHolder is not null;

    /// <summary>
    /// Overwrites every element with <paramref name="source"/>'s (same shape). Allowed on a leaf that requires no
    /// gradient, and on one that does inside a <c>using (Tensor.NoGrad())</c> block; refused on a recorded result.
    /// </summary>
    public void CopyFrom(Tensor<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Shape != Shape)
        {
            throw new ArgumentException($"CopyFrom: the source is {source.Shape} but {Describe()} is {Shape}; the shapes must match.", nameof(source));
        }
        CopyFrom(source.DataFor(nameof(CopyFrom)));
    }

    /// <summary>Overwrites every element with <paramref name="values"/>, row-major; see <see cref="CopyFrom(Tensor{T})"/>.</summary>
    public void CopyFrom(ReadOnlySpan<T> values)
    {
        if (values.Length != Length)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"CopyFrom: {Describe()} has {Length} elements but {values.Length} values were given."), nameof(values));
        }
        T[] target = WritableData("CopyFrom");
        values.CopyTo(target);
        BumpVersion();
    }

    /// <summary>
    /// Sets every element to <paramref name="value"/>. Allowed on a leaf that requires no gradient, and on one that
    /// does inside a <c>using (Tensor.NoGrad())</c> block; refused on a recorded result (its graph saw the old values).
    /// </summary>
    public void Fill(T value)
    {
        WritableData("Fill").AsSpan().Fill(value);
        BumpVersion();
    }

    private void SetElement(int row, int col, T value)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
        {
            throw new ArgumentOutOfRangeException(nameof(row), FormattableString.Invariant($"Indexer: index [{row}, {col}] is outside a {Shape} tensor."));
        }
        WritableData("Indexer")[row * Cols + col] = value;
        BumpVersion();
    }

    /// <summary>Marks an in-place change of the values (shared with detached views).</summary>
    internal void BumpVersion() => (versionHolder ?? this).version++;

    /// <summary>The array to write into, after checking that a user write is allowed; throws (changing nothing) if not.</summary>
    private T[] WritableData(string op)
    {
        T[] data = DataFor(op); // a disposed tensor first: the refusals below change nothing, the cuts at the end do
        if (IsRecorded && !IsRecordedForTraceOnly)
        {
            throw new InvalidOperationException(
                $"{op}: {Describe()} is the result of {Creator!.Name}, recorded on the tape; writing into it would change " +
                "values its graph depends on. Write into a leaf (a tensor you created), or compute a new result instead.");
        }
        if (versionHolder is { IsLeaf: false } recorded)
        {
            // A detached view shares the recorded result's memory: the result's own backward rule may read it (eˣ, σ,
            // tanh save y), so a write would make its graph return a stale gradient without any version to catch it.
            throw new InvalidOperationException(
                $"{op}: {Describe()} was detached from the result of {recorded.Creator!.Name}, recorded on the tape, and shares " +
                "its memory; writing into it would change values that graph depends on. Write into a copy " +
                "(Tensor.FromRowMajor(t.Rows, t.Cols, t.AsSpan())) instead.");
        }
        if (RequiresGrad && GradMode.IsEnabled)
        {
            throw new InvalidOperationException(
                $"{op}: {Describe()} is a leaf that requires a gradient, and recording is on; an in-place write would not be " +
                "recorded. Write inside `using (Tensor.NoGrad()) { ... }`, as an optimizer step does.");
        }
        // The write is allowed: only now (a refused write changes nothing) cut a result recorded only for a trace
        if (IsRecordedForTraceOnly)
        {
            CutFromTrace(); // outside a trace this result is a leaf, which may be written
        }
        if (versionHolder is { IsRecordedForTraceOnly: true } traced)
        {
            traced.CutFromTrace(); // so is the tensor this one was detached from
        }
        return data;
    }
}
