using System.Numerics;
using Xunit;

namespace AutoGrad.Tests.Support;

/// <summary>
/// The first three derivatives of an activation at one x under the seeds s₁, s₂, s₃ (each order's gradient recorded with
/// createGraph and differentiated again), eager or compiled, checked against a row of values made by PyTorch 1.13 and
/// by an exact evaluation (mpmath, 80 digits) of s₁ ⋯ sₖ · f⁽ᵏ⁾ from AutoGrad's forward value y (a row pins it: PyTorch's
/// y differs in the last bit for some x, and is 0 for σ(−710) where AutoGrad's is the subnormal 4.5e-309).
/// </summary>
/// <remarks>
/// The rows were made by <c>torch.autograd.grad</c> thrice (create_graph for the first two) on a one-element tensor of
/// the element type. <c>Expected</c> is the exact product, rounded once to double and then to the element type, except
/// where the kernel keeps the IEEE product by design: a seed of ±∞ gives ±∞ (NaN times a derivative of exactly 0, as
/// ∞ · 0 is), and the first order is the one-pass gradient's own bits (far left for σ, g·eˣ in split form).
/// </remarks>
internal static class ActivationOrders
{
    public readonly record struct Row<T>(T X, T Y, T S1, T S2, T S3, T Torch1, T Torch2, T Torch3, T Expected1, T Expected2, T Expected3)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>y and the first three derivatives, eager.</summary>
    public static (T Y, T D1, T D2, T D3) Eager<T>(Func<Tensor<T>, Tensor<T>> f, T x, T s1, T s2, T s3, bool recordThird = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Tensor.Full(1, 1, x, requiresGrad: true);
        var y = f(input);
        var d1 = Autograd.Grad(y, [input], createGraph: true, Tensor.Full(1, 1, s1))[0];
        var d2 = Autograd.Grad(d1, [input], createGraph: true, Tensor.Full(1, 1, s2))[0];
        var d3 = Autograd.Grad(d2, [input], createGraph: recordThird, Tensor.Full(1, 1, s3))[0];
        return (y[0, 0], d1[0, 0], d2[0, 0], d3[0, 0]);
    }

    /// <summary>
    /// y and the first three derivatives from compiled forwards (<see cref="Tensor.CompileForward{T}"/>), one per order,
    /// every pass recorded (a trace holds only recorded operations), each run twice: first on another x, so a value the
    /// trace froze would show.
    /// </summary>
    public static (T Y, T D1, T D2, T D3) Compiled<T>(Func<Tensor<T>, Tensor<T>> f, T x, T s1, T s2, T s3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] seeds = [s1, s2, s3];
        Tensor<T> Order(Tensor<T> input, int order)
        {
            var leaf = input.Detach();
            leaf.RequiresGrad = true;
            var d = f(leaf);
            for (int k = 0; k < order; k++)
            {
                d = Autograd.Grad(d, [leaf], createGraph: true, Tensor.Full(1, 1, seeds[k]))[0];
            }
            return d;
        }
        var values = new T[4];
        for (int order = 0; order <= 3; order++)
        {
            int k = order;
            var compiled = Tensor.CompileForward<T>(input => Order(input, k));
            compiled.Run(Tensor.Full(1, 1, T.CreateTruncating(0.25)));
            values[order] = compiled.Run(Tensor.Full(1, 1, x))[0, 0];
        }
        return (values[0], values[1], values[2], values[3]);
    }

    /// <summary>
    /// True when <paramref name="actual"/> is <paramref name="expected"/> within a relative <paramref name="tolerance"/>:
    /// NaN only for NaN, ±∞ only for the same ∞, 0 only for 0.
    /// </summary>
    public static bool Close<T>(T expected, T actual, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(expected) || T.IsInfinity(expected) || expected == T.Zero)
        {
            return expected.Equals(actual) || (T.IsNaN(expected) && T.IsNaN(actual));
        }
        double e = double.CreateTruncating(expected), a = double.CreateTruncating(actual);
        return Math.Abs(a - e) <= tolerance * Math.Abs(e);
    }

    /// <summary>
    /// Runs every row and collects the differences: y must be the row's bits, each order the expected value within
    /// <paramref name="tolerance"/>, and PyTorch's own value within <paramref name="torchTolerance"/> wherever PyTorch's is
    /// finite and not 0 (PyTorch's 0 far left for σ′ is its rounded σ, which the one-pass gradient corrects).
    /// </summary>
    public static void Check<T>(string name, Func<Tensor<T>, Tensor<T>> f, Row<T>[] rows, double tolerance, double torchTolerance,
        Func<Func<Tensor<T>, Tensor<T>>, T, T, T, T, (T Y, T D1, T D2, T D3)>? run = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        run ??= (g, x, s1, s2, s3) => Eager(g, x, s1, s2, s3);
        var failures = new List<string>();
        foreach (var r in rows)
        {
            var (y, d1, d2, d3) = run(f, r.X, r.S1, r.S2, r.S3);
            string where = $"{name}({r.X:R}) seeds {r.S1:R}, {r.S2:R}, {r.S3:R}";
            if (!y.Equals(r.Y))
            {
                failures.Add($"{where}: y {y:R}, the row's {r.Y:R}");
            }
            T[] actual = [d1, d2, d3], expected = [r.Expected1, r.Expected2, r.Expected3], torch = [r.Torch1, r.Torch2, r.Torch3];
            for (int k = 0; k < 3; k++)
            {
                if (!Close(expected[k], actual[k], tolerance))
                {
                    failures.Add($"{where}: order {k + 1} {actual[k]:R}, expected {expected[k]:R} (PyTorch {torch[k]:R})");
                }
                if (T.IsFinite(torch[k]) && torch[k] != T.Zero && !Close(torch[k], actual[k], torchTolerance))
                {
                    failures.Add($"{where}: order {k + 1} {actual[k]:R}, PyTorch {torch[k]:R}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} differences:\n{string.Join("\n", failures)}");
    }
}
