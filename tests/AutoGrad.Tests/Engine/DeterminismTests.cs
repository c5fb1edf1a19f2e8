using AutoGrad.Kernels;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Same inputs, same bits: across threads, across repeated runs, and with one core or several. Changing the
/// process-wide thread limit puts the class in the <see cref="ProcessWideState"/> collection.
/// </summary>
[Collection(nameof(ProcessWideState))]
public class DeterminismTests
{
    private static double[] BuildAndBackPropagate(int seed)
    {
        var random = new Random(seed);
        int n = 1 + seed % 5;
        var w = Tensor.RandomNormal<double>(n, n, random, requiresGrad: true);
        var b = Tensor.RandomNormal<double>(n, 1, random, requiresGrad: true);
        var x = Tensor.RandomNormal<double>(n, 3, random);
        var loss = ((w.MatMul(x) + b).Tanh() * x.Sigmoid() / (w.Square().Sum() + 1.0)).Mean();
        loss.Backward();
        return [loss.Item, .. w.Grad!.ToFlatArray(), .. b.Grad!.ToFlatArray()];
    }

    [Fact]
    public void Eight_threads_each_back_propagating_1000_graphs_give_the_bits_of_a_serial_run()
    {
        const int Threads = 8, GraphsPerThread = 1000;
        var serial = new double[Threads * GraphsPerThread][];
        for (int g = 0; g < serial.Length; g++)
        {
            serial[g] = BuildAndBackPropagate(g);
        }
        var concurrent = new double[Threads * GraphsPerThread][];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < GraphsPerThread; i++)
            {
                int g = t * GraphsPerThread + i;
                concurrent[g] = BuildAndBackPropagate(g);
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        for (int g = 0; g < serial.Length; g++)
        {
            Assert.Equal(serial[g], concurrent[g]);
        }
    }

    private static double[] Train(bool serialKernels)
    {
        using var serial = serialKernels ? Parallelism.Serial() : null;
        var random = new Random(11);
        // 256×64 · 64×128 products: several 64-row blocks, so the GEMM splits across cores when it may
        var model = new Mlp<double>([64, 128, 10], [Activation.Sigmoid, Activation.Sigmoid], random);
        var sgd = new Sgd<double>(model.Parameters, 0.05);
        var x = Tensor.RandomNormal<double>(256, 64, random);
        var y = Tensor.RandomUniform<double>(256, 10, random);
        for (int step = 0; step < 20; step++)
        {
            sgd.ZeroGrad();
            Loss.HalfSumSquared(model.Forward(x), y).Backward();
            sgd.Step();
        }
        return model.Parameters.SelectMany(p => p.ToFlatArray()).ToArray();
    }

    [Fact]
    public void Training_the_same_seeded_mlp_gives_the_same_weights_on_one_core_and_on_all()
    {
        var parallel = Train(serialKernels: false);
        Assert.Equal(parallel, Train(serialKernels: false));
        Assert.Equal(parallel, Train(serialKernels: true));
    }

    [Fact]
    public void The_thread_limit_changes_no_bit_of_the_result()
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            var results = new[] { 1, 2, 3 }.Select(threads =>
            {
                Parallelism.MaxThreads = threads;
                return Train(serialKernels: false);
            }).ToArray();
            Assert.Equal(results[0], results[1]);
            Assert.Equal(results[0], results[2]);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
