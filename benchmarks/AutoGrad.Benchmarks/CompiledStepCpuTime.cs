using System.Globalization;
using System.Numerics;
using AutoGrad.Nn;

namespace AutoGrad.Benchmarks;

/// <summary>
/// The compiled (256, 784-256-10) training step at one thread, timed by the calling thread's CPU time — the counterpart
/// of benchmarks/compare/pytorch_cpu_time.py, for a machine too loaded for wall-clock comparisons: time spent waiting
/// for a core does not count on either side (caches refilled after another process ran still do). Prints one line per
/// dtype: the median µs per step over the rounds.
/// Run: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- cputime [rounds]</c>.
/// </summary>
public static class CompiledStepCpuTime
{
    public static void Run(int rounds)
    {
        Parallelism.MaxThreads = 1;
        Measure<double>(rounds);
        Measure<float>(rounds);
    }

    private static void Measure<T>(int rounds) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        var model = new Mlp<T>([784, 256, 10], [Activation.Sigmoid, Activation.Sigmoid], random);
        var x = Tensor.RandomNormal<T>(256, 784, random);
        var y = Tensor.RandomUniform<T>(256, 10, random);
        var step = Tensor.Compile((Tensor<T> a, Tensor<T> b) => Loss.HalfSumSquared(model.Forward(a), b),
            new Sgd<T>(model.Parameters, T.CreateChecked(0.01)));
        long warm = ThreadTime.Nanoseconds();
        while (ThreadTime.Nanoseconds() - warm < 1_000_000_000)
        {
            step.Run(x, y);
        }
        var times = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            long start = ThreadTime.Nanoseconds();
            step.Run(x, y);
            times[r] = (ThreadTime.Nanoseconds() - start) / 1000.0;
        }
        Array.Sort(times);
        Console.WriteLine($"AutoGrad compiled (256, 784-256-10) {(typeof(T) == typeof(float) ? "float" : "double")}: " +
            $"{times[rounds / 2].ToString("0.0", CultureInfo.InvariantCulture)} µs CPU per step (median of {rounds})");
    }
}
