using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// A model shared by several threads: each thread records its own graph on shared parameters. A backward pass keeps
/// its bookkeeping in its own workspace, never on the tensors, so passes on other threads cannot disturb it; and
/// contributions to a shared leaf's Grad are added under that leaf's lock, so none is lost.
/// </summary>
public class ConcurrentBackwardTests
{
    private const int Threads = 8;

    private static Tensor<double> Shared() => Tensor.From(new double[,] { { 0.5, -1, 2 }, { 0.25, 1.5, -0.75 } }, requiresGrad: true, name: "w");

    /// <summary>f(w) = Σw + Σw² + Σeʷ + Σₖ Σ tanh(k·w/10): w is an input of many operations, so passes on other threads reach it while this one orders its graph.</summary>
    private static Tensor<double> F(Tensor<double> w)
    {
        var total = w.Sum() + w.Square().Sum() + w.Exp().Sum();
        for (int k = 1; k <= 24; k++)
        {
            total += (w * (0.1 * k)).Tanh().Sum();
        }
        return total;
    }

    private static void OnThreads(Action<int> body)
    {
        using var start = new Barrier(Threads);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                body(t);
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        Assert.Empty(errors);
    }

    [Fact]
    public void Autograd_Grad_on_a_parameter_shared_by_many_threads_equals_the_serial_result_every_time()
    {
        var w = Shared();
        double[] serial = Autograd.Grad(F(w), [w])[0].ToFlatArray();
        int wrong = 0;
        OnThreads(_ =>
        {
            for (int i = 0; i < 300; i++)
            {
                if (!Autograd.Grad(F(w), [w])[0].ToFlatArray().SequenceEqual(serial))
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        });
        Assert.Equal(0, wrong);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void Concurrent_backward_passes_reaching_one_leaf_add_every_contribution_to_its_grad()
    {
        const int Passes = 500;
        var w = Shared();
        double[] once = Autograd.Grad(F(w), [w])[0].ToFlatArray();
        var own = Enumerable.Range(0, Threads).Select(t => Tensor.From(new double[,] { { t, 1 } }, requiresGrad: true)).ToArray();
        OnThreads(t =>
        {
            for (int i = 0; i < Passes; i++)
            {
                (F(w) + (own[t] * own[t]).Sum()).Backward();
            }
        });
        // every contribution is the same vector c, so any order of the additions gives the same bits
        double[] expected = once.Select(_ => 0.0).ToArray();
        for (int k = 0; k < Threads * Passes; k++)
        {
            expected = expected.Zip(once, (a, c) => a + c).ToArray();
        }
        Assert.Equal(expected, w.Grad!.ToFlatArray());
        for (int t = 0; t < Threads; t++)
        {
            Assert.Equal(new[] { 2.0 * t * Passes, 2.0 * Passes }, own[t].Grad!.ToFlatArray()); // unshared leaves too
        }
    }

    [Fact]
    public void Concurrent_small_passes_into_one_large_leaf_lose_no_contribution()
    {
        const int Passes = 1500;
        var w = Tensor.Zeros<double>(32, 32, requiresGrad: true);
        OnThreads(_ =>
        {
            for (int i = 0; i < Passes; i++)
            {
                w.Sum().Backward(); // each adds a matrix of ones: the accumulation is most of the pass
            }
        });
        Assert.All(w.Grad!.ToFlatArray(), g => Assert.Equal(Threads * Passes, g));
    }

    [Fact]
    public void Passes_through_a_shared_intermediate_result_on_many_threads_agree_with_the_serial_pass()
    {
        var w = Shared();
        var hidden = w.Tanh().MatMul(w.Transpose()); // recorded once, back-propagated through by every thread
        var inputs = new[] { w };
        double[] serial = Autograd.Grad(hidden.Sigmoid().Sum(), inputs)[0].ToFlatArray();
        int wrong = 0;
        OnThreads(_ =>
        {
            for (int i = 0; i < 1000; i++)
            {
                if (!Autograd.Grad(hidden.Sigmoid().Sum(), inputs)[0].ToFlatArray().SequenceEqual(serial))
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        });
        Assert.Equal(0, wrong);
    }
}
