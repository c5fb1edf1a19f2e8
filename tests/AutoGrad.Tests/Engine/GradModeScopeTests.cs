using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// The per-thread modes of the tape around a backward pass and across threads: what a pass inside a no-grad scope
/// records and restores, that one thread's anomaly scope is not another's, and that a scope closes once.
/// </summary>
public class GradModeScopeTests
{
    [Fact]
    public void A_plain_backward_pass_inside_NoGrad_records_nothing_and_leaves_recording_off_until_the_scope_closes()
    {
        var x = Tensor.From(new double[,] { { 2, -3 } }, requiresGrad: true);
        var loss = x.Square().Sum();
        using (Tensor.NoGrad())
        {
            loss.Backward();
            Assert.True(x.Grad!.IsLeaf);
            Assert.False(x.Grad.RequiresGrad);
            Assert.False(x.Exp().RequiresGrad); // the scope is still open after the pass
        }
        Assert.Equal([4.0, -6.0], x.Grad.ToFlatArray());
        Assert.True(x.Exp().RequiresGrad);
    }

    [Fact]
    public void Nested_NoGrad_scopes_keep_recording_off_until_the_outermost_closes()
    {
        var x = Tensor.Scalar(0.5, requiresGrad: true);
        var outer = Tensor.NoGrad();
        var inner = Tensor.NoGrad();
        inner.Dispose();
        Assert.False(x.Exp().RequiresGrad);
        outer.Dispose();
        Assert.True(x.Exp().RequiresGrad);
    }

    [Theory]
    [InlineData("NoGrad")]
    [InlineData("DetectAnomaly")]
    public void Disposing_a_scope_twice_on_its_own_thread_closes_it_once(string kind)
    {
        var x = Tensor.Full(1, 1, double.NaN, requiresGrad: true);
        using var outer = kind == "NoGrad" ? Tensor.NoGrad() : Tensor.DetectAnomaly();
        var inner = kind == "NoGrad" ? Tensor.NoGrad() : Tensor.DetectAnomaly();
        inner.Dispose();
        inner.Dispose(); // a second call does nothing: it neither throws nor closes the outer scope
        if (kind == "NoGrad")
        {
            Assert.False(x.Square().RequiresGrad);
        }
        else
        {
            Assert.Contains("Square forward", Assert.Throws<AnomalyException>(() => x.Square()).Message);
        }
    }

    [Fact]
    public void An_anomaly_scope_open_on_another_thread_does_not_check_this_threads_operations()
    {
        using var opened = new ManualResetEventSlim();
        using var done = new ManualResetEventSlim();
        var other = new Thread(() =>
        {
            using (Tensor.DetectAnomaly())
            {
                opened.Set();
                done.Wait();
            }
        });
        other.Start();
        try
        {
            opened.Wait();
            var x = Tensor.Full(1, 2, -1.0, requiresGrad: true);
            var log = x.Log(); // NaN: refused only where anomaly mode is on
            Assert.True(double.IsNaN(log[0, 0]));
            Assert.True(log.RequiresGrad);
        }
        finally
        {
            done.Set();
            other.Join();
        }
    }
}
