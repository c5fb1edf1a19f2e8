using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using AutoGrad.Compilation;
using AutoGrad.Nn;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Where a compiled training step's time goes: the step of <see cref="CompiledStepComparison"/> (two-layer sigmoid MLP,
/// ½‖ŷ − y‖², SGD in the plan) at the two small sizes, each plan step, gradient delivery and the update timed on its
/// own (<c>Plan.MeasureParts</c>: each part repeated where it stands in a run), the fastest of many short alternating rounds (the machine is shared: a round that no other process interrupted), beside
/// the whole <c>Run</c>; "per-call overhead" is the whole call minus the sum of its parts. The whole step is also
/// timed beside the plain fused loops (<see cref="PlainLoopsStep{T}"/>) and the plan's own products alone, the same way.
/// Run: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- profile [threads] [large | batch,n0,n1,n2]</c>
/// ("large": the (256, 784-256-10) step instead, one call per round; four numbers: that size alone).
/// </summary>
public static class CompiledStepProfile
{
    private const int Rounds = 201;

    public static void Run(int threads, bool large = false, (int Batch, int N0, int N1, int N2)? size = null)
    {
        Parallelism.MaxThreads = threads;
        foreach (var c in size is { } one ? [one] : large ? new[] { (256, 784, 256, 10) } : new[] { (1, 4, 8, 1), (32, 16, 32, 4) })
        {
            Profile<double>(c);
            Profile<float>(c);
        }
    }

    private static void Profile<T>((int Batch, int N0, int N1, int N2) c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        var model = new Mlp<T>([c.N0, c.N1, c.N2], [Activation.Sigmoid, Activation.Sigmoid], random);
        var x = Tensor.RandomNormal<T>(c.Batch, c.N0, random);
        var y = Tensor.RandomUniform<T>(c.Batch, c.N2, random);
        // A tiny rate: the profile's many repeated updates must not drive the network anywhere unusual.
        var compiled = Tensor.Compile((Tensor<T> a, Tensor<T> b) => Loss.HalfSumSquared(model.Forward(a), b),
            new Sgd<T>(model.Parameters, T.CreateChecked(1e-9)));
        compiled.Run(x, y);
        var plan = compiled.LatestPlan!;
        PlainLoopsStep<T>? plain = c.Batch > 32 ? null : new PlainLoopsStep<T>(c.Batch, c.N0, c.N1, c.N2, model.Layers[0].Weight.ToFlatArray(), model.Layers[0].Bias!.ToFlatArray(),
            model.Layers[1].Weight.ToFlatArray(), model.Layers[1].Bias!.ToFlatArray(), T.CreateChecked(1e-9));
        T[] xs = x.ToFlatArray(), ys = y.ToFlatArray();
        int calls = c.Batch == 1 ? 200 : c.Batch == 32 ? 20 : 1; // rounds of ~0.1 ms: some escape the other processes' load
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 2)
        {
            for (int i = 0; i < calls; i++)
            {
                compiled.Run(x, y);
            }
            plan.MeasureParts(x, y, calls);
            for (int i = 0; plain is not null && i < calls; i++)
            {
                plain.Step(xs, ys);
            }
        }
        // the products, those running an element-wise operation in their epilogue included (a few additions more)
        PlanStep<T>[] products = PlanProducts.Of(plan.Steps);
        var loops = new List<double>();
        var gemm = new List<double>();
        var whole = new List<double>();
        var planOnly = new List<double>();
        List<double>[]? parts = null, inRunParts = null;
        string[] labels = [];
        for (int round = 0; round < Rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                compiled.Run(x, y);
            }
            whole.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                plan.Run(x, y); // the plan itself, without CompiledStep.Run's and the plan cache's checks
            }
            planOnly.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
            if (plain is not null)
            {
                start = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls; i++)
                {
                    plain.Step(xs, ys);
                }
                loops.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
            }
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                foreach (PlanStep<T> product in products)
                {
                    product.Run();
                }
            }
            gemm.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
            double[] inRun = plan.MeasureInRun(x, y, calls);
            inRunParts ??= [.. inRun.Select(_ => new List<double>())];
            for (int p = 0; p < inRun.Length; p++)
            {
                inRunParts[p].Add(inRun[p]);
            }
            var measured = plan.MeasureParts(x, y, calls);
            parts ??= [.. measured.Select(_ => new List<double>())];
            labels = [.. measured.Select(m => m.Part)];
            for (int p = 0; p < measured.Length; p++)
            {
                parts[p].Add(measured[p].Nanoseconds);
            }
        }
        static double Fastest(List<double> values) => values[0] < 0 ? values.Max() : values.Min();
        double total = Fastest(whole);
        double[] medians = [.. parts!.Select(Fastest)];
        double sum = medians.Where(m => m > 0).Sum();
        Console.WriteLine();
        Console.WriteLine($"({c.Batch}, {c.N0}-{c.N1}-{c.N2}) {typeof(T).Name.ToLowerInvariant()}: whole Run {F(total)} ns, " +
            $"sum of parts {F(sum)} ns, per-call overhead {F(total - sum)} ns");
        string vsLoops = loops.Count == 0 ? "plain loops —" : $"plain loops {F(Fastest(loops))} ns (compiled / plain loops {total / Fastest(loops):0.00})";
        Console.WriteLine($"fastest rounds: compiled {F(total)} ns, {vsLoops}, GEMM only {F(Fastest(gemm))} ns (compiled / GEMM only {total / Fastest(gemm):0.00})");
        Console.WriteLine($"the plan's own Run (no CompiledStep.Run or plan-cache checks): {F(Fastest(planOnly))} ns; the checks and the plan lookup: {F(total - Fastest(planOnly))} ns");
        // each part timed where it stands in a run (Plan.MeasureInRun): index 0 binding, then the steps, then the deliveries
        double[] inRunFastest = [.. inRunParts!.Select(Fastest)];
        Console.WriteLine("| part | ns | share of Run | ns within a run |");
        Console.WriteLine("|---|---:|---:|---:|");
        int stepIndex = 0;
        for (int p = 0; p < labels.Length; p++)
        {
            bool isLink = medians[p] < 0, isDelivery = labels[p].StartsWith("deliver", StringComparison.Ordinal);
            string within = isLink || isDelivery ? "" : F(inRunFastest[stepIndex++]);
            Console.WriteLine($"| {labels[p].Trim().Replace("|", "/", StringComparison.Ordinal)} | {F(Math.Abs(medians[p]))} | {Math.Abs(medians[p]) / total:P0} | {within} |");
        }
        Console.WriteLine($"| deliveries | | | {F(inRunFastest[^1])} |");
        Console.WriteLine($"| per-call overhead (Run − parts) | {F(total - sum)} | {(total - sum) / total:P0} | {F(total - inRunFastest.Sum())} (Run − parts within a run) |");
    }

    private static string F(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
