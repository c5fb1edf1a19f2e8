using AutoGrad.Kernels;

namespace AutoGrad.Tests.Support;

/// <summary>A parallel loop whose items do nothing: for tests of what a run's caller decides from <see cref="ParallelWork.SleptLastRun"/> and of an empty run.</summary>
internal sealed class NoItems : ParallelWork
{
    protected override void Run(int index)
    {
    }

    protected override void Clear()
    {
    }
}
