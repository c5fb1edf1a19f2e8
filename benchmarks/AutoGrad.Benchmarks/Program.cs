using BenchmarkDotNet.Running;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- --filter '*'</c>.
/// See benchmarks/README.md for the figures and the side-by-side comparison with PyTorch.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["compiled", ..])
        {
            // the stopwatch A/B of the compiled step (see CompiledStepComparison): "compiled [threads] [pytorch.json …]"
            CompiledStepComparison.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1, args.Length > 2 ? args[2..] : []);
            return;
        }
        if (args is ["gemm", ..])
        {
            // the stopwatch A/B of the step-sized products, old kernels against new (see GemmStepComparison): "gemm [rounds] [batch] [threads]"
            int? batch = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : null;
            GemmStepComparison.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 101,
                batch is 0 ? null : batch, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1);
            return;
        }
        if (args is ["cputime", ..])
        {
            // the compiled (256, 784-256-10) step in thread CPU time, beside benchmarks/compare/pytorch_cpu_time.py: "cputime [rounds]"
            CompiledStepCpuTime.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 201);
            return;
        }
        if (args is ["openblas", ..])
        {
            // the (256, 784-256-10) products against OpenBLAS in one process (see OpenBlasComparison): "openblas [rounds] [peak GFMA/s float]"
            OpenBlasComparison.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 61,
                args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50.2);
            return;
        }
        if (args is ["windows", ..])
        {
            // the (256, 784-256-10) step timed like pytorch_bench.py (see StepWindows): "windows [threads] [float|double]"
            StepWindows.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1, args.Length > 2 ? args[2] : "float");
            return;
        }
        if (args is ["sigmoid", ..])
        {
            // the stopwatch A/B of σ over the step's spans, old kernel against new (see SigmoidComparison): "sigmoid [rounds] [range]"
            SigmoidComparison.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 301,
                args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
            return;
        }
        if (args is ["bands", ..])
        {
            // the compiled step at 1 and 2 threads alternately, in one process (see RowBandsComparison): "bands [rounds] [batch,n0,n1,n2]"
            int[] size = args.Length > 2 ? [.. args[2].Split(',').Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture))] : [];
            RowBandsComparison.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 201,
                size is [int b, int n0, int n1, int n2] ? (b, n0, n1, n2) : null);
            return;
        }
        if (args is ["profile", ..])
        {
            // where a compiled step's time goes, part by part (see CompiledStepProfile): "profile [threads] [large | batch,n0,n1,n2]"
            int[] size = args.Length > 2 && args[2] != "large" ? [.. args[2].Split(',').Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture))] : [];
            CompiledStepProfile.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1, args is [_, _, "large"],
                size is [int b, int n0, int n1, int n2] ? (b, n0, n1, n2) : null);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create());
    }
}
