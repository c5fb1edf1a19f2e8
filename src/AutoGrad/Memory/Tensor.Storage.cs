using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoGrad;

/// <summary>Who owns a tensor's array, and when it is given back: see <see cref="TensorScope"/> and <see cref="BufferPool{T}"/>.</summary>
public sealed partial class Tensor<T>
{
    /// <summary>The elements, row-major; null once the tensor is disposed.</summary>
    private T[]? data;

    /// <summary>The scope that will dispose this tensor, or null (then the garbage collector frees it).</summary>
    private TensorScope? scope;

    /// <summary>For a tensor sharing another's array (<see cref="Detach"/>): the one that owns it; otherwise null.</summary>
    private Tensor<T>? storageOwner;

    /// <summary>
    /// The elements, row-major. Owned by this tensor (or shared with tensors detached from it). Throws
    /// <see cref="ObjectDisposedException"/> once the tensor is disposed, so a recycled array is never read through it.
    /// </summary>
    internal T[] Data => data ?? ThrowDisposed();

    /// <summary>
    /// The elements, read by the public method <paramref name="op"/> the caller called: a disposed tensor is refused with
    /// an <see cref="ObjectDisposedException"/> whose message starts with <paramref name="op"/> and names this tensor.
    /// </summary>
    internal T[] DataFor(string op) => data ?? ThrowDisposed(op);

    /// <summary>Refuses, naming <paramref name="op"/>, if <paramref name="a"/> or <paramref name="b"/> is disposed: for a method that reads them later, through other methods.</summary>
    internal static void RefuseDisposed(string op, Tensor<T> a, Tensor<T>? b = null)
    {
        if (a.data is null)
        {
            a.ThrowDisposed(op);
        }
        if (b is { data: null })
        {
            b.ThrowDisposed(op);
        }
    }

    /// <summary>The array, or null once disposed (for the backward pass's bookkeeping, which must not throw).</summary>
    internal T[]? StorageOrNull => data;

    /// <summary>
    /// True once the <see cref="TensorScope"/> this tensor was created in has ended (and <see cref="TensorScope.Keep{T}"/>
    /// did not hand it out): its array has been recycled and its values can no longer be read. Its shape can.
    /// </summary>
    public bool IsDisposed => data is null;

    /// <summary>The scope that owns this tensor's array, or null.</summary>
    internal TensorScope? StorageScope => (storageOwner ?? this).scope;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T[] ThrowDisposed(string? op = null) => throw new ObjectDisposedException(nameof(Tensor<T>),
        $"{(op is null ? "" : op + ": ")}{Describe()} was created inside a TensorScope that has ended, and its memory has been reused. " +
        "To use a result after its scope, hand it out with scope.Keep(tensor) before the scope ends.");

    /// <summary>
    /// A new result of <paramref name="shape"/> whose values are garbage until written: for a kernel that overwrites
    /// every element. Skipping the zeroing matters because every operation allocates its result (a 1024-element
    /// double result: ≈ 100 ns instead of ≈ 300 ns). Inside a backward pass or a <see cref="TensorScope"/> the array
    /// may be a recycled one from <see cref="BufferPool{T}"/>; inside a scope the result belongs to it.
    /// </summary>
    internal static Tensor<T> Uninitialized(Shape shape)
    {
        EngineThread thread = EngineThread.Current; // one thread-static read for the scope, the pass and the pool
        TensorScope? current = thread.Scope;
        EngineThread<T> typed = thread.Of<T>();
        PassAllocations<T>? pass = typed.Pass;
        T[] array = (pass is not null || current is not null ? typed.Pool.TakeArray(shape.Length) : null)
            ?? GC.AllocateUninitializedArray<T>(shape.Length);
        pass?.Allocated(array);
        if (PoisonUninitializedMemory)
        {
            array.AsSpan().Fill(T.NaN);
        }
        var result = new Tensor<T>(shape, array);
        if (current is not null)
        {
            result.scope = current;
            current.Add(result);
        }
        return result;
    }

    /// <summary>
    /// Set by the test suite for its whole run: uninitialised results start as NaN, so a kernel that leaves any
    /// element unwritten fails every test that reads it, instead of passing on memory that happened to be zero.
    /// </summary>
    internal static bool PoisonUninitializedMemory { get; set; }

    /// <summary>A new tensor on this one's array, in the same scope; see <see cref="Detach"/>.</summary>
    private Tensor<T> ShareStorage(string op)
    {
        var view = new Tensor<T>(Shape, DataFor(op), Name) { versionHolder = versionHolder ?? this };
        Tensor<T> owner = storageOwner ?? this;
        if (owner.scope is { } ownerScope)
        {
            view.storageOwner = owner;
            view.scope = ownerScope;
            ownerScope.Add(view);
        }
        return view;
    }

    /// <summary>
    /// Makes <paramref name="other"/> (a gradient being stored in this tensor) live at least as long as this tensor:
    /// if its array belongs to a scope that ends sooner than this tensor's, it moves to this tensor's.
    /// </summary>
    private void KeepAsLongAsThis(Tensor<T> other)
    {
        TensorScope? otherScope = other.StorageScope;
        if (otherScope is null)
        {
            return;
        }
        TensorScope? target = StorageScope;
        if (target is null || target.Depth < otherScope.Depth)
        {
            other.MoveStorageTo(target);
        }
    }

    /// <summary>Hands this tensor's array (and this tensor, if it is a view) to <paramref name="target"/>, or to no scope.</summary>
    internal void MoveStorageTo(TensorScope? target)
    {
        Tensor<T> owner = storageOwner ?? this;
        owner.scope = target;
        target?.Add(owner);
        if (!ReferenceEquals(owner, this))
        {
            scope = target;
            target?.Add(this);
        }
    }

    /// <inheritdoc/>
    void IScopedTensor.ReleaseFrom(TensorScope ending, EngineThread thread)
    {
        if (scope != ending || data is null)
        {
            return; // moved to another scope since, or recycled already
        }
        scope = null;
        if (storageOwner is not { } owner)
        {
            thread.Of<T>().Pool.ReturnArray(data);
            data = null;
            return;
        }
        if (owner.scope == ending)
        {
            ((IScopedTensor)owner).ReleaseFrom(ending, thread);
        }
        if (owner.data is null)
        {
            data = null;
        }
        else
        {
            MoveStorageTo(owner.scope); // its array outlives this scope: so does this view
        }
    }

    /// <summary>
    /// Disposes this tensor and returns its array, for <see cref="BufferPool{T}"/> to reuse: only for an intermediate
    /// gradient that nothing can reach any more.
    /// </summary>
    internal T[] GiveUpStorage()
    {
        T[] array = Data;
        data = null;
        scope = null;
        return array;
    }
}
