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
public class BufferPoolTests
{
    private static double[][] Gradients(Tensor<double>[] inputs, Func<Tensor<double>[], Tensor<double>> function, bool reuse)
    {
        BufferPool<double>.DisabledOnThisThread = !reuse;
        BufferPool<double>.MinLengthOnThisThread = 1; // the fuzz graphs' tensors are small: reuse them all
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
            BufferPool<double>.DisabledOnThisThread = false;
            BufferPool<double>.MinLengthOnThisThread = 0;
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
            BufferPool<double>.DisabledOnThisThread = !reuse;
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
                BufferPool<double>.DisabledOnThisThread = false;
            }
        }
        long without = BackwardBytes(reuse: false), with = BackwardBytes(reuse: true);
        // The 32×32 hidden-layer gradients (8 KB each) dominate; with reuse they come from the pool.
        Assert.True(with < without / 2, $"backward allocated {with} B with reuse, {without} B without");
    }

    [Fact]
    public void Short_arrays_are_left_to_the_allocator()
    {
        BufferPool<double>.ClearOnThisThread(); // other tests on this thread may have left arrays behind
        BufferPool<double>.Return(new double[255]);
        Assert.Null(BufferPool<double>.Take(255));
        var kept = new double[256];
        BufferPool<double>.Return(kept);
        Assert.Same(kept, BufferPool<double>.Take(256));
        Assert.Null(BufferPool<double>.Take(256));
    }

    [Fact]
    public void The_pool_is_bounded_in_arrays_and_in_elements_and_the_oldest_make_room()
    {
        BufferPool<float>.ClearOnThisThread();
        var returned = Enumerable.Range(0, 40).Select(_ => new float[300]).ToArray();
        foreach (var array in returned)
        {
            BufferPool<float>.Return(array);
        }
        // 32 arrays at most: the 8 returned first made room for the last 8, and the most recent comes back first
        var taken = Enumerable.Range(0, 40).Select(_ => BufferPool<float>.Take(300)).Where(a => a is not null).ToArray();
        Assert.Equal(returned.Skip(8).Reverse().ToArray(), taken);

        // 16 Mi elements in all: two arrays of 8 Mi fit; a third makes the oldest leave; one above 16 Mi is not kept
        var large = Enumerable.Range(0, 3).Select(_ => new float[1 << 23]).ToArray();
        foreach (var array in large)
        {
            BufferPool<float>.Return(array);
        }
        BufferPool<float>.Return(new float[(1 << 24) + 1]);
        Assert.Null(BufferPool<float>.Take((1 << 24) + 1));
        Assert.Same(large[2], BufferPool<float>.Take(1 << 23));
        Assert.Same(large[1], BufferPool<float>.Take(1 << 23));
        Assert.Null(BufferPool<float>.Take(1 << 23));
        BufferPool<float>.ClearOnThisThread();
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
