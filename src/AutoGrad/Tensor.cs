using System.Numerics;

namespace AutoGrad;

/// <summary>
/// A dense, row-major, two-dimensional tensor of <c>double</c> or <c>float</c> that records the
/// operations applied to it, so that <see cref="Backward(Tensor{T}?, bool)"/> can compute gradients.
/// A column vector is n×1, a row vector 1×n, a scalar 1×1.
/// </summary>
/// <typeparam name="T"><c>double</c> or <c>float</c>.</typeparam>
public sealed partial class Tensor<T> : IScopedTensor where T : unmanaged, IFloatingPointIeee754<T>
{
    static Tensor()
    {
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float))
        {
            throw new NotSupportedException($"Tensor<{typeof(T).Name}>: only double and float are supported.");
        }
    }

    private bool requiresGrad;

    private bool retainsGrad;

    /// <summary>
    /// A number given at creation by a counter: the hash by which a backward pass finds this tensor's slot. The
    /// object's own identity hash (<c>RuntimeHelpers.GetHashCode</c>) would first have to be generated and stored in
    /// its header, ≈ 25 ns for every new tensor of every step. Not unique (the counter wraps, and tensors created on
    /// several threads at once may get the same number): lookups compare references, this only spreads them.
    /// </summary>
    internal readonly int HashId = nextHashId++;

    private static int nextHashId;

    internal Tensor(Shape shape, T[] data, string? name = null)
    {
        Shape = shape;
        this.data = data;
        Name = name;
        CreatedWhileTracing = GradMode.IsTracing;
    }

    /// <summary>
    /// True for a tensor created while a function was being traced for compilation on this thread (by the function
    /// or by the captured backward pass): a value every eager call of the function creates again, unlike the
    /// parameters, inputs and other tensors that live outside it, which a compiled plan must read on every call.
    /// </summary>
    internal bool CreatedWhileTracing { get; }

    /// <summary>The shape, <c>Rows × Cols</c>.</summary>
    public Shape Shape { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => Shape.Rows;

    /// <summary>Number of columns.</summary>
    public int Cols => Shape.Cols;

    /// <summary>Number of elements.</summary>
    public int Length => Shape.Length;

    /// <summary>An optional name, shown by <see cref="ToString"/>, graph export and error messages.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// The operation that produced this tensor, or null for a tensor created by the user. Not null for a result recorded
    /// only for a trace (<see cref="IsRecordedForTraceOnly"/>), which is nevertheless a leaf (<see cref="IsLeaf"/>).
    /// </summary>
    internal Operation<T>? Creator { get; private set; }

    /// <summary>
    /// True for a tensor created by the user rather than by a recorded operation — and, as in PyTorch, for every tensor
    /// that requires no gradient (inside a function being traced for <c>Tensor.Compile</c>, operations on such tensors are
    /// recorded too, for the plan, but their results remain leaves to the function).
    /// </summary>
    public bool IsLeaf => Creator is null || !requiresGrad;

    /// <summary>True for a tensor made by a recorded operation (also one recorded only for a trace).</summary>
    internal bool IsRecorded => Creator is not null;

    /// <summary>
    /// Incremented each time the tensor's values are changed in place (for instance by an optimizer step),
    /// so that a graph that recorded the old values refuses to back-propagate through the new ones. Tensors sharing
    /// storage (<see cref="Detach"/>) share one counter: changing either one in place is seen through both.
    /// </summary>
    public int Version => (versionHolder ?? this).version;

    private int version;

    /// <summary>
    /// Whether gradients flow to this tensor. Settable on leaves; a recorded result requires a gradient
    /// exactly when one of its inputs does.
    /// </summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (!IsLeaf && !value)
            {
                throw new InvalidOperationException(
                    $"RequiresGrad: {Describe()} is the result of {Creator!.Name}; use Detach() to cut it from its graph.");
            }
            if (value && IsRecordedForTraceOnly)
            {
                CutFromTrace(); // outside a trace this result would be a leaf, made trainable: so it is
            }
            requiresGrad = value;
        }
    }

    /// <summary>
    /// The gradient d(loss)/d(this) filled in by <see cref="Backward(Tensor{T}?, bool)"/>, with this tensor's shape;
    /// null before any backward pass, after <see cref="ZeroGrad"/>, or for an intermediate result that did not
    /// call <see cref="RetainGrad"/>.
    /// </summary>
    public Tensor<T>? Grad
    {
        get => grad;
        internal set
        {
            if (value is not null)
            {
                KeepAsLongAsThis(value);
            }
            grad = value;
        }
    }

    private Tensor<T>? grad;

    /// <summary>True if this tensor keeps its gradient after a backward pass (leaves always do).</summary>
    public bool RetainsGrad => retainsGrad || (IsLeaf && requiresGrad);

    /// <summary>
    /// Asks an intermediate result to keep its gradient in <see cref="Grad"/> after the next backward pass
    /// (the notes' ∂L/∂z, ∂L/∂a, δ). Call before <c>Backward()</c>. Returns this tensor, for chaining.
    /// </summary>
    public Tensor<T> RetainGrad()
    {
        if (!requiresGrad)
        {
            throw new InvalidOperationException($"RetainGrad: {Describe()} does not require a gradient, so it will never have one.");
        }
        retainsGrad = true;
        return this;
    }

    /// <summary>Forgets the accumulated gradient.</summary>
    public void ZeroGrad()
    {
        lock (GradLock)
        {
            Grad = null;
        }
    }

    /// <summary>
    /// Serialises changes of <see cref="Grad"/>: concurrent backward passes reaching this tensor add their
    /// contributions one at a time (the tensor itself is the lock, so it costs no field).
    /// </summary>
    internal object GradLock => this;

    /// <summary>
    /// The element at row <paramref name="row"/>, column <paramref name="col"/>. Setting it is an in-place write:
    /// see <see cref="Fill"/> for when that is allowed.
    /// </summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public T this[int row, int col]
    {
        get
        {
            if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
            {
                throw new ArgumentOutOfRangeException(nameof(row),
                    FormattableString.Invariant($"Indexer: index [{row}, {col}] is outside a {Shape} tensor."));
            }
            return DataFor("Indexer")[row * Cols + col];
        }
        set => SetElement(row, col, value);
    }

    /// <summary>The single value of a 1×1 tensor.</summary>
    public T Item
    {
        get
        {
            if (!Shape.IsScalar)
            {
                throw new InvalidOperationException($"Item: only a 1×1 tensor has a single value; this one is {Shape}.");
            }
            return DataFor("Item")[0];
        }
    }

    /// <summary>A copy of the values as a two-dimensional array.</summary>
    public T[,] ToArray()
    {
        T[] data = DataFor(nameof(ToArray));
        var result = new T[Rows, Cols];
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Cols; j++)
            {
                result[i, j] = data[i * Cols + j];
            }
        }
        return result;
    }

    /// <summary>A copy of the values, row-major.</summary>
    public T[] ToFlatArray() => (T[])DataFor(nameof(ToFlatArray)).Clone();

    /// <summary>The values, row-major, read-only and without copying.</summary>
    public ReadOnlySpan<T> AsSpan() => DataFor(nameof(AsSpan));

    /// <summary>
    /// A tensor with the same values (sharing storage, as in PyTorch) that is cut from the graph: a leaf
    /// that does not require a gradient. It belongs to the same <see cref="TensorScope"/> as this tensor, if any,
    /// and shares its <see cref="Version"/>: a graph that read either one refuses to back-propagate after either one
    /// was changed in place, so a stale gradient never comes out silently (PyTorch does the same).
    /// </summary>
    public Tensor<T> Detach()
    {
        Tensor<T> view = ShareStorage(nameof(Detach));
        if (IsRecorded && GradMode.IsTracing)
        {
            // a compiled plan computes the result on every call: the view must follow it, not keep the traced value
            view.Creator = new Compilation.DetachedResultOperation<T>(this);
        }
        return view;
    }

    /// <summary>this += scale · other, in place (an optimizer step); bumps <see cref="Version"/>.</summary>
    internal void AddScaledInPlace(Tensor<T> other, T scale)
    {
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(other.Data, scale, Data, Data);
        BumpVersion();
    }

    /// <summary>
    /// Links a freshly computed result to the operation that produced it. It requires a gradient, except an operation
    /// recorded only because a function is being traced (<see cref="GradMode.IsTracing"/>): there it requires one exactly
    /// as it would outside the trace — when recording is on and one of its inputs requires one.
    /// </summary>
    internal void SetCreator(Operation<T> op)
    {
        Creator = op;
        requiresGrad = !GradMode.IsTracing || (GradMode.IsEnabled && AnyRequiresGrad(op.Inputs));
    }

    private static bool AnyRequiresGrad(Tensor<T>[] inputs)
    {
        foreach (Tensor<T> input in inputs)
        {
            if (input.requiresGrad)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// True for a result recorded only because a function was being traced: no gradient flows through it, and outside
    /// the trace it would have been a leaf.
    /// </summary>
    internal bool IsRecordedForTraceOnly => Creator is not null && !requiresGrad;

    /// <summary>
    /// Makes a result recorded only for a trace the leaf it would be outside the trace (the function writes into it, or
    /// asks it to require a gradient): the compiled plan then holds its traced value, as a constant.
    /// </summary>
    private void CutFromTrace() => Creator = null;

    /// <summary>"'W1' (3×4)" or "(3×4)": how error messages name a tensor.</summary>
    internal string Describe() => Name is null ? $"a {Shape} tensor" : $"'{Name}' ({Shape})";
}
