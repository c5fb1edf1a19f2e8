using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// A region of code — typically one training step — whose intermediate results give their memory back when the
/// region ends, so that the next step writes into arrays that are still in cache instead of fresh ones from the
/// garbage collector. Create one with <see cref="Tensor.Scope"/> in a <c>using</c> statement.
/// </summary>
/// <remarks>
/// <para>
/// Every result of an operation created on this thread while the scope is the innermost one belongs to it. When the
/// scope is disposed, those results are <em>disposed</em>: their arrays go to a per-thread pool, from which later
/// results of the same length are taken, and reading a disposed tensor's values throws
/// <see cref="ObjectDisposedException"/> — it never shows another tensor's numbers. Its shape stays readable.
/// </para>
/// <para>
/// What outlives the scope: every tensor created outside it (parameters, inputs, anything from <see cref="Tensor"/>'s
/// factory methods), and the gradients the backward pass stores in such tensors' <see cref="Tensor{T}.Grad"/> — they
/// move to the scope of the tensor they belong to. Anything else that must be used later is handed out with
/// <see cref="Keep{T}(Tensor{T})"/>; read a loss's <see cref="Tensor{T}.Item"/> before the scope ends.
/// </para>
/// <para>
/// Scopes nest and belong to the thread that created them: dispose them there, innermost first. Without a scope
/// nothing changes — results are ordinary garbage-collected arrays. Large results are where a scope pays: arrays of
/// more than 85 000 bytes come from the large-object heap, whose fresh memory costs page faults and full
/// collections (a 65 536-float product took 60 µs into a reused array and 210 µs into a new one on the benchmark
/// machine). The same idea as TorchSharp's <c>DisposeScope</c>; PyTorch gets it from reference counting.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// for (int step = 0; step &lt; steps; step++)
/// {
///     using var scope = Tensor.Scope();
///     sgd.ZeroGrad();
///     var loss = Loss.HalfSumSquared(model.Forward(x), y);
///     loss.Backward();          // parameter gradients outlive the scope
///     sgd.Step();
///     Console.WriteLine(loss.Item);
/// }                             // z, σ(z), ŷ, the loss and every intermediate gradient are recycled here
/// </code>
/// </example>
public sealed class TensorScope : IDisposable
{
    private readonly TensorScope? parent;
    private readonly int threadId;
    private List<IScopedTensor>? members;
    private bool disposed;

    internal TensorScope()
    {
        EngineThread thread = EngineThread.Current; // holds the innermost scope, and the spare member list
        members = thread.SpareScopeMembers ?? [];
        thread.SpareScopeMembers = null;
        parent = thread.Scope;
        Depth = parent is null ? 1 : parent.Depth + 1;
        threadId = Environment.CurrentManagedThreadId;
        thread.Scope = this;
    }

    /// <summary>The innermost scope of this thread, or null.</summary>
    internal static TensorScope? Current => EngineThread.Current.Scope;

    /// <summary>1 for an outermost scope, one more for each scope it is nested in. Deeper scopes end sooner.</summary>
    internal int Depth { get; }

    /// <summary>The scope this one is nested in, which takes what <see cref="Keep{T}(Tensor{T})"/> hands out; or null.</summary>
    internal TensorScope? Parent => parent;

    /// <summary>How many tensors this scope will dispose (for tests and diagnostics).</summary>
    internal int MemberCount => members?.Count ?? 0;

    /// <summary>True once the scope has ended.</summary>
    public bool IsDisposed => disposed;

    /// <summary>
    /// Lets <paramref name="tensor"/>'s values (and its gradient, if it belongs to this scope too) outlive this scope:
    /// it moves to the enclosing scope, or to none — then the garbage collector frees it as usual. Returns the tensor.
    /// A tensor that belongs to no scope is returned unchanged.
    /// </summary>
    /// <remarks>
    /// Keep keeps this one tensor, not the graph it was computed from: the results it was made of stay in the scope and
    /// are disposed with it. A backward pass through the kept tensor after the scope has ended is refused
    /// (<see cref="ObjectDisposedException"/> naming the operation whose rule reads a disposed value; no gradient
    /// changes) unless no rule on the way reads one. Differentiate before the scope ends, or keep every result the
    /// rules read.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The scope has ended.</exception>
    /// <exception cref="ArgumentException">The tensor belongs to a different scope.</exception>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that created the scope.</exception>
    public Tensor<T> Keep<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (disposed)
        {
            throw new ObjectDisposedException(nameof(TensorScope),
                $"TensorScope.Keep: the scope has ended, and {tensor.Describe()} was disposed with it if it belonged to it; " +
                "call Keep inside the scope, before its using block ends.");
        }
        if (Environment.CurrentManagedThreadId != threadId)
        {
            // the scope's list of tensors is changed by its own thread's operations: moving one from here would race
            throw new InvalidOperationException("TensorScope.Keep: a scope belongs to the thread that created it; call Keep on that thread.");
        }
        TensorScope? owner = tensor.StorageScope;
        if (owner is null)
        {
            return tensor;
        }
        if (owner != this)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"TensorScope.Keep: {tensor.Describe()} belongs to another scope (depth {owner.Depth}, this one is depth {Depth}); ") +
                "call Keep on the scope it was created in.", nameof(tensor));
        }
        tensor.MoveStorageTo(parent);
        if (tensor.Grad is { } grad && grad.StorageScope == this)
        {
            grad.MoveStorageTo(parent);
        }
        return tensor;
    }

    /// <summary>
    /// Ends the scope: every tensor that still belongs to it is disposed and its array recycled. Disposing twice does
    /// nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// Called on another thread than the one that created the scope, or while a scope nested in it is still open.
    /// </exception>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        if (Environment.CurrentManagedThreadId != threadId)
        {
            throw new InvalidOperationException("TensorScope.Dispose: a scope must be disposed on the thread that created it.");
        }
        EngineThread thread = EngineThread.Current;
        if (thread.Scope != this)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"TensorScope.Dispose: a scope nested in this one (depth {thread.Scope?.Depth}) is still open; dispose scopes innermost first."));
        }
        disposed = true;
        thread.Scope = parent;
        // In creation order: a tensor detached from another comes after it, so it sees whether its storage went.
        List<IScopedTensor> ending = members!;
        members = null;
        foreach (IScopedTensor member in ending)
        {
            member.ReleaseFrom(this, thread);
        }
        ending.Clear();
        if (ending.Capacity <= MaxSpareCapacity)
        {
            thread.SpareScopeMembers = ending;
        }
    }

    /// <summary>A member list longer than this is left to the garbage collector rather than kept for the next scope.</summary>
    private const int MaxSpareCapacity = 1 << 16;

    /// <summary>Makes this scope responsible for <paramref name="tensor"/>.</summary>
    internal void Add(IScopedTensor tensor) =>
        (members ?? throw new InvalidOperationException("TensorScope: internal error: a tensor was given to a scope that has ended.")).Add(tensor);
}

/// <summary>What a <see cref="TensorScope"/> needs of the tensors it holds, whatever their element type.</summary>
internal interface IScopedTensor
{
    /// <summary>
    /// Disposes the tensor if it still belongs to <paramref name="scope"/>, which is ending on <paramref name="thread"/>
    /// (whose pool takes the array: passed in, so that disposing a scope's members reads no thread-static).
    /// </summary>
    void ReleaseFrom(TensorScope scope, EngineThread thread);
}
