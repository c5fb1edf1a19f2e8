using AutoGrad.Nn;
using AutoGrad.Tests.Fuzz;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// A backward pass reuses the arrays of intermediate gradients once they are dead. Reuse must be invisible: the
/// gradients are the same bits with and without it, and a gradient handed to the caller is never overwritten by a
/// later pass. (The suite fills reused arrays with NaN before they are handed out, so an array reused while still
/// live shows up as a NaN or a changed bit.)
/// </summary>
public class GradientBufferPoolTests
{
    private static double[][] Gradients(Tensor<double>[] inputs, Func<Tensor<double>[], Tensor<double>> function, bool reuse)
    {
        GradientBufferPool<double>.DisabledOnThisThread = !reuse;
        GradientBufferPool<double>.MinLengthOnThisThread = 1; // the fuzz graphs' tensors are small: reuse them all
        try
        {
            foreach (var x in inputs)
            {
                x.ZeroGrad();
            }
            function(inputs).Sum().Backward();
            return inputs.Select(x => x.Grad?.ToFlatArray() ?? []).ToArray();
        }
        finally
        {
            GradientBufferPool<double>.DisabledOnThisThread = false;
            GradientBufferPool<double>.MinLengthOnThisThread = 0;
        }
    }

    [Fact]
    public void Random_graphs_get_the_same_gradients_with_and_without_reuse() =>
        Properties.Check(GraphFuzzTests.Graphs, c =>
        {
            var inputs = c.Values.Select((m, i) => m.ToTensor(name: $"x{i}")).ToArray();
            Tensor<double> Function(Tensor<double>[] x) => c.Expression.Evaluate(x, new Dictionary<Expr, Tensor<double>>());
            double[][] reference = Gradients(inputs, Function, reuse: false);
            double[][] first = Gradients(inputs, Function, reuse: true);
            var kept = inputs.Select(x => x.Grad).ToArray(); // the caller's gradients from the first reusing pass
            double[][] second = Gradients(inputs, Function, reuse: true); // now the pool holds the first pass's arrays
            for (int i = 0; i < inputs.Length; i++)
            {
                Assert.Equal(reference[i], first[i]);
                Assert.Equal(reference[i], second[i]);
                Assert.Equal(reference[i], kept[i]?.ToFlatArray() ?? []);
            }
        }, cases: 200);

    [Fact]
    public void A_training_step_reuses_its_gradient_arrays()
    {
        long BackwardBytes(bool reuse)
        {
            var random = new Random(5);
            var model = new Mlp<double>([16, 32, 4], [Activation.Sigmoid, Activation.Sigmoid], random);
            var x = Tensor.RandomNormal<double>(32, 16, random);
            var y = Tensor.RandomUniform<double>(32, 4, random);
            GradientBufferPool<double>.DisabledOnThisThread = !reuse;
            try
            {
                long bytes = 0;
                for (int step = 0; step < 3; step++)
                {
                    foreach (var p in model.Parameters) { p.ZeroGrad(); }
                    var loss = Loss.HalfSumSquared(model.Forward(x), y);
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    loss.Backward();
                    bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                }
                return bytes; // the third step's: the pool is warm
            }
            finally
            {
                GradientBufferPool<double>.DisabledOnThisThread = false;
            }
        }
        long without = BackwardBytes(reuse: false), with = BackwardBytes(reuse: true);
        // The 32×32 hidden-layer gradients (8 KB each) dominate; with reuse they come from the pool.
        Assert.True(with < without / 2, $"backward allocated {with} B with reuse, {without} B without");
    }

    [Fact]
    public void Short_arrays_are_left_to_the_allocator()
    {
        GradientBufferPool<double>.ClearOnThisThread(); // other tests on this thread may have left arrays behind
        GradientBufferPool<double>.Return(new double[255]);
        Assert.Null(GradientBufferPool<double>.Take(255));
        var kept = new double[256];
        GradientBufferPool<double>.Return(kept);
        Assert.Same(kept, GradientBufferPool<double>.Take(256));
        Assert.Null(GradientBufferPool<double>.Take(256));
    }

    [Fact]
    public void The_pool_is_bounded_in_arrays_and_in_elements()
    {
        GradientBufferPool<float>.ClearOnThisThread();
        for (int i = 0; i < 40; i++)
        {
            GradientBufferPool<float>.Return(new float[300]);
        }
        Assert.Equal(32, Enumerable.Range(0, 40).Count(_ => GradientBufferPool<float>.Take(300) is not null));

        // 8 Mi elements in all: two arrays of 4 Mi fit, a third does not
        for (int i = 0; i < 3; i++)
        {
            GradientBufferPool<float>.Return(new float[1 << 22]);
        }
        Assert.Equal(2, Enumerable.Range(0, 3).Count(_ => GradientBufferPool<float>.Take(1 << 22) is not null));
        GradientBufferPool<float>.ClearOnThisThread();
    }

    [Fact]
    public void A_recorded_backward_pass_reuses_nothing()
    {
        var x = Tensor.From(new double[,] { { 0.3, -1.2 }, { 2.0, 0.5 } }, requiresGrad: true);
        var y = (x.Sigmoid() * x).Sum();
        y.Backward(createGraph: true);
        var firstGrad = x.Grad!;
        double[] before = firstGrad.ToFlatArray();
        var z = firstGrad.Square().Sum(); // differentiate the gradient: its graph must be intact
        x.ZeroGrad();
        z.Backward();
        Assert.Equal(before, firstGrad.ToFlatArray());
        Assert.NotNull(x.Grad);
    }
}
