using System.Globalization;

namespace AutoGrad;

/// <summary>
/// How many threads AutoGrad's kernels may use — the counterpart of <c>torch.set_num_threads</c>. Large matrix
/// products split their rows across up to <see cref="MaxThreads"/> threads (the calling thread and long-lived background
/// workers, started on first need); every row is computed by one thread in a fixed order, so results are bit-for-bit the
/// same whatever the setting.
/// </summary>
public static class Parallelism
{
    /// <summary>The environment variable read once at start-up for the initial <see cref="MaxThreads"/>.</summary>
    public const string EnvironmentVariable = "AUTOGRAD_NUM_THREADS";

    [ThreadStatic] private static int serialDepth;
    private static int maxThreads = InitialMaxThreads();

    /// <summary>
    /// The most threads one kernel call may use (at least 1). Starts at the value of the
    /// <c>AUTOGRAD_NUM_THREADS</c> environment variable if it holds a positive integer, else at
    /// <see cref="Environment.ProcessorCount"/>. Applies to all threads of the process.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => maxThreads;
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), string.Create(CultureInfo.InvariantCulture, $"Parallelism.MaxThreads: need at least 1 thread; got {value}."));
            }
            maxThreads = value;
        }
    }

    /// <summary>Threads the kernel about to run on this thread may use: 1 inside <see cref="Serial"/>.</summary>
    internal static int ThreadsForThisCall => serialDepth > 0 ? 1 : maxThreads;

    /// <summary>Makes this thread's kernels serial until the scope closes (tests compare serial and parallel runs).</summary>
    internal static IDisposable Serial()
    {
        serialDepth++;
        return new GradMode.Scope(static () => serialDepth--);
    }

    private static int InitialMaxThreads() =>
        int.TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out int threads) && threads > 0
            ? threads
            : Environment.ProcessorCount;
}
