using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// The contract of the per-thread recording switches around a trace (<c>Tensor.Compile</c>) and a backward pass, asked
/// of <see cref="GradMode"/> directly: a trace records everything, a plain backward pass inside it suspends that and a
/// <c>createGraph</c> pass keeps it, and the process-wide counters that answer "nobody is tracing / no anomaly scope is
/// open" without a thread-static read come back to where they were.
/// </summary>
public class GradModeTracingContractTests
{
    [Fact]
    public void A_trace_records_on_its_thread_even_inside_NoGrad_and_stops_when_it_ends()
    {
        using (Tensor.NoGrad())
        {
            Assert.False(GradMode.IsTracing);
            var saved = GradMode.EnterTracing();
            try
            {
                Assert.True(GradMode.IsTracing);
                Assert.True(GradMode.IsEnabled);
                Assert.True(GradMode.Records(anyRequiresGrad: false));
            }
            finally
            {
                GradMode.ExitTracing(saved);
            }
            Assert.False(GradMode.IsTracing);
            Assert.False(GradMode.IsEnabled); // the NoGrad scope is back
        }
    }

    [Fact]
    public void A_plain_backward_pass_inside_a_trace_suspends_tracing_and_a_createGraph_pass_keeps_it()
    {
        var saved = GradMode.EnterTracing();
        try
        {
            var plain = GradMode.EnterBackwardPass(createGraph: false);
            Assert.False(GradMode.IsTracing); // its rules run eagerly, as in an eager pass
            Assert.False(GradMode.IsEnabled);
            GradMode.ExitBackwardPass(plain);
            Assert.True(GradMode.IsTracing);

            var recorded = GradMode.EnterBackwardPass(createGraph: true);
            Assert.True(GradMode.IsTracing); // a pass that records keeps recording for the trace
            Assert.True(GradMode.IsEnabled);
            GradMode.ExitBackwardPass(recorded);
            Assert.True(GradMode.IsTracing);
        }
        finally
        {
            GradMode.ExitTracing(saved);
        }
        Assert.False(GradMode.IsTracing);
    }

    /// <summary>
    /// The trace names the compiled entry point the caller called, for the refusal of a plain backward pass inside it
    /// (issue 13); the name is there only while tracing — not inside a plain pass, which suspends tracing — and an
    /// inner trace's name gives way to the outer one's when it ends.
    /// </summary>
    [Fact]
    public void A_trace_names_its_entry_point_only_while_it_is_tracing()
    {
        Assert.Null(GradMode.TracingApi);
        var outer = GradMode.EnterTracing("Tensor.Compile");
        try
        {
            Assert.Equal("Tensor.Compile", GradMode.TracingApi);
            var inner = GradMode.EnterTracing("Tensor.CompileForward");
            Assert.Equal("Tensor.CompileForward", GradMode.TracingApi);
            GradMode.ExitTracing(inner);
            Assert.Equal("Tensor.Compile", GradMode.TracingApi);
            var plain = GradMode.EnterBackwardPass(createGraph: false);
            Assert.Null(GradMode.TracingApi);
            GradMode.ExitBackwardPass(plain);
            Assert.Equal("Tensor.Compile", GradMode.TracingApi);
        }
        finally
        {
            GradMode.ExitTracing(outer);
        }
        Assert.Null(GradMode.TracingApi);
    }

    [Fact]
    public void A_plain_backward_pass_outside_a_trace_leaves_tracing_off_and_restores_recording()
    {
        var plain = GradMode.EnterBackwardPass(createGraph: false);
        Assert.False(GradMode.IsTracing);
        Assert.False(GradMode.IsEnabled);
        GradMode.ExitBackwardPass(plain);
        Assert.True(GradMode.IsEnabled);
        Assert.False(GradMode.IsTracing);
    }

    /// <summary>
    /// Entering and leaving a trace (or an anomaly scope) leaves the process-wide count where it was. Other tests trace
    /// on other threads at the same time, so one reading can be disturbed; a balanced enter/exit is seen at least once
    /// in many tries when the count is kept right, and never when an increment or a decrement is lost (every thread's
    /// enter/exit then moves the count the same way).
    /// </summary>
    [Fact]
    public void Entering_and_leaving_a_trace_leaves_the_process_wide_count_where_it_was()
    {
        bool balancedOnce = false;
        for (int attempt = 0; attempt < 200 && !balancedOnce; attempt++)
        {
            int before = GradMode.TracesInProcess;
            var saved = GradMode.EnterTracing();
            int inside = GradMode.TracesInProcess;
            GradMode.ExitTracing(saved);
            int after = GradMode.TracesInProcess;
            balancedOnce = inside == before + 1 && after == before;
        }
        Assert.True(balancedOnce, "EnterTracing/ExitTracing never moved the process-wide count by +1 and back");
    }

    [Fact]
    public void Opening_and_closing_an_anomaly_scope_leaves_the_process_wide_count_where_it_was()
    {
        bool balancedOnce = false;
        for (int attempt = 0; attempt < 200 && !balancedOnce; attempt++)
        {
            int before = GradMode.AnomalyScopesInProcess;
            var scope = GradMode.EnableAnomalyDetection();
            int inside = GradMode.AnomalyScopesInProcess;
            Assert.True(GradMode.AnomalyDetection);
            scope.Dispose();
            int after = GradMode.AnomalyScopesInProcess;
            balancedOnce = inside == before + 1 && after == before;
        }
        Assert.True(balancedOnce, "DetectAnomaly's scope never moved the process-wide count by +1 and back");
    }

    [Fact]
    public void A_backward_rule_marker_disposed_on_another_thread_is_refused_by_its_name_and_still_closes_on_its_own()
    {
        using var anomaly = Tensor.DetectAnomaly();
        var marker = GradMode.EnterBackwardRule();
        Assert.False(GradMode.CheckForwardAnomalies); // inside a rule the forward checks are off
        Exception? refused = null;
        var other = new Thread(() => refused = Record(marker.Dispose));
        other.Start();
        other.Join();
        var error = Assert.IsType<InvalidOperationException>(refused);
        Assert.StartsWith("a backward rule: the scope was opened on thread", error.Message);
        Assert.False(GradMode.CheckForwardAnomalies); // the refused call changed nothing
        marker.Dispose();
        Assert.True(GradMode.CheckForwardAnomalies); // closed here, once
        marker.Dispose();
        Assert.True(GradMode.CheckForwardAnomalies);
    }

    [Fact]
    public void A_functional_derivatives_recording_scope_disposed_on_another_thread_is_refused_by_its_name()
    {
        using (Tensor.NoGrad())
        {
            var scope = GradMode.EnableGrad();
            Assert.True(GradMode.IsEnabled);
            Exception? refused = null;
            var other = new Thread(() => refused = Record(scope.Dispose));
            other.Start();
            other.Join();
            var error = Assert.IsType<InvalidOperationException>(refused);
            Assert.StartsWith("the recording scope of a functional derivative: the scope was opened on thread", error.Message);
            Assert.True(GradMode.IsEnabled); // the refused call changed nothing
            scope.Dispose();
            Assert.False(GradMode.IsEnabled); // the NoGrad scope is back
        }
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
