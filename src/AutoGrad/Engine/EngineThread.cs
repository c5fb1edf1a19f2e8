using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoGrad;

/// <summary>
/// What the engine keeps per thread — the innermost <see cref="TensorScope"/>, and per element type the
/// <see cref="BufferPool{T}"/>, the running backward pass's <see cref="PassAllocations{T}"/> and its idle workspace —
/// in one object, reached with one thread-static read. On Linux every thread-static read is a call to
/// <c>__tls_get_addr</c>; creating a result needs the scope, the pass and the pool, and did three such reads.
/// </summary>
internal sealed class EngineThread
{
    [ThreadStatic] private static EngineThread? current;

    private object? ofDouble;
    private object? ofFloat;

    /// <summary>This thread's state (created on first use).</summary>
    public static EngineThread Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => current ?? Create();
    }

    /// <summary>The innermost scope open on this thread, or null (<see cref="TensorScope.Current"/>).</summary>
    public TensorScope? Scope;

    /// <summary>The member list of the last scope that ended on this thread, cleared, for the next one.</summary>
    public List<IScopedTensor>? SpareScopeMembers;

    /// <summary>This thread's state for tensors of <typeparamref name="T"/> (created on first use).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EngineThread<T> Of<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Tensor<T> exists only for double and float (its static constructor refuses the rest); the test is folded
        // away when the JIT compiles each instantiation.
        if (typeof(T) == typeof(double))
        {
            return Unsafe.As<EngineThread<T>>(ofDouble ?? CreateOf<T>(ref ofDouble));
        }
        if (typeof(T) == typeof(float))
        {
            return Unsafe.As<EngineThread<T>>(ofFloat ?? CreateOf<T>(ref ofFloat));
        }
        throw new NotSupportedException($"Tensor<{typeof(T).Name}>: only double and float are supported.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EngineThread Create() => current = new EngineThread();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object CreateOf<T>(ref object? slot) where T : unmanaged, IFloatingPointIeee754<T> => slot = new EngineThread<T>();
}

/// <summary>The part of <see cref="EngineThread"/> that depends on the element type.</summary>
internal sealed class EngineThread<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>This thread's pool of reusable arrays.</summary>
    public readonly BufferPool<T> Pool = new();

    /// <summary>The allocations of the backward pass running on this thread that may be reused, or null.</summary>
    public PassAllocations<T>? Pass;

    /// <summary>A backward pass's workspace left by the last pass on this thread, for the next one (or null).</summary>
    public object? IdleWorkspace;
}
