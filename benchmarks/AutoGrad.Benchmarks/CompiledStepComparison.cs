using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using AutoGrad.Nn;

namespace AutoGrad.Benchmarks;

/// <summary>
/// A stopwatch A/B of one training step in one process, for a shared, noisy machine: the eager tape, the tape in a
/// <see cref="TensorScope"/>, the compiled step (<see cref="Tensor.Compile{T}(Func{Tensor{T}, Tensor{T}, Tensor{T}}, Optimizer{T}?, CompileOptions?)"/>
/// with its SGD update) and, at the two smallest sizes, plain fused loops over arrays (the limit). The variants
/// alternate round by round, so a burst of load from other processes hits them all alike; medians of the rounds.
/// Run: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- compiled [threads]</c>.
/// </summary>
public static class CompiledStepComparison
{
    private const int Rounds = 41;
    private static readonly (int Batch, int N0, int N1, int N2)[] Cases = [(1, 4, 8, 1), (32, 16, 32, 4), (64, 64, 128, 10), (256, 784, 256, 10)];

    public static void Run(int threads)
    {
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"Training step A/B, {threads} thread(s), {Rounds} alternating rounds, medians; µs per step and bytes allocated per step.");
        Console.WriteLine("| (batch, n0-n1-n2) | dtype | tape | tape in scope | compiled | plain loops | compiled / tape | compiled / tape in scope | compiled / plain loops | B/step tape | B/step compiled |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in Cases)
        {
            Measure<double>(c);
            Measure<float>(c);
        }
    }

    private static void Measure<T>((int Batch, int N0, int N1, int N2) c) where T : unmanaged, IFloatingPointIeee754<T>
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
        var variants = new List<(string Name, Func<T> Step)> { ("tape", Tape), ("tape in scope", TapeInScope), ("compiled", () => compiled.Run(x, y)) };
        if (plain is not null)
        {
            variants.Add(("plain loops", () => plain.Step(xs, ys)));
        }

        // Steps per timed batch: about 2 ms of the tape.
        var probe = Stopwatch.StartNew();
        int probeSteps = 0;
        while (probe.Elapsed.TotalMilliseconds < 20)
        {
            Tape();
            probeSteps++;
        }
        int steps = Math.Max(1, (int)(probeSteps * 2.0 / probe.Elapsed.TotalMilliseconds));
        foreach (var v in variants)
        {
            for (int i = 0; i < Math.Max(200, steps * 5); i++)
            {
                v.Step(); // JIT tiers and the compiled step's trace
            }
        }
        var times = variants.Select(_ => new List<double>()).ToArray();
        var bytes = new long[variants.Count];
        for (int round = 0; round < Rounds; round++)
        {
            for (int v = 0; v < variants.Count; v++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < steps; i++)
                {
                    variants[v].Step();
                }
                double elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                bytes[v] += GC.GetAllocatedBytesForCurrentThread() - before;
                times[v].Add(elapsed / steps);
            }
        }
        double Median(int v) => times[v].Order().ElementAt(times[v].Count / 2);
        double tape = Median(0), scoped = Median(1), comp = Median(2);
        double? loops = plain is null ? null : Median(3);
        string F(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
        string R(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
        long PerStep(int v) => bytes[v] / ((long)Rounds * steps);
        Console.WriteLine($"| ({c.Batch}, {c.N0}-{c.N1}-{c.N2}) | {typeof(T).Name.ToLowerInvariant()} | {F(tape)} | {F(scoped)} | {F(comp)} | " +
            $"{(loops is { } l ? F(l) : "—")} | {R(comp / tape)} | {R(comp / scoped)} | {(loops is { } l2 ? R(comp / l2) : "—")} | {PerStep(0)} | {PerStep(2)} |");
    }

    private static T[] Flat<T>(Tensor<T> t) where T : unmanaged, IFloatingPointIeee754<T> => t.ToFlatArray();
}
