using System.Numerics;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A compiled classifier step — Linear → ReLU → Linear → softmax cross-entropy against a labels tensor, with Adam or
/// Sgd — allocates nothing per call once traced, although each call reads new labels; so does a compiled forward
/// ending in a softmax. Runs alone, with the other allocation measurements.
/// </summary>
[Collection(nameof(ProcessWideState))]
public class CompiledClassifierAllocationTests
{
    private static long AllocatedPerCall(Action<int> call)
    {
        for (int i = 0; i < 20; i++)
        {
            call(i); // trace, then warm up (tiered JIT)
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            call(i);
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }

    private static Tensor<T> Labels<T>(int batch, int classes, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return Tensor.FromRowMajor(batch, 1, Enumerable.Range(0, batch).Select(_ => T.CreateChecked(random.Next(classes))).ToArray());
    }

    private static void ClassifierStepAllocatesNothing<T>(int batch, int n0, int n1, int classes, bool adam, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            var random = new Random(1);
            var model = new Mlp<T>([n0, n1, classes], [Activation.Relu, Activation.Identity], random);
            var x = Tensor.RandomNormal<T>(batch, n0, random);
            Tensor<T>[] labels = [Labels<T>(batch, classes, 2), Labels<T>(batch, classes, 3)];
            Optimizer<T> optimizer = adam
                ? new Adam<T>(model.Parameters, learningRate: 0.001)
                : new Sgd<T>(model.Parameters, T.CreateChecked(0.01));
            var step = Tensor.Compile((Tensor<T> a, Tensor<T> b) => Loss.CrossEntropyOfLabels(model.Forward(a), b), optimizer);
            Assert.Equal(0, AllocatedPerCall(i => step.Run(x, labels[i % 2])));
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Theory]
    [InlineData(32, 64, 64, 10, true, 1)]
    [InlineData(32, 64, 64, 10, false, 1)]
    [InlineData(32, 64, 64, 10, true, 2)]
    [InlineData(1, 4, 8, 3, true, 1)]
    public void A_compiled_double_classifier_step_allocates_nothing_per_call(int batch, int n0, int n1, int classes, bool adam, int threads) =>
        ClassifierStepAllocatesNothing<double>(batch, n0, n1, classes, adam, threads);

    [Theory]
    [InlineData(32, 64, 64, 10, true, 1)]
    public void A_compiled_float_classifier_step_allocates_nothing_per_call(int batch, int n0, int n1, int classes, bool adam, int threads) =>
        ClassifierStepAllocatesNothing<float>(batch, n0, n1, classes, adam, threads);

    [Fact]
    public void A_compiled_classifier_forward_with_a_softmax_allocates_nothing_per_call()
    {
        var model = new Mlp<double>([64, 64, 10], [Activation.Relu, Activation.Identity], new Random(1));
        var x = Tensor.RandomNormal<double>(32, 64, new Random(2));
        var forward = Tensor.CompileForward((Tensor<double> a) => model.Forward(a).Softmax(1));
        Assert.Equal(0, AllocatedPerCall(_ => forward.Run(x)));
    }
}
