using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="ParallelWork.RunAll"/> drops its arguments (<c>Clear</c>) exactly once per run, on every path: serial,
/// one item, parallel, and an item that throws — so an idle kernel instance holds no caller's arrays.
/// </summary>
public class ParallelWorkClearTests
{
    private sealed class ClearCountingWork : ParallelWork
    {
        public int Clears;

        public int ThrowAt { get; set; } = -1;

        protected override void Run(int index)
        {
            if (index == ThrowAt)
            {
                throw new InvalidOperationException($"item {index} failed on purpose");
            }
        }

        protected override void Clear() => Interlocked.Increment(ref Clears);
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(1, 4)]
    [InlineData(0, 4)]
    [InlineData(40, 3)]
    public void Each_run_clears_its_arguments_once(int items, int threads)
    {
        var work = new ClearCountingWork();
        work.RunAll(items, threads);
        Assert.Equal(1, work.Clears);
        work.RunAll(items, threads);
        Assert.Equal(2, work.Clears);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_run_whose_item_throws_clears_its_arguments_too(int threads)
    {
        var work = new ClearCountingWork { ThrowAt = 2 };
        Assert.Throws<InvalidOperationException>(() => work.RunAll(10, threads));
        Assert.Equal(1, work.Clears);
    }
}
