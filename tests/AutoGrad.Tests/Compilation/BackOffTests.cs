using AutoGrad.Compilation;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>A plan step whose caller slept waiting for a worker runs alone for the next 64 calls, then tries the threads again.</summary>
public class BackOffTests
{
    [Fact]
    public void After_a_run_in_which_the_caller_slept_the_step_runs_alone_for_64_calls_then_tries_again()
    {
        var backOff = new BackOff();
        var work = new NoItems();
        backOff.After(work);
        Assert.False(backOff.Alone()); // a run without sleeping changes nothing
        work.SleptLastRun = true;
        backOff.After(work);
        for (int call = 0; call < BackOff.Calls; call++)
        {
            Assert.True(backOff.Alone(), $"call {call}");
        }
        Assert.False(backOff.Alone());
    }

    [Fact]
    public void A_new_run_forgets_that_the_caller_slept_in_the_last_one()
    {
        var work = new NoItems { SleptLastRun = true };
        work.RunAll(2, 1);
        Assert.False(work.SleptLastRun);
    }
}
