using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// The per-thread engine state exists for double and float only. <c>Tensor&lt;T&gt;</c>'s static constructor refuses other
/// element types before any public call reaches <see cref="EngineThread.Of{T}"/>, so only a direct call can see that
/// method's own refusal (session fifteen's run G: its throw and message had no test).
/// </summary>
public class EngineThreadTests
{
    [Fact]
    public void State_for_another_element_type_is_refused_by_name()
    {
        var error = Assert.Throws<NotSupportedException>(() => EngineThread.Current.Of<Half>());
        Assert.Equal("Tensor<Half>: only double and float are supported.", error.Message);
    }

    [Fact]
    public void Each_element_type_has_one_state_per_thread_and_each_thread_its_own()
    {
        EngineThread<double> ofDouble = EngineThread.Current.Of<double>();
        EngineThread<float> ofFloat = EngineThread.Current.Of<float>();
        Assert.Same(ofDouble, EngineThread.Current.Of<double>());
        Assert.Same(ofFloat, EngineThread.Current.Of<float>());
        Assert.Same(EngineThread.Current, EngineThread.Current);

        object? other = null;
        var thread = new Thread(() => other = EngineThread.Current.Of<double>());
        thread.Start();
        thread.Join();
        Assert.NotNull(other);
        Assert.NotSame(ofDouble, other);
    }
}
