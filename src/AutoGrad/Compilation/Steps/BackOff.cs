using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// When a plan step that splits a few microseconds of work across threads (<see cref="RowBandsStep{T}"/>,
/// <see cref="IndependentStepsStep{T}"/>) finds that its caller had to sleep until a worker finished
/// (<see cref="ParallelWork.SleptLastRun"/>: the worker had lost its core to another process), the step runs alone
/// for its next <see cref="Calls"/> calls, then tries the threads again. On a busy machine a worker preempted in the
/// middle of its band costs the step a scheduler's time slice; alone, the step costs what it costs at one thread. The
/// results are the same bits either way.
/// </summary>
internal struct BackOff
{
    /// <summary>Calls run alone after a run in which the caller slept.</summary>
    public const int Calls = 64;

    private int left;

    /// <summary>True (and one call fewer left) while the step is to run alone.</summary>
    public bool Alone()
    {
        if (left == 0)
        {
            return false;
        }
        left--;
        return true;
    }

    /// <summary>After a parallel run: back off if the caller slept in it.</summary>
    public void After(ParallelWork work)
    {
        if (work.SleptLastRun)
        {
            left = Calls;
        }
    }
}
