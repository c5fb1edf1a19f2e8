using BenchmarkDotNet.Running;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- --filter '*'</c>.
/// See benchmarks/README.md for the figures and the side-by-side comparison with PyTorch.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create());
}
