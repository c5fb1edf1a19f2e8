using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// While a function is traced for <c>Tensor.Compile</c>, operations on tensors that require no gradient are recorded
/// too, for the plan; their results are still leaves to the function, and a write into one (or into a tensor detached
/// from one) cuts it from the trace, so the plan holds the written value as a constant.
/// </summary>
public class TraceOnlyWriteTests
{
    [Fact]
    public void Writing_into_a_result_recorded_only_for_the_trace_cuts_it_from_the_trace()
    {
        var saved = GradMode.EnterTracing();
        try
        {
            var x = Tensor.From(new double[,] { { 1, 2 } });
            var y = x.Exp();
            Assert.True(y.IsRecorded);
            Assert.True(y.IsLeaf);
            y.Fill(3);
            Assert.False(y.IsRecorded);
            Assert.Equal([3.0, 3.0], y.ToFlatArray());
            Assert.Equal(1, y.Version);
        }
        finally
        {
            GradMode.ExitTracing(saved);
        }
    }

    [Fact]
    public void Writing_into_a_tensor_detached_from_a_trace_only_result_cuts_that_result_from_the_trace()
    {
        var saved = GradMode.EnterTracing();
        try
        {
            var x = Tensor.From(new double[,] { { 1, 2 } });
            var y = x.Exp();
            var view = y.Detach();
            view[0, 1] = 5;
            Assert.False(y.IsRecorded); // the values it holds are no longer eˣ of x
            Assert.Equal(5.0, y[0, 1]);
            Assert.Equal(1, y.Version);
        }
        finally
        {
            GradMode.ExitTracing(saved);
        }
    }

    [Fact]
    public void A_write_into_a_recorded_result_that_requires_a_gradient_is_refused_and_cuts_nothing()
    {
        var saved = GradMode.EnterTracing();
        try
        {
            var x = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
            var y = x.Exp();
            var error = Assert.Throws<InvalidOperationException>(() => y.Fill(3));
            Assert.StartsWith("Fill: a 1×2 tensor is the result of Exp, recorded on the tape", error.Message);
            Assert.True(y.IsRecorded);
            Assert.Equal(0, y.Version);
        }
        finally
        {
            GradMode.ExitTracing(saved);
        }
    }
}
