using System.Reflection;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The thread limit reaches the kernels: the count a kernel asks for, the
/// serial scopes (nested, restored), and the start-up value read from <c>AUTOGRAD_NUM_THREADS</c>. Results do not
/// depend on any of these (DeterminismTests); these tests hold the limit itself. MaxThreads is process-wide, so these
/// tests run in the <see cref="ProcessWideState"/> collection, where no other test runs meanwhile.
/// </summary>
[Collection(nameof(ProcessWideState))]
public class ParallelismTests
{

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void The_limit_bounds_the_count_a_kernel_asks_for(int threads)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            Assert.Equal(threads, Parallelism.MaxThreads);
            Assert.Equal(threads, Parallelism.ThreadsForThisCall);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void A_serial_scope_gives_one_thread_on_its_own_thread_until_the_outermost_one_closes()
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            var outer = Parallelism.Serial();
            var inner = Parallelism.Serial();
            Parallelism.MaxThreads = 5;
            Assert.Equal(1, Parallelism.ThreadsForThisCall); // inside a serial scope: one thread here,
            Assert.Equal(5, OnAnotherThread()); // MaxThreads on another thread
            inner.Dispose();
            Assert.Equal(1, Parallelism.ThreadsForThisCall); // the outer scope is still open
            outer.Dispose();
            Assert.Equal(5, Parallelism.ThreadsForThisCall); // after the scopes closed
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    /// <summary>ThreadsForThisCall read on a new thread (not a pool task, which waiting could run inline here).</summary>
    private static int OnAnotherThread()
    {
        int threads = 0;
        var thread = new Thread(() => threads = Parallelism.ThreadsForThisCall);
        thread.Start();
        thread.Join();
        return threads;
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("1", 1)]
    [InlineData("0", -1)]
    [InlineData("-2", -1)]
    [InlineData("+4", -1)]
    [InlineData(" 4", -1)]
    [InlineData("four", -1)]
    [InlineData(null, -1)]
    public void The_start_up_limit_is_a_positive_integer_from_the_environment_or_the_processor_count(string? value, int expected)
    {
        var initial = typeof(Parallelism).GetMethod("InitialMaxThreads", BindingFlags.NonPublic | BindingFlags.Static)!;
        string? saved = Environment.GetEnvironmentVariable(Parallelism.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(Parallelism.EnvironmentVariable, value);
            Assert.Equal(expected > 0 ? expected : Environment.ProcessorCount, (int)initial.Invoke(null, null)!);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Parallelism.EnvironmentVariable, saved);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_limit_below_one_thread_is_refused_and_changes_nothing(int threads)
    {
        int saved = Parallelism.MaxThreads;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = threads);
        Assert.StartsWith($"Parallelism.MaxThreads: need at least 1 thread; got {threads}.", error.Message);
        Assert.Equal(saved, Parallelism.MaxThreads);
    }
}
