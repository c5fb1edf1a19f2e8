using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace AutoGrad.Benchmarks;

/// <summary>
/// The shared configuration: MemoryDiagnoser for bytes per operation, CSV export for the comparison script,
/// and the thread count taken from the AUTOGRAD_THREADS environment variable, passed to the benchmark process as
/// AUTOGRAD_NUM_THREADS (AutoGrad's own limit, <see cref="Parallelism.MaxThreads"/>, like torch.set_num_threads).
/// Not DOTNET_PROCESSOR_COUNT: a runtime told it has one processor delays tier-1 JIT compilation tenfold
/// (TC_DelaySingleProcMultiplier), which left hot methods unoptimised for seconds and made every 1-thread figure
/// several times too slow — the hand-written step as much as the tape.
/// </summary>
public static class BenchmarkConfig
{
    public static IConfig Create()
    {
        string threads = Environment.GetEnvironmentVariable("AUTOGRAD_THREADS") ?? Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        bool quick = Environment.GetEnvironmentVariable("AUTOGRAD_QUICK") == "1";
        // "Quick" keeps the comparison run to minutes: one launch, 2 warm-ups, 6 measured iterations (medians are reported).
        Job job = (quick ? Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(6) : Job.Default)
            .WithEnvironmentVariables(new EnvironmentVariable(Parallelism.EnvironmentVariable, threads))
            .WithId($"{threads}thread");
        return DefaultConfig.Instance
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(CsvExporter.Default)
            .AddColumn(StatisticColumn.Median)
            .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend).WithMaxParameterColumnWidth(40))
            .WithOptions(ConfigOptions.JoinSummary);
    }
}
