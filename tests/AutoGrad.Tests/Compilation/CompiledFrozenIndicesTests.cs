using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// README's "Limits" of compiled steps: indices read out of a tensor (<c>ArgMax</c>) are plain numbers, not recorded,
/// so the rows a traced <c>Gather</c> picks stay those of the trace; <c>CheckEachCall</c> detects the difference.
/// </summary>
public class CompiledFrozenIndicesTests
{
    [Fact]
    public void Rows_picked_by_ArgMax_stay_those_of_the_trace_and_a_checked_call_detects_it()
    {
        var p = Tensor.FromRowMajor<double>(3, 1, [1.0, 2.0, 3.0], requiresGrad: true, name: "p");
        var scores = Tensor.FromRowMajor<double>(1, 3, [0.0, 5.0, 1.0], name: "scores");
        Tensor<double> Loss(Tensor<double> x) => (p.Gather(scores.ArgMax(1)) * x).Sum();
        var step = Tensor.Compile<double>(Loss);
        var check = Tensor.Compile<double>(Loss, options: new CompileOptions { CheckEachCall = true });
        var x = Tensor.Full<double>(1, 1, 1.0);
        Assert.Equal(2.0, step.Run(x));
        check.Run(x);
        scores.CopyFrom([7.0, 5.0, 1.0]);
        Assert.Equal(1.0, Loss(x).Item); // eager: row 0 now
        Assert.Equal(2.0, step.Run(x));  // compiled: still row 1
        Assert.Contains("the compiled result differs from the eager one",
            Assert.Throws<InvalidOperationException>(() => check.Run(x)).Message);
    }
}
