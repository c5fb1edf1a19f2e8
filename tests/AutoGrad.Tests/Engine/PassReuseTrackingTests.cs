using AutoGrad;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// A backward pass that reuses its own dead gradient arrays must hold every array it allocated while a gradient slot
/// still needs it — also the first such array, when that one is allocated by the broadcast reduction of a rule's
/// result. Found by the fuzzed-graph properties (TensorScopeTests, BufferPoolTests) as a rare
/// <see cref="ObjectDisposedException"/>: Pow(0)'s gradient is a fresh zero array the pass does not track, Add hands
/// it to both inputs, its reduction to Sub's 3×1 input was the pass's first tracked array but was stored unheld, and
/// Sub, passing that gradient on to x2 unchanged, recycled it while x2's gradient was still pending.
/// </summary>
public class PassReuseTrackingTests
{
    private static (double[] X3, double[] X2, double[] X0) Gradients(bool scoped)
    {
        var x3 = Tensor.FromRowMajor(3, 3, [0.8, -0.86, -1.3, 0.74, 0.4, 0.6, -0.31, -0.69, 0.98], requiresGrad: true);
        var x2 = Tensor.FromRowMajor(3, 1, [0.79, -0.9, -0.54], requiresGrad: true);
        var x0 = Tensor.FromRowMajor(1, 1, [1.44], requiresGrad: true);
        BufferPool<double>.MinLengthOnThisThread = 1; // every array is one the pool keeps, as large ones are normally
        try
        {
            using TensorScope? scope = scoped ? Tensor.Scope() : null;
            (x3 + (x2 - x0)).Pow(0.0).Sum().Backward();
            return (x3.Grad!.ToFlatArray(), x2.Grad!.ToFlatArray(), x0.Grad!.ToFlatArray());
        }
        finally
        {
            BufferPool<double>.MinLengthOnThisThread = 0;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_gradient_passed_on_unchanged_after_the_first_tracked_reduction_is_not_recycled_while_pending(bool scoped)
    {
        var (x3, x2, x0) = Gradients(scoped);
        Assert.Equal(new double[9], x3);
        Assert.Equal(new double[3], x2);
        Assert.Equal(new double[1], x0);
    }
}
