using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using AutoGrad.Nn;

namespace AutoGrad.Benchmarks;

/// <summary>
/// The (256, 784-256-10) training step — compiled, and the eager tape without any scope — timed in wall-clock time the
/// way benchmarks/compare/pytorch_bench.py times PyTorch's (its <c>median_time</c>): steps back to back in 7 windows of
/// at least 0.2 s, the median of the windows' µs per step. For benchmarks/compare/step_vs_pytorch.sh, which runs this and
/// PyTorch's step alternately so that both are timed in the same minutes. Prints one JSON object.
/// Run: <c>dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- windows [threads] [float|double]</c>.
/// </summary>
public static class StepWindows
{
    public static void Run(int threads, string dtype)
    {
        Parallelism.MaxThreads = threads;
        (double compiled, double tape) = dtype == "double" ? Measure<double>() : Measure<float>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"threads\": {threads}, \"dtype\": \"{dtype}\", \"compiled\": {compiled:0.0}, \"tape\": {tape:0.0}}}"));
    }

    private static (double Compiled, double Tape) Measure<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        var model = new Mlp<T>([784, 256, 10], [Activation.Sigmoid, Activation.Sigmoid], random);
        var tapeModel = new Mlp<T>([784, 256, 10], [Activation.Sigmoid, Activation.Sigmoid], new Random(1));
        var x = Tensor.RandomNormal<T>(256, 784, random);
        var y = Tensor.RandomUniform<T>(256, 10, random);
        T rate = T.CreateChecked(0.01);
        var compiled = Tensor.Compile((Tensor<T> a, Tensor<T> b) => Loss.HalfSumSquared(model.Forward(a), b), new Sgd<T>(model.Parameters, rate));
        var sgd = new Sgd<T>(tapeModel.Parameters, rate);
        void Tape()
        {
            sgd.ZeroGrad();
            Loss.HalfSumSquared(tapeModel.Forward(x), y).Backward();
            sgd.Step();
        }
        void Compiled() => compiled.Run(x, y);
        // tiered compilation: two seconds of both, alternately
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 2)
        {
            Compiled();
            Tape();
        }
        return (MedianTime(Compiled), MedianTime(Tape));
    }

    /// <summary>pytorch_bench.py's median_time: 3 steps, a quarter-window to count steps, then 7 windows of 4× that many.</summary>
    private static double MedianTime(Action step)
    {
        for (int i = 0; i < 3; i++)
        {
            step();
        }
        var watch = Stopwatch.StartNew();
        int reps = 0;
        while (watch.Elapsed.TotalSeconds < 0.05)
        {
            step();
            reps++;
        }
        reps = Math.Max(1, reps * 4);
        var windows = new double[7];
        for (int w = 0; w < windows.Length; w++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++)
            {
                step();
            }
            windows[w] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / reps;
        }
        Array.Sort(windows);
        return windows[windows.Length / 2];
    }
}
