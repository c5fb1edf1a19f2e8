using System.Globalization;

namespace AutoGrad;

/// <summary>
/// Per-thread switches of the tape: whether operations are recorded, and whether anomaly detection is on.
/// Thread-static, so graphs built on different threads never see each other's settings.
/// </summary>
internal static class GradMode
{
    [ThreadStatic] private static int noGradDepth;
    [ThreadStatic] private static int anomalyDepth;
    [ThreadStatic] private static int backwardRuleDepth;
    [ThreadStatic] private static int tracingDepth;
    [ThreadStatic] private static string? tracingApi;

    /// <summary>
    /// How many traces (<see cref="EnterTracing"/>) are open on all threads together: as for anomaly mode, an ordinary
    /// field read answers "no thread is tracing" without a thread-static read, on every operation and every new tensor.
    /// </summary>
    private static int tracesInProcess;

    /// <summary>
    /// How many <see cref="Tensor.DetectAnomaly"/> scopes are open on all threads together. Every operation asks
    /// whether anomaly mode is on (twice: when it records and when it checks its result), and a thread-static read is a
    /// call (<c>__tls_get_addr</c> on Linux); an ordinary field read answers "no" whenever no thread has the mode on. A
    /// thread's own scopes are counted here before its depth rises and after it falls, so this is never 0 while
    /// the calling thread's depth is not.
    /// </summary>
    private static int anomalyScopesInProcess;

    /// <summary>The count of open traces on all threads (a read-out for tests).</summary>
    public static int TracesInProcess => Volatile.Read(ref tracesInProcess);

    /// <summary>The count of open anomaly scopes on all threads (a read-out for tests).</summary>
    public static int AnomalyScopesInProcess => Volatile.Read(ref anomalyScopesInProcess);

    /// <summary>True unless a <see cref="Tensor.NoGrad"/> scope is open on this thread.</summary>
    public static bool IsEnabled => noGradDepth == 0;

    /// <summary>
    /// True while a function is being traced for compilation on this thread (<see cref="EnterTracing"/>): every
    /// operation is recorded, also one whose operands require no gradient and one inside <see cref="Tensor.NoGrad"/>, so
    /// the compiled plan reads every leaf the function reads. Suspended inside a plain (not <c>createGraph</c>) backward
    /// pass, which <c>BackwardPass.Run</c> refuses to start while tracing.
    /// </summary>
    public static bool IsTracing => tracesInProcess != 0 && tracingDepth != 0;

    /// <summary>
    /// True if an operation whose operands include one requiring a gradient (<paramref name="anyRequiresGrad"/>) or not
    /// must be recorded on this thread: with recording on and an operand requiring a gradient, or while tracing.
    /// </summary>
    public static bool Records(bool anyRequiresGrad) => anyRequiresGrad ? IsEnabled || IsTracing : IsTracing;

    /// <summary>
    /// Starts tracing a function on this thread for <paramref name="api"/> (the compiled entry point the caller called,
    /// <c>Tensor.Compile</c> or <c>Tensor.CompileForward</c>, which <see cref="TracingApi"/> names): recording on (also
    /// inside a no-grad scope, which the function may open again) and every operation recorded. Returns the state
    /// <see cref="ExitTracing"/> restores.
    /// </summary>
    public static SavedMode EnterTracing(string api = "a compiled function")
    {
        Interlocked.Increment(ref tracesInProcess);
        var saved = new SavedMode(noGradDepth, tracingDepth, tracingApi);
        noGradDepth = 0;
        tracingDepth++;
        tracingApi = api;
        return saved;
    }

    /// <summary>Ends a trace started by <see cref="EnterTracing"/>.</summary>
    public static void ExitTracing(SavedMode saved)
    {
        noGradDepth = saved.NoGradDepth;
        tracingDepth = saved.TracingDepth;
        tracingApi = saved.TracingApi;
        Interlocked.Decrement(ref tracesInProcess);
    }

    /// <summary>The compiled entry point whose trace is being recorded on this thread, or null when none is (<see cref="IsTracing"/>).</summary>
    public static string? TracingApi => IsTracing ? tracingApi : null;

    /// <summary>The per-thread recording state a backward pass or a trace restores when it ends.</summary>
    public readonly record struct SavedMode(int NoGradDepth, int TracingDepth, string? TracingApi = null);

    /// <summary>True while a <see cref="Tensor.DetectAnomaly"/> scope is open on this thread.</summary>
    public static bool AnomalyDetection => anomalyScopesInProcess != 0 && anomalyDepth != 0;

    /// <summary>
    /// True while forward results must be checked for NaN and ±∞: in anomaly mode, but not inside a backward
    /// rule, whose intermediate values are judged by the gradient it returns (so the error names that rule).
    /// </summary>
    public static bool CheckForwardAnomalies => AnomalyDetection && backwardRuleDepth == 0;

    /// <summary>Marks the running of a backward rule on this thread.</summary>
    public static Scope EnterBackwardRule() { backwardRuleDepth++; return new Scope(static () => backwardRuleDepth--, "a backward rule"); }

    public static Scope DisableGrad() { noGradDepth++; return new Scope(static () => noGradDepth--, "Tensor.NoGrad()"); }

    /// <summary>
    /// Recording on for this thread until disposed, even inside a <see cref="Tensor.NoGrad"/> scope (PyTorch's
    /// <c>torch.enable_grad()</c>, which <c>torch.autograd.functional</c> uses): the functional derivatives record f to
    /// differentiate it, and inside NoGrad they returned zeros for a Hessian of x³.
    /// </summary>
    public static Scope EnableGrad()
    {
        int saved = noGradDepth;
        noGradDepth = 0;
        return new Scope(() => noGradDepth = saved, "the recording scope of a functional derivative");
    }

    public static Scope EnableAnomalyDetection()
    {
        Interlocked.Increment(ref anomalyScopesInProcess);
        anomalyDepth++;
        return new Scope(static () =>
        {
            anomalyDepth--;
            Interlocked.Decrement(ref anomalyScopesInProcess);
        }, "Tensor.DetectAnomaly()");
    }

    /// <summary>
    /// Starts a backward pass on this thread: recording off, or (for <c>createGraph</c>) on even inside a no-grad
    /// scope. A plain pass also suspends tracing, so its rules run the fused kernels of an eager pass; a recorded one keeps
    /// it. (<c>BackwardPass.Run</c> refuses a plain pass while tracing before it gets here — its gradient would be frozen
    /// into the plan, issue 13 — so the suspension only keeps a pass started some other way eager.) Returns the state that <see cref="ExitBackwardPass"/>
    /// restores. No allocation: it runs on every pass.
    /// </summary>
    public static SavedMode EnterBackwardPass(bool createGraph)
    {
        int tracing = tracesInProcess != 0 ? tracingDepth : 0;
        var saved = new SavedMode(noGradDepth, tracing);
        noGradDepth = createGraph ? 0 : saved.NoGradDepth + 1;
        if (!createGraph && tracing != 0)
        {
            tracingDepth = 0;
        }
        return saved;
    }

    /// <summary>Ends a backward pass started by <see cref="EnterBackwardPass"/>.</summary>
    public static void ExitBackwardPass(SavedMode saved)
    {
        noGradDepth = saved.NoGradDepth;
        if (saved.TracingDepth != 0)
        {
            tracingDepth = saved.TracingDepth;
        }
    }

    /// <summary>
    /// Closes a scope once, on the thread that opened it. The modes are per thread, so a scope disposed on another
    /// thread would switch that thread's mode and leave the owner's on: it is refused, and changes nothing.
    /// </summary>
    public sealed class Scope(Action close, string name = "the scope") : IDisposable
    {
        private readonly int threadId = Environment.CurrentManagedThreadId;
        private Action? close = close;

        /// <summary>Restores the previous mode.</summary>
        /// <exception cref="InvalidOperationException">Called on another thread than the one that opened the scope.</exception>
        public void Dispose()
        {
            if (close is not null && Environment.CurrentManagedThreadId != threadId)
            {
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"{name}: the scope was opened on thread {threadId} and is being disposed on thread {Environment.CurrentManagedThreadId}; dispose it on the thread that opened it (its setting is per thread)."));
            }
            close?.Invoke();
            close = null;
        }
    }
}
