using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using AutoGrad.Compilation;
using AutoGrad.Nn;

namespace AutoGrad.Benchmarks;

/// <summary>
/// A stopwatch A/B of one training step in one process, for a shared, noisy machine: the eager tape, the tape in a
/// <see cref="TensorScope"/>, the compiled step (<see cref="Tensor.Compile{T}(Func{Tensor{T}, Tensor{T}, Tensor{T}}, Optimizer{T}?, CompileOptions?)"/>
/// with its SGD update inside the plan), at the two smallest sizes plain fused loops over arrays (the limit), and the
/// compiled plan's matrix products alone ("GEMM only": its five MatMul steps, the same kernels on the same buffers —
/// the arithmetic floor the step is compared with; "six products" adds the input-gradient product ∂L/∂z₁·W₁ that
/// issue 17's target counts but a step whose input needs no gradient does not run; the products are found inside row
/// bands and independent pieces too, <see cref="PlanProducts"/>). Caution: run alone, a plan's products read buffers that
/// later steps of the plan reuse (liveness), so their operands then hold other values than within the step; on the
/// AVX-512 machine of session fourteen the (64, 64-128-10) products took twice the whole step that way (140 µs against
/// 70 µs), so for that size read the `gemm` command's figures (<see cref="GemmStepComparison"/>: the same kernels on
/// buffers of their own) instead of these two columns. The variants alternate round by round, so a burst of load from
/// other processes hits them all alike; medians of the rounds. Warm-up runs every variant, alternately, until the
/// compiled step's time per step has settled (tiered compilation finished), at least two seconds per case.
/// Run: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- compiled [threads] [pytorch.json …]</c>;
/// with PyTorch's timings (benchmarks/compare/pytorch_bench.py --training-only) the table gets a PyTorch column
/// (the median of the files given, e.g. one run before and one after).
/// </summary>
public static class CompiledStepComparison
{
    private const int Rounds = 31;
    private static readonly (int Batch, int N0, int N1, int N2)[] Cases = [(1, 4, 8, 1), (32, 16, 32, 4), (64, 64, 128, 10), (256, 784, 256, 10)];

    public static void Run(int threads, string[] pytorchFiles)
    {
        Parallelism.MaxThreads = threads;
        var pytorch = pytorchFiles.Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("training")).ToArray();
        Console.WriteLine($"Training step A/B, {threads} thread(s), {Rounds} alternating rounds after a warm-up to steady state, medians; " +
            "µs per step and bytes allocated per step.");
        Console.WriteLine("| (batch, n0-n1-n2) | dtype | tape | tape in scope | compiled | plain loops | GEMM only | six products | PyTorch | compiled / tape | " +
            "compiled / tape in scope | compiled / plain loops | compiled / GEMM only | compiled / six products | compiled / PyTorch | tape / PyTorch | B/step tape | B/step compiled |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in Cases)
        {
            string key = $"({c.Batch}, {c.N0}-{c.N1}-{c.N2})";
            Measure<double>(c, PyTorch(pytorch, key, "double"));
            Measure<float>(c, PyTorch(pytorch, key, "float"));
        }
    }

    /// <summary>PyTorch's µs per step for a case: the median over the files, or null without any.</summary>
    private static double? PyTorch(JsonElement[] runs, string key, string dtype)
    {
        var times = runs.Where(r => r.TryGetProperty(key, out _)).Select(r => r.GetProperty(key).GetProperty(dtype).GetDouble() * 1e6).Order().ToArray();
        return times.Length == 0 ? null : times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
    }

    private static void Measure<T>((int Batch, int N0, int N1, int N2) c, double? pytorch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        var tapeModel = new Mlp<T>([c.N0, c.N1, c.N2], [Activation.Sigmoid, Activation.Sigmoid], random);
        var compiledModel = new Mlp<T>([c.N0, c.N1, c.N2], [Activation.Sigmoid, Activation.Sigmoid], new Random(1));
        var x = Tensor.RandomNormal<T>(c.Batch, c.N0, random);
        var y = Tensor.RandomUniform<T>(c.Batch, c.N2, random);
        T rate = T.CreateChecked(0.01);
        var tapeSgd = new Sgd<T>(tapeModel.Parameters, rate);
        var compiled = Tensor.Compile((Tensor<T> a, Tensor<T> b) => Loss.HalfSumSquared(compiledModel.Forward(a), b),
            new Sgd<T>(compiledModel.Parameters, rate));
        compiled.Run(x, y);
        PlanStep<T>[] products = PlanProducts.Of(compiled.LatestPlan!.Steps);
        PlainLoopsStep<T>? plain = c.Batch * c.N0 * c.N1 <= 32 * 16 * 32
            ? new PlainLoopsStep<T>(c.Batch, c.N0, c.N1, c.N2, Flat(tapeModel.Layers[0].Weight), Flat(tapeModel.Layers[0].Bias!),
                Flat(tapeModel.Layers[1].Weight), Flat(tapeModel.Layers[1].Bias!), rate)
            : null;
        T[] xs = Flat(x), ys = Flat(y);

        T Tape()
        {
            tapeSgd.ZeroGrad();
            var loss = Loss.HalfSumSquared(tapeModel.Forward(x), y);
            loss.Backward();
            tapeSgd.Step();
            return loss.Item;
        }
        T TapeInScope()
        {
            using var scope = Tensor.Scope();
            return Tape();
        }
        T GemmOnly()
        {
            foreach (PlanStep<T> product in products)
            {
                product.Run();
            }
            return T.Zero;
        }
        // The product a step with an input gradient would add: ∂L/∂x = ∂L/∂z₁ · W₁ (issue 17 counts six products;
        // the compiled step runs five, as x needs no gradient).
        T[] dz1 = Flat(Tensor.RandomNormal<T>(c.Batch, c.N1, random)), w1 = Flat(tapeModel.Layers[0].Weight), dx = new T[c.Batch * c.N0];
        T SixProducts()
        {
            GemmOnly();
            Kernels.Gemm.Multiply(dz1, new Shape(c.Batch, c.N1), false, w1, new Shape(c.N1, c.N0), false, dx, new Shape(c.Batch, c.N0));
            return T.Zero;
        }
        var variants = new List<(string Name, Func<T> Step)>
        {
            ("tape", Tape), ("tape in scope", TapeInScope), ("compiled", () => compiled.Run(x, y)), ("GEMM only", GemmOnly), ("six products", SixProducts),
        };
        if (plain is not null)
        {
            variants.Add(("plain loops", () => plain.Step(xs, ys)));
        }

        // Steps per timed batch: about 3 ms of the tape.
        var probe = Stopwatch.StartNew();
        int probeSteps = 0;
        while (probe.Elapsed.TotalMilliseconds < 30)
        {
            Tape();
            probeSteps++;
        }
        int steps = Math.Max(1, (int)(probeSteps * 3.0 / probe.Elapsed.TotalMilliseconds));
        WarmUp(variants, steps);
        var times = variants.Select(_ => new List<double>()).ToArray();
        var bytes = new long[variants.Count];
        var countedSteps = new long[variants.Count];
        for (int round = 0; round < Rounds; round++)
        {
            for (int v = 0; v < variants.Count; v++)
            {
                int collections = GC.CollectionCount(0);
                long lastCollection = GC.GetGCMemoryInfo(GCKind.Any).Index;
                long before = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < steps; i++)
                {
                    variants[v].Step();
                }
                double elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                bool collected = GC.CollectionCount(0) != collections || GC.GetGCMemoryInfo(GCKind.Any).Index != lastCollection;
                // A window during which a collection started or ended counts only if the variant allocated (it may have caused it):
                // a background gen-2 collection started by the tape's allocations and still running during a window
                // of the compiled step retires the rest of this thread's allocation context, which this counter then
                // shows as up to 8 KB "allocated" by a step that allocated nothing (0 B in every window with
                // DOTNET_gcConcurrent=0; benchmarks/README.md, session eight).
                if (!collected || allocated > 8192)
                {
                    bytes[v] += allocated;
                    countedSteps[v] += steps;
                }
                times[v].Add(elapsed / steps);
            }
        }
        double Median(int v) => times[v].Order().ElementAt(times[v].Count / 2);
        double tape = Median(0), scoped = Median(1), comp = Median(2), gemm = Median(3), six = Median(4);
        double? loops = plain is null ? null : Median(5);
        string F(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
        string R(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
        string O(double? value, Func<double, string> format) => value is { } v ? format(v) : "—";
        string PerStep(int v) => countedSteps[v] == 0 ? "—" : (bytes[v] / countedSteps[v]).ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"| ({c.Batch}, {c.N0}-{c.N1}-{c.N2}) | {typeof(T).Name.ToLowerInvariant()} | {F(tape)} | {F(scoped)} | {F(comp)} | " +
            $"{O(loops, F)} | {F(gemm)} | {F(six)} | {O(pytorch, F)} | {R(comp / tape)} | {R(comp / scoped)} | {O(loops, l => R(comp / l))} | {R(comp / gemm)} | {R(comp / six)} | " +
            $"{O(pytorch, p => R(comp / p))} | {O(pytorch, p => R(tape / p))} | {PerStep(0)} | {PerStep(2)} |");
    }

    /// <summary>
    /// Runs the variants alternately in passes of about 100 ms each until the compiled step's time per step has
    /// settled — two successive passes within 3 % after at least 20 passes (two seconds), at most 60 passes.
    /// </summary>
    private static void WarmUp<T>(List<(string Name, Func<T> Step)> variants, int steps)
    {
        double previous = double.MaxValue;
        for (int pass = 0; pass < 60; pass++)
        {
            double compiledTime = 0;
            foreach (var (name, step) in variants)
            {
                var watch = Stopwatch.StartNew();
                int n = 0;
                while (watch.Elapsed.TotalMilliseconds < 100 / variants.Count || n < steps)
                {
                    step();
                    n++;
                }
                if (name == "compiled")
                {
                    compiledTime = watch.Elapsed.TotalMicroseconds / n;
                }
            }
            if (pass >= 20 && Math.Abs(compiledTime - previous) <= 0.03 * previous)
            {
                return;
            }
            previous = compiledTime;
        }
    }

    private static T[] Flat<T>(Tensor<T> t) where T : unmanaged, IFloatingPointIeee754<T> => t.ToFlatArray();
}
