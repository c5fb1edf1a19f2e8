using System.Numerics;
using AutoGrad.Tests.Support;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Issue 13: a masked derivative selects, as PyTorch 1.13 does — where the mask is 0 the gradient is +0 whatever the
/// seed is (±∞, NaN, a negative number, −0), where a product with the mask gave NaN or −0. Checked against values
/// pasted from PyTorch 1.13 (<c>/tmp</c> script in the commit message of this file; float64 and float32 gave the same
/// values on these inputs, so one table serves both) for every pair of an input and a seed, in a plain pass, a
/// recorded one (createGraph) and a compiled step, and to second order: ∂/∂seed of Σ (∂L/∂x ⊙ h), h the seeds in
/// reverse, which selects again. Abs multiplies in both (PyTorch's <c>grad * self.sgn()</c>), so its table keeps NaN
/// for ∞ · 0.
/// </summary>
public class MaskedDerivativeSeedTests
{
    private const double N = double.NaN, P = double.PositiveInfinity, M = double.NegativeInfinity;

    // Relu: x = [N, 0, -0.0, 1.0, -1.0, P, M, 1e-40], each with seeds [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30]
    private static readonly double[] ReluX = [N, N, N, N, N, N, N, N, 0, 0, 0, 0, 0, 0, 0, 0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, P, P, P, P, P, P, P, P, M, M, M, M, M, M, M, M, 1e-40, 1e-40, 1e-40, 1e-40, 1e-40, 1e-40, 1e-40, 1e-40];
    private static readonly double[] ReluSeed = [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30];
    private static readonly double[] ReluTorch = [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, 0, 0, 0, 0, 0, 0, 0, 0, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, 0, 0, 0, 0, 0, 0, 0, 0, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30];
    private static readonly double[] ReluTorchOfSeed = [1e-30, 2.5, -0.0, 0, -2.5, N, M, P, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1e-30, 2.5, -0.0, 0, -2.5, N, M, P, 0, 0, 0, 0, 0, 0, 0, 0, 1e-30, 2.5, -0.0, 0, -2.5, N, M, P, 0, 0, 0, 0, 0, 0, 0, 0, 1e-30, 2.5, -0.0, 0, -2.5, N, M, P];

    // Abs: x = [N, 0, -0.0, 1.0, -1.0, P, M], each with seeds [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30]
    private static readonly double[] AbsX = [N, N, N, N, N, N, N, N, 0, 0, 0, 0, 0, 0, 0, 0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, P, P, P, P, P, P, P, P, M, M, M, M, M, M, M, M];
    private static readonly double[] AbsSeed = [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30];
    private static readonly double[] AbsTorch = [N, N, N, -0.0, 0, -0.0, 0, 0, N, N, N, -0.0, 0, -0.0, 0, 0, N, N, N, -0.0, 0, -0.0, 0, 0, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, M, P, N, 2.5, -0.0, 0, -2.5, -1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, M, P, N, 2.5, -0.0, 0, -2.5, -1e-30];
    private static readonly double[] AbsTorchOfSeed = [0, 0, -0.0, 0, -0.0, N, N, N, 0, 0, -0.0, 0, -0.0, N, N, N, 0, 0, -0.0, 0, -0.0, N, N, N, 1e-30, 2.5, -0.0, 0, -2.5, N, M, P, -1e-30, -2.5, 0, -0.0, 2.5, N, P, M, 1e-30, 2.5, -0.0, 0, -2.5, N, M, P, -1e-30, -2.5, 0, -0.0, 2.5, N, P, M];

    // Clamp: x = [N, -1.0, 1.0, 2.0, -2.0, 0.5, P, M, -0.0], each with seeds [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30]
    private static readonly double[] ClampX = [N, N, N, N, N, N, N, N, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, P, P, P, P, P, P, P, P, M, M, M, M, M, M, M, M, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0];
    private static readonly double[] ClampSeed = [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30];
    private static readonly double[] ClampTorch = [0, 0, 0, 0, 0, 0, 0, 0, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30];
    private static readonly double[] ClampTorchOfSeed = [0, 0, 0, 0, 0, 0, 0, 0, 1e-30, 2.5, -0.0, 0, -2.5, N, M, P, 1e-30, 2.5, -0.0, 0, -2.5, N, M, P, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1e-30, 2.5, -0.0, 0, -2.5, N, M, P, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1e-30, 2.5, -0.0, 0, -2.5, N, M, P];

    // Maximum: a = [N, 1.0, N, 2.0, 1.0, 0, -0.0, P, M, 3.0], b = [1.0, N, N, 1.0, 2.0, -0.0, 0, P, M, 3.0], each pair with seeds [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30]
    private static readonly double[] MaximumA = [N, N, N, N, N, N, N, N, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, N, N, N, N, N, N, N, N, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0, 0, 0, 0, 0, 0, 0, 0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, P, P, P, P, P, P, P, P, M, M, M, M, M, M, M, M, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0];
    private static readonly double[] MaximumB = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, 0, 0, 0, 0, 0, 0, 0, 0, P, P, P, P, P, P, P, P, M, M, M, M, M, M, M, M, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0];
    private static readonly double[] MaximumSeed = [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30];
    private static readonly double[] MaximumTorchA = [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, 0, 0, 0, 0, 0, 0, 0, 0, P, M, N, -1.25, 0, -0.0, 1.25, 5e-31, P, M, N, -1.25, 0, -0.0, 1.25, 5e-31, P, M, N, -1.25, 0, -0.0, 1.25, 5e-31, P, M, N, -1.25, 0, -0.0, 1.25, 5e-31, P, M, N, -1.25, 0, -0.0, 1.25, 5e-31];
    private static readonly double[] MaximumTorchB = [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, 0, 0, 0, 0, 0, 0, 0, 0, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -1.25, 0, -0.0, 1.25, 5e-31, P, M, N, -1.25, 0, -0.0, 1.25, 5e-31, P, M, N, -1.25, 0, -0.0, 1.25, 5e-31, P, M, N, -1.25, 0, -0.0, 1.25, 5e-31, P, M, N, -1.25, 0, -0.0, 1.25, 5e-31];
    private static readonly double[] MaximumTorchAOfSeed = [1e-30, 2.5, 0, 0, -2.5, N, M, P, 1e-30, 2.5, 0, 0, -2.5, N, M, P, 1e-30, 2.5, 0, 0, -2.5, N, M, P, 1e-30, 2.5, 0, 0, -2.5, N, M, P, 0, 0, 0, 0, 0, 0, 0, 0, 5e-31, 1.25, 0, 0, -1.25, N, M, P, 5e-31, 1.25, 0, 0, -1.25, N, M, P, 5e-31, 1.25, 0, 0, -1.25, N, M, P, 5e-31, 1.25, 0, 0, -1.25, N, M, P, 5e-31, 1.25, 0, 0, -1.25, N, M, P];
    private static readonly double[] MaximumTorchBOfSeed = [1e-30, 2.5, 0, 0, -2.5, N, M, P, 1e-30, 2.5, 0, 0, -2.5, N, M, P, 1e-30, 2.5, 0, 0, -2.5, N, M, P, 0, 0, 0, 0, 0, 0, 0, 0, 1e-30, 2.5, 0, 0, -2.5, N, M, P, 5e-31, 1.25, 0, 0, -1.25, N, M, P, 5e-31, 1.25, 0, 0, -1.25, N, M, P, 5e-31, 1.25, 0, 0, -1.25, N, M, P, 5e-31, 1.25, 0, 0, -1.25, N, M, P, 5e-31, 1.25, 0, 0, -1.25, N, M, P];

    // Max/Min along axis 1: each lane of 4 elements with each seed (rows = lanes)
    private static readonly double[] LanesX = [1.0, N, 3.0, N, 1.0, N, 3.0, N, 1.0, N, 3.0, N, 1.0, N, 3.0, N, 1.0, N, 3.0, N, 1.0, N, 3.0, N, 1.0, N, 3.0, N, 1.0, N, 3.0, N, 3.0, 1.0, 3.0, 2.0, 3.0, 1.0, 3.0, 2.0, 3.0, 1.0, 3.0, 2.0, 3.0, 1.0, 3.0, 2.0, 3.0, 1.0, 3.0, 2.0, 3.0, 1.0, 3.0, 2.0, 3.0, 1.0, 3.0, 2.0, 3.0, 1.0, 3.0, 2.0, -0.0, 0, -1.0, -0.0, -0.0, 0, -1.0, -0.0, -0.0, 0, -1.0, -0.0, -0.0, 0, -1.0, -0.0, -0.0, 0, -1.0, -0.0, -0.0, 0, -1.0, -0.0, -0.0, 0, -1.0, -0.0, -0.0, 0, -1.0, -0.0, P, P, M, 1.0, P, P, M, 1.0, P, P, M, 1.0, P, P, M, 1.0, P, P, M, 1.0, P, P, M, 1.0, P, P, M, 1.0, P, P, M, 1.0];
    private static readonly double[] LanesSeed = [P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30, P, M, N, -2.5, 0, -0.0, 2.5, 1e-30];
    private static readonly double[] MaxTorch = [0, P, 0, 0, 0, M, 0, 0, 0, N, 0, 0, 0, -2.5, 0, 0, 0, 0, 0, 0, 0, -0.0, 0, 0, 0, 2.5, 0, 0, 0, 1e-30, 0, 0, P, 0, 0, 0, M, 0, 0, 0, N, 0, 0, 0, -2.5, 0, 0, 0, 0, 0, 0, 0, -0.0, 0, 0, 0, 2.5, 0, 0, 0, 1e-30, 0, 0, 0, P, 0, 0, 0, M, 0, 0, 0, N, 0, 0, 0, -2.5, 0, 0, 0, 0, 0, 0, 0, -0.0, 0, 0, 0, 2.5, 0, 0, 0, 1e-30, 0, 0, 0, P, 0, 0, 0, M, 0, 0, 0, N, 0, 0, 0, -2.5, 0, 0, 0, 0, 0, 0, 0, -0.0, 0, 0, 0, 2.5, 0, 0, 0, 1e-30, 0, 0, 0];
    private static readonly double[] MinTorch = [0, P, 0, 0, 0, M, 0, 0, 0, N, 0, 0, 0, -2.5, 0, 0, 0, 0, 0, 0, 0, -0.0, 0, 0, 0, 2.5, 0, 0, 0, 1e-30, 0, 0, 0, P, 0, 0, 0, M, 0, 0, 0, N, 0, 0, 0, -2.5, 0, 0, 0, 0, 0, 0, 0, -0.0, 0, 0, 0, 2.5, 0, 0, 0, 1e-30, 0, 0, 0, 0, P, 0, 0, 0, M, 0, 0, 0, N, 0, 0, 0, -2.5, 0, 0, 0, 0, 0, 0, 0, -0.0, 0, 0, 0, 2.5, 0, 0, 0, 1e-30, 0, 0, 0, P, 0, 0, 0, M, 0, 0, 0, N, 0, 0, 0, -2.5, 0, 0, 0, 0, 0, 0, 0, -0.0, 0, 0, 0, 2.5, 0, 0, 0, 1e-30, 0];
    private static readonly double[] MaxTorchOfSeed = [-1.5, -2.5, 1.5, 0.5, -0.5, P, -2.5, 1.5, -0.5, -1.5, -2.5, 1.5, 0.5, -0.5, P, -2.5, 1.5, 0.5, -0.5, -1.5, -2.5, P, 0.5, -0.5, -1.5, -2.5, 1.5, 0.5, P, -1.5, -2.5, 1.5];
    private static readonly double[] MinTorchOfSeed = [-1.5, -2.5, 1.5, 0.5, -0.5, P, -2.5, 1.5, 0.5, -0.5, -1.5, -2.5, P, 0.5, -0.5, -1.5, -1.5, P, 1.5, 0.5, -0.5, -1.5, -2.5, 1.5, P, -0.5, -1.5, -2.5, 1.5, 0.5, -0.5, P];

    private static Tensor<T> Row<T>(double[] values, bool requiresGrad = false) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.FromRowMajor(1, values.Length, values.Select(T.CreateChecked).ToArray(), requiresGrad);

    private static Tensor<T> Rows<T>(double[] values, int rows, bool requiresGrad = false) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.FromRowMajor(rows, values.Length / rows, values.Select(T.CreateChecked).ToArray(), requiresGrad);

    /// <summary>
    /// ∂L/∂w for L with ∂L/∂f(w) = seed, three ways (eager Backward, Autograd.Grad with createGraph, a compiled step),
    /// and ∂/∂seed of Σ (∂L/∂w ⊙ h) through the recorded gradient.
    /// </summary>
    private static (T[][] Gradients, T[] OfSeed) Run<T>(Func<Tensor<T>, Tensor<T>> f, Func<Tensor<T>> leaf, Tensor<T> seed, Tensor<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var eager = leaf();
        f(eager).Backward(seed);
        var recorded = leaf();
        var recordedSeed = Tensor.FromRowMajor(seed.Rows, seed.Cols, seed.ToFlatArray(), requiresGrad: true);
        Tensor<T> viaGrad = Autograd.Grad(f(recorded), [recorded], createGraph: true, seed: recordedSeed)[0];
        Tensor<T> ofSeed = Autograd.Grad(viaGrad, [recordedSeed], seed: h)[0];
        var compiledLeaf = leaf();
        var step = Tensor.Compile<T>(s => (f(compiledLeaf) * s).Sum());
        step.Run(seed);
        return ([eager.Grad!.ToFlatArray(), viaGrad.ToFlatArray(), compiledLeaf.Grad!.ToFlatArray()], ofSeed.ToFlatArray());
    }

    /// <summary>Bit for bit (any NaN for NaN, and the sign of a zero counts).</summary>
    private static void AssertSame<T>(double[] expected, T[] actual, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True(actual.Length == expected.Length, $"{what}: {actual.Length} elements, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            T e = T.CreateChecked(expected[i]), a = actual[i];
            bool same = T.IsNaN(e) ? T.IsNaN(a) : a == e && T.IsNegative(a) == T.IsNegative(e);
            Assert.True(same, $"{typeof(T).Name} {what}: element {i} is {a}, PyTorch 1.13 gives {e}");
        }
    }

    private static void AssertThreeWays<T>(double[] torch, double[] torchOfSeed, (T[][] Gradients, T[] OfSeed) actual, string op)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[] ways = ["eager", "createGraph", "compiled"];
        for (int k = 0; k < ways.Length; k++)
        {
            AssertSame(torch, actual.Gradients[k], $"{op} {ways[k]}");
        }
        AssertSame(torchOfSeed, actual.OfSeed, $"{op} second order (∂/∂seed)");
    }

    private static double[] Reversed(double[] values) => values.Reverse().ToArray();

    private static void Unary<T>(Func<Tensor<T>, Tensor<T>> f, double[] x, double[] seed, double[] torch, double[] torchOfSeed, string op)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AssertThreeWays(torch, torchOfSeed, Run(f, () => Row<T>(x, requiresGrad: true), Row<T>(seed), Row<T>(Reversed(seed))), op);

    [Fact]
    public void Relu_gives_plus_zero_where_x_is_not_positive_whatever_the_seed_as_pytorch()
    {
        Unary<double>(w => w.Relu(), ReluX, ReluSeed, ReluTorch, ReluTorchOfSeed, "Relu");
        Unary<float>(w => w.Relu(), ReluX, ReluSeed, ReluTorch, ReluTorchOfSeed, "Relu");
    }

    [Fact]
    public void Clamp_gives_plus_zero_outside_its_bounds_whatever_the_seed_as_pytorch()
    {
        Unary<double>(w => w.Clamp(-1.0, 1.0), ClampX, ClampSeed, ClampTorch, ClampTorchOfSeed, "Clamp");
        Unary<float>(w => w.Clamp(-1.0, 1.0), ClampX, ClampSeed, ClampTorch, ClampTorchOfSeed, "Clamp");
    }

    [Fact]
    public void Abs_multiplies_by_the_sign_so_an_infinite_seed_at_zero_gives_nan_as_pytorch()
    {
        Unary<double>(w => w.Abs(), AbsX, AbsSeed, AbsTorch, AbsTorchOfSeed, "Abs");
        Unary<float>(w => w.Abs(), AbsX, AbsSeed, AbsTorch, AbsTorchOfSeed, "Abs");
    }

    /// <summary>
    /// PyTorch's second order of maximum writes −0 nowhere: its rule <c>where(a = b, g/2, g).masked_fill_(a &lt; b, 0)</c>
    /// is differentiated into a sum of two <c>where</c>s, and −0 + 0 = +0. AutoGrad's recorded rule is one masked
    /// product, which keeps h = −0 as −0 where the mask is not 0: the one difference of sign this test allows, and only
    /// there (h = −0, result expected +0).
    /// </summary>
    private static double[] KeepingNegativeZeroSeeds(double[] torchOfSeed, double[] h) =>
        torchOfSeed.Select((v, i) => v == 0 && double.IsNegative(h[i]) && h[i] == 0 && !IsMaskedOut(torchOfSeed, h, i) ? -0.0 : v).ToArray();

    /// <summary>True where the mask is 0: PyTorch gives +0 there for every h (seen at h = ±∞ in the same group of seeds).</summary>
    private static bool IsMaskedOut(double[] torchOfSeed, double[] h, int i)
    {
        int group = i / 8 * 8; // the seeds come in groups of eight per input pair
        return Enumerable.Range(group, 8).All(k => torchOfSeed[k] == 0);
    }

    [Fact]
    public void Maximum_gives_plus_zero_to_the_smaller_operand_whatever_the_seed_as_pytorch()
    {
        double[] h = Reversed(MaximumSeed);
        void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var a = Row<T>(MaximumA);
            var b = Row<T>(MaximumB);
            AssertThreeWays(MaximumTorchA, KeepingNegativeZeroSeeds(MaximumTorchAOfSeed, h),
                Run(w => w.Maximum(b), () => Row<T>(MaximumA, requiresGrad: true), Row<T>(MaximumSeed), Row<T>(h)), "Maximum ∂/∂a");
            AssertThreeWays(MaximumTorchB, KeepingNegativeZeroSeeds(MaximumTorchBOfSeed, h),
                Run(w => a.Maximum(w), () => Row<T>(MaximumB, requiresGrad: true), Row<T>(MaximumSeed), Row<T>(h)), "Maximum ∂/∂b");
        }
        Check<double>();
        Check<float>();
    }

    /// <summary>
    /// The one known difference of Max/Min(axis), pinned (README footnote 5): PyTorch's second derivative with respect to
    /// the seed gathers h at the selected element, so h = −0 there gives −0 (<c>[-0.0]</c> from PyTorch 1.13 for
    /// x = [1, 3, 2], h = [7, −0, 9]); AutoGrad sums the lane's masked products, +0 + −0 + +0 = +0. Other values agree.
    /// </summary>
    [Fact]
    public void Max_along_an_axis_second_order_sums_the_lane_so_a_minus_zero_h_at_the_selection_gives_plus_zero()
    {
        var x = Tensor.FromRowMajor<double>(1, 3, [1, 3, 2], requiresGrad: true);
        var g = Tensor.FromRowMajor<double>(1, 1, [5], requiresGrad: true);
        var gx = Autograd.Grad(x.Max(1), [x], createGraph: true, seed: g)[0];
        double minusZeroThere = Autograd.Grad(gx, [g], seed: Tensor.FromRowMajor<double>(1, 3, [7, -0.0, 9]))[0][0, 0];
        Assert.True(minusZeroThere == 0 && !double.IsNegative(minusZeroThere), $"{minusZeroThere}");
        double value = Autograd.Grad(gx, [g], seed: Tensor.FromRowMajor<double>(1, 3, [P, -1.5, N]))[0][0, 0];
        Assert.Equal(-1.5, value); // PyTorch 1.13: -1.5 (∞ and NaN beside the selected element are not read)
    }

    [Fact]
    public void Max_and_min_along_an_axis_give_plus_zero_to_every_element_not_selected_whatever_the_seed_as_pytorch()
    {
        int rows = LanesSeed.Length, cols = LanesX.Length / rows;
        double[] h = Enumerable.Range(0, LanesX.Length).Select(k => k % 7 != 0 ? k % 5 - 2.5 : P).ToArray(); // as the script's h
        void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var seed = Rows<T>(LanesSeed, rows);
            AssertThreeWays(MaxTorch, MaxTorchOfSeed, Run(w => w.Max(1), () => Rows<T>(LanesX, rows, requiresGrad: true), seed, Rows<T>(h, rows)), "Max(1)");
            AssertThreeWays(MinTorch, MinTorchOfSeed, Run(w => w.Min(1), () => Rows<T>(LanesX, rows, requiresGrad: true), seed, Rows<T>(h, rows)), "Min(1)");
            // the same lanes as columns: Max(0) of the transposed input
            double[] transposed = Enumerable.Range(0, LanesX.Length).Select(k => LanesX[k % rows * cols + k / rows]).ToArray();
            double[] Transpose(double[] v) => Enumerable.Range(0, v.Length).Select(k => v[k % rows * cols + k / rows]).ToArray();
            var seedRow = Row<T>(LanesSeed);
            AssertThreeWays(Transpose(MaxTorch), MaxTorchOfSeed,
                Run(w => w.Max(0), () => Rows<T>(transposed, cols, requiresGrad: true), seedRow, Rows<T>(Transpose(h), cols)), "Max(0)");
            AssertThreeWays(Transpose(MinTorch), MinTorchOfSeed,
                Run(w => w.Min(0), () => Rows<T>(transposed, cols, requiresGrad: true), seedRow, Rows<T>(Transpose(h), cols)), "Min(0)");
        }
        Check<double>();
        Check<float>();
    }
}
