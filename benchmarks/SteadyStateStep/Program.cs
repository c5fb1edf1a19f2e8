// Steady-state µs per training step (two-layer sigmoid MLP, double, ½‖ŷ − y‖²): the eager tape in a Tensor.Scope()
// and the same step compiled with Tensor.Compile; 3× the measured iterations as warm-up, then 15 rounds, median and min.
// Run: AUTOGRAD_NUM_THREADS=1 dotnet run -c Release --project benchmarks/SteadyStateStep
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
    void Step()
    {
        using var scope = Tensor.Scope();
        w1.ZeroGrad(); b1.ZeroGrad(); w2.ZeroGrad(); b2.ZeroGrad();
        var loss = Loss.HalfSumSquared((x.MatMul(w1) + b1).Sigmoid().MatMul(w2).Add(b2).Sigmoid(), y);
        loss.Backward();
    }
    var compiled = Tensor.Compile<double>((xx, yy) => Loss.HalfSumSquared((xx.MatMul(w1) + b1).Sigmoid().MatMul(w2).Add(b2).Sigmoid(), yy));
    void CompiledStep()
    {
        w1.ZeroGrad(); b1.ZeroGrad(); w2.ZeroGrad(); b2.ZeroGrad();
        compiled.Run(x, y);
    }
    int iters = b == 1 ? 20000 : b == 32 ? 5000 : 500;
    for (int i = 0; i < iters * 3; i++) Step(); // warm up past tiering
    var times = new List<double>();
    for (int round = 0; round < 15; round++)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < iters; i++) Step();
        double us = sw.Elapsed.TotalMicroseconds / iters;
        times.Add(us);
    }
    times.Sort();
    Console.WriteLine($"({b}, {n0}-{n1}-{n2}) double, scope: median {times[7]:F2} µs, min {times[0]:F2} µs");
    for (int i = 0; i < iters * 3; i++) CompiledStep();
    times.Clear();
    for (int round = 0; round < 15; round++)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < iters; i++) CompiledStep();
        times.Add(sw.Elapsed.TotalMicroseconds / iters);
    }
    times.Sort();
    Console.WriteLine($"({b}, {n0}-{n1}-{n2}) double, compiled: median {times[7]:F2} µs, min {times[0]:F2} µs");
}
