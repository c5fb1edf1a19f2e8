// Steady-state µs per training step (two-layer sigmoid MLP, double, ½‖ŷ − y‖²): the eager tape in a Tensor.Scope()
// and the same step compiled with Tensor.Compile. Warm-up past tiered compilation, then 101 rounds of about 1 ms;
// prints the fastest round, the 10th percentile and the median. On a shared machine short rounds matter: most of them
// run undisturbed, so min and p10 stay put while the median follows the other jobs' load.
// Run: AUTOGRAD_NUM_THREADS=1 dotnet run -c Release --project benchmarks/SteadyStateStep
// Against another commit (eager half only, e.g. bb19930, before Tensor.Compile existed): copy this folder elsewhere and
// build it with -p:AutoGradProject=<that checkout>/src/AutoGrad/AutoGrad.csproj -p:EagerOnly=true.
using System.Diagnostics;
using AutoGrad;
using AutoGrad.Nn;

foreach (var (b, n0, n1, n2) in new[] { (1, 4, 8, 1), (32, 16, 32, 4), (64, 64, 128, 10) })
{
    var r = new Random(1);
    var x = Tensor.RandomNormal<double>(b, n0, r);
    var y = Tensor.RandomUniform<double>(b, n2, r);
    var w1 = Tensor.RandomNormal<double>(n0, n1, r, requiresGrad: true);
    var b1 = Tensor.RandomNormal<double>(1, n1, r, requiresGrad: true);
    var w2 = Tensor.RandomNormal<double>(n1, n2, r, requiresGrad: true);
    var b2 = Tensor.RandomNormal<double>(1, n2, r, requiresGrad: true);
    string size = $"({b}, {n0}-{n1}-{n2})";
    void Step()
    {
        using var scope = Tensor.Scope();
        w1.ZeroGrad(); b1.ZeroGrad(); w2.ZeroGrad(); b2.ZeroGrad();
        var loss = Loss.HalfSumSquared((x.MatMul(w1) + b1).Sigmoid().MatMul(w2).Add(b2).Sigmoid(), y);
        loss.Backward();
    }
    Report($"{size} double, scope", Measure(Step));
#if !EAGER_ONLY
    var compiled = Tensor.Compile<double>((xx, yy) => Loss.HalfSumSquared((xx.MatMul(w1) + b1).Sigmoid().MatMul(w2).Add(b2).Sigmoid(), yy));
    void CompiledStep()
    {
        w1.ZeroGrad(); b1.ZeroGrad(); w2.ZeroGrad(); b2.ZeroGrad();
        compiled.Run(x, y);
    }
    Report($"{size} double, compiled", Measure(CompiledStep));
#endif
}

// Sorted µs per call of 101 rounds of about 1 ms each, after a warm-up of at least 2 s and 50 000 calls (at most 6 s):
// tiered compilation must have finished, and on a loaded machine its background compiler gets little time.
static List<double> Measure(Action step)
{
    var warmUp = Stopwatch.StartNew();
    int calls = 0;
    while (warmUp.ElapsedMilliseconds < 2000 || (calls < 50_000 && warmUp.ElapsedMilliseconds < 6000))
    {
        step();
        calls++;
    }
    var calibration = Stopwatch.StartNew();
    for (int i = 0; i < 100; i++)
    {
        step();
    }
    int iterations = Math.Max(1, (int)(100 / calibration.Elapsed.TotalMilliseconds)); // about 1 ms a round
    var times = new List<double>();
    for (int round = 0; round < 101; round++)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            step();
        }
        times.Add(sw.Elapsed.TotalMicroseconds / iterations);
    }
    times.Sort();
    return times;
}

static void Report(string what, List<double> times) =>
    Console.WriteLine($"{what}: min {times[0]:F2} µs, p10 {times[10]:F2} µs, median {times[50]:F2} µs");
