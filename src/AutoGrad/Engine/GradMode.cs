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

    /// <summary>True unless a <see cref="Tensor.NoGrad"/> scope is open on this thread.</summary>
    public static bool IsEnabled => noGradDepth == 0;

    /// <summary>True while a <see cref="Tensor.DetectAnomaly"/> scope is open on this thread.</summary>
    public static bool AnomalyDetection => anomalyDepth != 0;

    /// <summary>
    /// True while forward results must be checked for NaN and ±∞: in anomaly mode, but not inside a backward
    /// rule, whose intermediate values are judged by the gradient it returns (so the error names that rule).
    /// </summary>
    public static bool CheckForwardAnomalies => anomalyDepth != 0 && backwardRuleDepth == 0;

    /// <summary>Marks the running of a backward rule on this thread.</summary>
    public static Scope EnterBackwardRule() { backwardRuleDepth++; return new Scope(static () => backwardRuleDepth--, "a backward rule"); }

    public static Scope DisableGrad() { noGradDepth++; return new Scope(static () => noGradDepth--, "Tensor.NoGrad()"); }

    public static Scope EnableAnomalyDetection() { anomalyDepth++; return new Scope(static () => anomalyDepth--, "Tensor.DetectAnomaly()"); }

    /// <summary>
    /// Starts a backward pass on this thread: recording off, or (for <c>createGraph</c>) on even inside a no-grad
    /// scope. Returns the state that <see cref="ExitBackwardPass"/> restores. No allocation: it runs on every pass.
    /// </summary>
    public static int EnterBackwardPass(bool createGraph)
    {
        int saved = noGradDepth;
        noGradDepth = createGraph ? 0 : saved + 1;
        return saved;
    }

    /// <summary>Ends a backward pass started by <see cref="EnterBackwardPass"/>.</summary>
    public static void ExitBackwardPass(int saved) => noGradDepth = saved;

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
                    $"{name}: the scope was opened on thread {threadId} and is being disposed on thread {Environment.CurrentManagedThreadId}; dispose it on the thread that opened it (its setting is per thread).");
            }
            close?.Invoke();
            close = null;
        }
    }
}
