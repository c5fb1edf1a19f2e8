using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// Tracing is per thread: while one thread traces a function for <c>Tensor.Compile</c>, another thread running eager
/// code records only what it would record anyway, and a tensor it creates is not one of the trace's own constants —
/// so a compiled plan reads it on every call.
/// </summary>
public class TracingThreadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_tensor_another_thread_creates_during_a_trace_is_read_on_every_call()
    {
        var p = Tensor.RandomNormal<double>(3, 2, new Random(1), requiresGrad: true, name: "p");
        var x = Tensor.RandomNormal<double>(4, 3, new Random(2));
        Tensor<double>? c = null;
        bool createdWhileTracing = true, frozenOpRecorded = true, gradOpRecorded = false;
        using var traceStarted = new ManualResetEventSlim();
        using var created = new ManualResetEventSlim();
        var eager = new Thread(() =>
        {
            traceStarted.Wait(Patience);
            var made = Tensor.Full<double>(1, 1, 0.5, name: "c");
            createdWhileTracing = made.CreatedWhileTracing;
            frozenOpRecorded = (made * made).IsRecorded;
            gradOpRecorded = (made * Tensor.Scalar(2.0, requiresGrad: true)).IsRecorded;
            c = made;
            created.Set();
        }) { IsBackground = true };
        eager.Start();
        var step = Tensor.Compile((Tensor<double> input) =>
        {
            if (c is null)
            {
                traceStarted.Set();
                Assert.True(created.Wait(Patience));
            }
            return (input.MatMul(p) * c!.Sum()).Sum();
        });

        step.Run(x);
        eager.Join();
        Assert.False(createdWhileTracing); // the other thread was not tracing: its tensor lives outside the function
        Assert.False(frozenOpRecorded);    // an operation on tensors requiring no gradient is not recorded there
        Assert.True(gradOpRecorded);       // one on a tensor requiring a gradient is, as always

        using (Tensor.NoGrad())
        {
            c!.Fill(-3.0);
        }
        double compiled = step.Run(x);
        double expected = (x.MatMul(p) * c!.Sum()).Sum().Item;
        Assert.Equal(expected, compiled);
        Assert.Equal(1, step.TraceCount);
    }
}
