using System.Numerics;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A compiled step is a loop over preallocated buffers: once traced, a call allocates nothing — on the calling thread
/// and on the GEMMs' worker threads, at one thread and at two. Run alone: the whole-process count would see other
/// tests' allocations.
/// </summary>
[Collection(nameof(ProcessWideState))]
public class CompiledAllocationTests
{
    /// <summary>
    /// Bytes a call allocates in steady state: windows of 100 calls after 20 warm-up calls, until two windows in a row
    /// allocate nothing (then 0) or six windows have run (then the smallest window's bytes per call, never 0). A
    /// per-call allocation shows in every window (a planted 24 B one gives 2400 B in each of six); a one-off in one.
    /// A window counts the bytes allocated on this thread (<c>GC.GetAllocatedBytesForCurrentThread</c>) plus those
    /// allocated on the GEMMs' worker threads (<see cref="AutoGrad.Kernels.WorkerPool.WorkerAllocatedBytes"/>, each
    /// worker's own counter): the first alone cannot see a parallel kernel's allocations (Parallel.For's tasks and
    /// closures were 3–15 KB per step at two threads). The whole-process count (<c>GC.GetTotalAllocatedBytes</c>) is
    /// shown in the message but not asserted: under the test runner it sees the runner's own threads (168–672 B per
    /// window of 100 steps, at one thread as at two) and tiered compilation's (48 B now and then); in a console
    /// program with tiered compilation off it was 0 in every window at 1 and 2 threads (benchmarks/README.md).
    /// The 52 B/call (5.2 KB in one window of 100) seen once at (32, 16-32-4) with 2 threads under heavy machine load
    /// was a one-off: it passed alone, no kernel at that size runs on a second thread (the GEMMs stay below
    /// the parallel threshold and use the plan's scratch, not the ArrayPool), and garbage collections started by
    /// another thread during a window show 0 (measured). Not reproduced; the remaining suspect is a late tier-up of the
    /// JIT (the warm-up is counted in calls, tiering in time). A one-off is not what this class asserts about.
    /// </summary>
    internal static long AllocatedPerCall(Action call) => AllocatedPerCall(call, out _);

    internal static long AllocatedPerCall(Action call, out string windows)
    {
        for (int i = 0; i < 20; i++)
        {
            call(); // trace, then warm up (tiered JIT)
        }
        var perWindow = new List<(long Thread, long Workers, long Process)>();
        int zerosInARow = 0;
        while (zerosInARow < 2 && perWindow.Count < 6)
        {
            long process = GC.GetTotalAllocatedBytes(precise: true);
            long workers = AutoGrad.Kernels.WorkerPool.WorkerAllocatedBytes;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                call();
            }
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            long workerBytes = AutoGrad.Kernels.WorkerPool.WorkerAllocatedBytes - workers;
            long processBytes = GC.GetTotalAllocatedBytes(precise: true) - process;
            perWindow.Add((bytes, workerBytes, processBytes));
            zerosInARow = bytes == 0 && workerBytes == 0 ? zerosInARow + 1 : 0;
        }
        windows = $"bytes per window of 100 calls, this thread: {string.Join(", ", perWindow.Select(w => w.Thread))}; " +
            $"worker threads: {string.Join(", ", perWindow.Select(w => w.Workers))}; " +
            $"whole process (not asserted): {string.Join(", ", perWindow.Select(w => w.Process))}";
        return zerosInARow == 2 ? 0 : Math.Max(1, perWindow.Min(w => w.Thread + w.Workers) / 100);
    }

    /// <summary>The optimizers a step may update with inside its plan: 0 none, 1 Sgd, 2 Sgd with momentum and weight decay, 3 Adam (AMSGrad), 4 AdamW.</summary>
    private static Optimizer<T>? MakeOptimizer<T>(int kind, IEnumerable<Tensor<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T> => kind switch
    {
        0 => null,
        1 => new Sgd<T>(parameters, T.CreateChecked(0.01)),
        2 => new Sgd<T>(parameters, 0.01, momentum: 0.9, weightDecay: 0.01),
        3 => new Adam<T>(parameters, amsGrad: true),
        _ => new AdamW<T>(parameters),
    };

    private static void StepAllocatesNothing<T>(int batch, int n0, int n1, int n2, int optimizer, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            var random = new Random(1);
            var model = new Mlp<T>([n0, n1, n2], [Activation.Sigmoid, Activation.Sigmoid], random);
            var x = Tensor.RandomNormal<T>(batch, n0, random);
            var y = Tensor.RandomUniform<T>(batch, n2, random);
            var step = Tensor.Compile((Tensor<T> a, Tensor<T> b) => Loss.HalfSumSquared(model.Forward(a), b),
                MakeOptimizer<T>(optimizer, model.Parameters));
            long perCall = AllocatedPerCall(() => step.Run(x, y), out string windows);
            Assert.True(perCall == 0, $"{perCall} B per call at ({batch}, {n0}-{n1}-{n2}), optimizer {optimizer}, {threads} thread(s); {windows}");
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Theory]
    [InlineData(1, 4, 8, 1, 0, 1)]
    [InlineData(1, 4, 8, 1, 1, 1)]
    [InlineData(1, 4, 8, 1, 2, 1)]
    [InlineData(1, 4, 8, 1, 3, 1)]
    [InlineData(32, 16, 32, 4, 1, 1)]
    [InlineData(32, 16, 32, 4, 1, 2)]
    [InlineData(32, 16, 32, 4, 4, 1)]
    [InlineData(64, 64, 128, 10, 1, 1)]
    [InlineData(64, 64, 128, 10, 3, 1)]
    [InlineData(64, 64, 128, 10, 1, 2)] // products of 2¹⁹ multiply-adds: the unpacked kernel splits its rows across the pool
    [InlineData(128, 300, 128, 10, 1, 2)] // k = 300 and 128×300×128: the packed kernel, its slices split across the pool
    public void A_compiled_double_training_step_allocates_nothing_per_call(int batch, int n0, int n1, int n2, int optimizer, int threads) =>
        StepAllocatesNothing<double>(batch, n0, n1, n2, optimizer, threads);

    [Theory]
    [InlineData(1, 4, 8, 1, 1, 1)]
    [InlineData(32, 16, 32, 4, 1, 2)]
    [InlineData(32, 16, 32, 4, 4, 1)]
    [InlineData(128, 300, 128, 10, 3, 2)]
    [InlineData(256, 784, 256, 10, 1, 1)] // 522 B per step once (the packed GEMM re-renting from a trimmed ArrayPool)
    [InlineData(256, 784, 256, 10, 1, 2)]
    public void A_compiled_float_training_step_allocates_nothing_per_call(int batch, int n0, int n1, int n2, int optimizer, int threads) =>
        StepAllocatesNothing<float>(batch, n0, n1, n2, optimizer, threads);

    [Fact]
    public void A_compiled_forward_allocates_nothing_per_call()
    {
        var model = new Mlp<double>([16, 32, 4], [Activation.Tanh, Activation.Sigmoid], new Random(1));
        var x = Tensor.RandomNormal<double>(32, 16, new Random(2));
        var forward = Tensor.CompileForward<double>(model.Forward);
        Assert.Equal(0, AllocatedPerCall(() => forward.Run(x)));
    }

    [Fact]
    public void The_eager_step_does_allocate_so_the_measurement_can_fail()
    {
        var model = new Mlp<double>([4, 8, 1], [Activation.Sigmoid, Activation.Sigmoid], new Random(1));
        var x = Tensor.RandomNormal<double>(1, 4, new Random(2));
        var y = Tensor.RandomUniform<double>(1, 1, new Random(3));
        Assert.True(AllocatedPerCall(() => Loss.HalfSumSquared(model.Forward(x), y).Backward()) > 1000);
    }
}
