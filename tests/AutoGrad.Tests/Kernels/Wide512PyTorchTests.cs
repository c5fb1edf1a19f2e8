using System.Numerics;
using AutoGrad.Tests.Support;
using Xunit;
using V = AutoGrad.Tests.Kernels.Wide512PyTorchValues;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Forward values and gradients at odd sizes — 17, 31 and 33 elements (a 512-bit float vector and a remainder of 1, 15 and
/// 1; in double four vectors and a remainder of 1) and a 7×13·13×17 product (no side a whole number of vectors) —
/// against PyTorch 1.13 on the CPU, with most inputs in the far tails of σ and tanh, and softmax lanes spread over ±100
/// (most of their exponentials underflow). On an AVX-512 machine these run the 512-bit paths with their remainders.
/// </summary>
/// <remarks>
/// <para>
/// The values (<see cref="Wide512PyTorchValues"/>) were computed by this script with PyTorch 1.13 (python3-torch, CPU) and
/// written out as literals (shortest round-trip form) by a second one:
/// </para>
/// <code>
/// import torch, numpy as np
/// torch.manual_seed(19)
/// def f32(t): return [float(v) for v in t.detach().reshape(-1).tolist()]
/// out = {}
/// # MatMul 7x13 . 13x17, float
/// A = torch.randn(7, 13); B = torch.randn(13, 17); G = torch.randn(7, 17)
/// A.requires_grad_(); B.requires_grad_()
/// C = A @ B; C.backward(G)
/// out['mm'] = dict(a=f32(A), b=f32(B), g=f32(G), c=f32(C), da=f32(A.grad), db=f32(B.grad))
/// def tails(n, lo, hi, dtype):
///     # half the elements in the tails (both signs), the rest ordinary
///     mag = torch.empty(n, dtype=torch.float64).uniform_(lo, hi)
///     sign = torch.where(torch.rand(n) &lt; 0.5, -1.0, 1.0).double()
///     ordinary = torch.empty(n, dtype=torch.float64).uniform_(-6, 6)
///     pick = torch.rand(n) &lt; 0.6
///     return torch.where(pick, mag * sign, ordinary).to(dtype)
/// for n in (17, 31, 33):
///     for name, fn, lo, hi in (('sigmoid', torch.sigmoid, 85, 104), ('tanh', torch.tanh, 7, 10)):
///         x = tails(n, lo, hi, torch.float32).requires_grad_(); g = torch.randn(n)
///         y = fn(x); y.backward(g)
///         out[f'{name}{n}'] = dict(x=f32(x), g=f32(g), y=f32(y), dx=f32(x.grad))
///     for name, fn in (('softmax', lambda t: torch.softmax(t, 1)), ('logsoftmax', lambda t: torch.log_softmax(t, 1))):
///         x = (torch.rand(1, n) * 200 - 100).requires_grad_(); g = torch.randn(1, n)
///         y = fn(x); y.backward(g)
///         out[f'{name}{n}'] = dict(x=f32(x), g=f32(g), y=f32(y), dx=f32(x.grad))
/// for name, fn, lo, hi in (('sigmoid', torch.sigmoid, 700, 746), ('tanh', torch.tanh, 17, 21)):
///     x = tails(33, lo, hi, torch.float64).requires_grad_(); g = torch.randn(33, dtype=torch.float64)
///     y = fn(x); y.backward(g)
///     out[f'{name}33d'] = dict(x=f32(x), g=f32(g), y=f32(y), dx=f32(x.grad))
/// # the true σ and g·σ′ (mpmath, 200 bits) rounded to the element type, for the elements where PyTorch's σ is 0
/// import mpmath; mpmath.mp.prec = 200
/// for key, case in out.items():
///     if key.startswith('sigmoid'):
///         dt = np.float64 if key.endswith('d') else np.float32
///         s = [1 / (1 + mpmath.exp(-mpmath.mpf(v))) for v in case['x']]
///         case['yexact'] = [float(dt(float(v))) for v in s]
///         case['dxexact'] = [float(dt(float(mpmath.mpf(gv) * v * (1 - v)))) for gv, v in zip(case['g'], s)]
/// import json; json.dump(out, open('ref.json', 'w'))
/// </code>
/// <para>
/// Tolerances. No two implementations of these functions agree to the bit, so each bound is the sum of the two sides'
/// error bounds, stated per case below; a wrong lane, a wrong remainder or a wrong tail is off by far more (whole
/// values, or orders of magnitude). One documented difference is not an error of AutoGrad's: PyTorch evaluates σ as
/// 1/(1 + e⁻ˣ), which is 0 once e⁻ˣ overflows (x &lt; −88.72 in float, −709.78 in double), where the true σ(x) is the
/// subnormal eˣ (or 0 below −103.97 and −745.13); AutoGrad keeps it (README, "Accuracy", footnote 3). There the test
/// holds AutoGrad to the true σ and g·σ′, which the script computes with mpmath at 200 bits and rounds to the type.
/// </para>
/// </remarks>
public class Wide512PyTorchTests
{
    private static double Ulp<T>(T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.Abs(value);
        T smallest = T.Epsilon;
        if (!T.IsFinite(a))
        {
            return double.PositiveInfinity;
        }
        return Math.Max(double.CreateTruncating(T.BitIncrement(a) - a), double.CreateTruncating(smallest));
    }

    private static void Near(double actual, double expected, double tolerance, string what)
    {
        bool ok = double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(actual - expected) <= tolerance;
        Assert.True(ok, FormattableString.Invariant($"{what}: AutoGrad {actual:R}, PyTorch {expected:R}, tolerance {tolerance:R}"));
    }

    /// <summary>
    /// C = A·B (7×13·13×17, float) and both gradients for the seed G: any order of summation of k products lies within
    /// k·u·Σ|aᵢbᵢ| of the exact sum (u = 2⁻²⁴), so two implementations lie within 2·k·u·Σ|aᵢbᵢ| of each other.
    /// </summary>
    [Fact]
    public void MatMul_7x13_by_13x17_float_and_its_gradients_are_PyTorchs()
    {
        var a = Tensor.FromRowMajor<float>(7, 13, V.MmA, requiresGrad: true);
        var b = Tensor.FromRowMajor<float>(13, 17, V.MmB, requiresGrad: true);
        var c = a.MatMul(b);
        var grads = Autograd.Grad(c, [a, b], createGraph: false, Tensor.FromRowMajor<float>(7, 17, V.MmG));
        const double u = 1.0 / (1 << 24);
        float[] cv = c.ToFlatArray(), da = grads[0].ToFlatArray(), db = grads[1].ToFlatArray();
        for (int i = 0; i < 7; i++)
        {
            for (int j = 0; j < 17; j++)
            {
                double magnitude = Enumerable.Range(0, 13).Sum(p => Math.Abs((double)V.MmA[i * 13 + p] * V.MmB[p * 17 + j]));
                Near(cv[i * 17 + j], V.MmC[i * 17 + j], 2 * 13 * u * magnitude, $"C[{i},{j}]");
            }
        }
        for (int i = 0; i < 7; i++)
        {
            for (int p = 0; p < 13; p++)
            {
                // ∂A = G·Bᵀ: 17 terms
                double magnitude = Enumerable.Range(0, 17).Sum(j => Math.Abs((double)V.MmG[i * 17 + j] * V.MmB[p * 17 + j]));
                Near(da[i * 13 + p], V.MmDa[i * 13 + p], 2 * 17 * u * magnitude, $"∂A[{i},{p}]");
            }
        }
        for (int p = 0; p < 13; p++)
        {
            for (int j = 0; j < 17; j++)
            {
                // ∂B = Aᵀ·G: 7 terms
                double magnitude = Enumerable.Range(0, 7).Sum(i => Math.Abs((double)V.MmA[i * 13 + p] * V.MmG[i * 17 + j]));
                Near(db[p * 17 + j], V.MmDb[p * 17 + j], 2 * 7 * u * magnitude, $"∂B[{p},{j}]");
            }
        }
    }

    /// <summary>y = f(x) on a 1×n row and ∂x for the seed g, AutoGrad's.</summary>
    private static (T[] Y, T[] Dx) Run<T>(Func<Tensor<T>, Tensor<T>> f, T[] x, T[] g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Tensor.FromRowMajor<T>(1, x.Length, x, requiresGrad: true);
        var y = f(input);
        var dx = Autograd.Grad(y, [input], createGraph: false, Tensor.FromRowMajor<T>(1, x.Length, g))[0];
        return (y.ToFlatArray(), dx.ToFlatArray());
    }

    /// <summary>
    /// σ near its tails. Forward: AutoGrad within 3 ulp (float 2) of the true σ (README, "Accuracy"), PyTorch's
    /// 1/(1 + e⁻ˣ) within about 3 (its eˣ within 1 ulp, then an addition and a division), so 6 ulp of PyTorch's value
    /// (counted at the larger of the two). Gradient g·y·(1 − y), each side from its own y: the two differ by
    /// g·(y₁ − y₂)·(1 − y₁ − y₂) exactly, which is large where 1 − y is small (the forward ulps of y near 1 are many
    /// ulps of 1 − y), plus the roundings of the three products and the subtraction (4 ulp each side: 8). Where PyTorch's
    /// σ is 0 because e⁻ˣ overflowed (the remarks), AutoGrad is held to the true values instead (mpmath at 200 bits,
    /// rounded to T: <paramref name="yExact"/>, <paramref name="dxExact"/>) and the README's bounds there, in steps of the
    /// subnormals: σ within 3 ulp in double and 2 in float (its table; eˣ's last bits come from a polynomial within an ulp,
    /// so the one rounding into the subnormals can land a step off: σ(−90.762856f) is 272685.494 steps of 2⁻¹⁴⁹, AutoGrad
    /// gives 272686), g·σ′ within 2 ulp in double and 1 in float (footnote 3).
    /// </summary>
    private static void SigmoidMatches<T>(T[] x, T[] g, T[] yTorch, T[] dxTorch, T[] yExact, T[] dxExact) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (T[] y, T[] dx) = Run(t => t.Sigmoid(), x, g);
        bool isDouble = typeof(T) == typeof(double);
        double step = double.CreateTruncating(T.Epsilon), forwardSteps = isDouble ? 3 : 2, gradientSteps = isDouble ? 2 : 1;
        for (int i = 0; i < x.Length; i++)
        {
            string at = FormattableString.Invariant($"{typeof(T).Name} σ over {x.Length}, element {i}, x = {x[i]}");
            if (T.IsZero(yTorch[i]) && x[i] < T.Zero)
            {
                Assert.True(T.IsZero(dxTorch[i]), at + ": PyTorch's σ is 0, so is its gradient");
                Near(double.CreateTruncating(y[i]), double.CreateTruncating(yExact[i]), forwardSteps * step, at + " (PyTorch flushes σ to 0; held to the true σ)");
                Near(double.CreateTruncating(dx[i]), double.CreateTruncating(dxExact[i]), gradientSteps * step, at + ", ∂x (held to the true g·σ′)");
                continue;
            }
            double ulp = Math.Max(Ulp(y[i]), Ulp(yTorch[i]));
            Near(double.CreateTruncating(y[i]), double.CreateTruncating(yTorch[i]), 6 * ulp, at);
            double y1 = double.CreateTruncating(y[i]), y2 = double.CreateTruncating(yTorch[i]), gi = double.CreateTruncating(g[i]);
            double propagated = Math.Abs(gi * (y1 - y2) * (1 - y1 - y2));
            double dulp = Math.Max(Ulp(dx[i]), Ulp(dxTorch[i]));
            Near(double.CreateTruncating(dx[i]), double.CreateTruncating(dxTorch[i]), propagated + 8 * dulp, at + ", ∂x");
        }
    }

    /// <summary>
    /// tanh near saturation. Forward: AutoGrad within 1 ulp of the true value, PyTorch's (SLEEF's) within 1: 2 ulp of
    /// each other. Gradient g·(1 − y²), PyTorch's from its y, AutoGrad's g·(1 − y)(1 + y) from its own: they differ by
    /// g·(y₂² − y₁²) = g·(y₂ − y₁)(y₂ + y₁) exactly, plus the roundings (4 ulp each side: 8).
    /// </summary>
    private static void TanhMatches<T>(T[] x, T[] g, T[] yTorch, T[] dxTorch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (T[] y, T[] dx) = Run(t => t.Tanh(), x, g);
        for (int i = 0; i < x.Length; i++)
        {
            string at = FormattableString.Invariant($"{typeof(T).Name} tanh over {x.Length}, element {i}, x = {x[i]}");
            double ulp = Math.Max(Ulp(y[i]), Ulp(yTorch[i]));
            Near(double.CreateTruncating(y[i]), double.CreateTruncating(yTorch[i]), 2 * ulp, at);
            double y1 = double.CreateTruncating(y[i]), y2 = double.CreateTruncating(yTorch[i]), gi = double.CreateTruncating(g[i]);
            double propagated = Math.Abs(gi * (y2 - y1) * (y2 + y1));
            double dulp = Math.Max(Ulp(dx[i]), Ulp(dxTorch[i]));
            Near(double.CreateTruncating(dx[i]), double.CreateTruncating(dxTorch[i]), propagated + 8 * dulp, at + ", ∂x");
        }
    }

    /// <summary>
    /// Softmax of a lane spread over ±100 (float). Forward yₖ = e^(xₖ − m)/Σ: one exponential (AutoGrad's
    /// <c>MathF.Exp</c>, PyTorch's SLEEF, 1 ulp each), a sum (AutoGrad's in double, PyTorch's in float over at most 33
    /// terms of which the largest is 1: 33·u relative) and a division: within 4 ulp of each other plus 33·u of the value
    /// (40 ulp in all, at the larger of the two values' ulps, the smallest subnormal step for the flushed terms). Gradient
    /// yₖ(gₖ − Σⱼ gⱼyⱼ): the same relative error on y, and on the dot product 33·u·Σ|gⱼyⱼ| each side, so the bound is
    /// 40 ulp of |yₖ|·(|gₖ| + Σ|gⱼyⱼ|) plus 2·33·u·|yₖ|·Σ|gⱼyⱼ|.
    /// </summary>
    private static void SoftmaxMatches(float[] x, float[] g, float[] yTorch, float[] dxTorch)
    {
        (float[] y, float[] dx) = Run(t => t.Softmax(1), x, g);
        const double u = 1.0 / (1 << 24);
        double dot = Enumerable.Range(0, x.Length).Sum(j => Math.Abs((double)g[j] * yTorch[j]));
        for (int i = 0; i < x.Length; i++)
        {
            string at = FormattableString.Invariant($"softmax over {x.Length}, element {i}, x = {x[i]}");
            Near(y[i], yTorch[i], 40 * Math.Max(Ulp(y[i]), Ulp(yTorch[i])), at);
            double scale = Math.Abs((double)yTorch[i]) * (Math.Abs((double)g[i]) + dot);
            Near(dx[i], dxTorch[i], 40 * u * scale + 2 * 33 * u * Math.Abs((double)yTorch[i]) * dot + float.Epsilon, at + ", ∂x");
        }
    }

    /// <summary>
    /// Log-softmax of a lane spread over ±100 (float). Forward yₖ = (xₖ − m) − ln Σ: the subtraction xₖ − m is exact
    /// here (Sterbenz does not apply, but both sides compute the same rounded difference), ln Σ within a few ulp of ln Σ
    /// (Σ between 1 and 33, accurate to 33·u relative, so ln Σ to 33·u absolute), and the last subtraction rounds once:
    /// within 2 ulp of |yₖ| plus 2·(33·u + 2 ulp of ln Σ). Gradient gₖ − e^(yₖ)·Σⱼ gⱼ: e^y within 2 ulp plus the error of
    /// y times e^y, Σg in double (AutoGrad) or float (PyTorch, 33·u·Σ|g|): 8 ulp of |gₖ| + e^(yₖ)·Σ|gⱼ|.
    /// </summary>
    private static void LogSoftmaxMatches(float[] x, float[] g, float[] yTorch, float[] dxTorch)
    {
        (float[] y, float[] dx) = Run(t => t.LogSoftmax(1), x, g);
        const double u = 1.0 / (1 << 24);
        double sumG = g.Sum(v => Math.Abs((double)v));
        double logSum = Math.Log(x.Sum(v => Math.Exp((double)v - x.Max())));
        for (int i = 0; i < x.Length; i++)
        {
            string at = FormattableString.Invariant($"log-softmax over {x.Length}, element {i}, x = {x[i]}");
            Near(y[i], yTorch[i], 2 * Math.Max(Ulp(y[i]), Ulp(yTorch[i])) + 2 * (33 * u + 2 * Ulp((float)logSum)), at);
            double scale = Math.Abs((double)g[i]) + Math.Exp(yTorch[i]) * sumG;
            Near(dx[i], dxTorch[i], 8 * u * scale + 2 * 33 * u * Math.Exp(yTorch[i]) * sumG + float.Epsilon, at + ", ∂x");
        }
    }

    [Fact]
    public void Sigmoid_over_17_31_and_33_floats_near_the_tails_and_its_gradient_are_PyTorchs()
    {
        SigmoidMatches(V.Sigmoid17X, V.Sigmoid17G, V.Sigmoid17Y, V.Sigmoid17Dx, V.Sigmoid17Yexact, V.Sigmoid17Dxexact);
        SigmoidMatches(V.Sigmoid31X, V.Sigmoid31G, V.Sigmoid31Y, V.Sigmoid31Dx, V.Sigmoid31Yexact, V.Sigmoid31Dxexact);
        SigmoidMatches(V.Sigmoid33X, V.Sigmoid33G, V.Sigmoid33Y, V.Sigmoid33Dx, V.Sigmoid33Yexact, V.Sigmoid33Dxexact);
    }

    [Fact]
    public void Sigmoid_over_33_doubles_near_the_tails_and_its_gradient_are_PyTorchs() =>
        SigmoidMatches(V.Sigmoid33DoubleX, V.Sigmoid33DoubleG, V.Sigmoid33DoubleY, V.Sigmoid33DoubleDx, V.Sigmoid33DoubleYexact, V.Sigmoid33DoubleDxexact);

    [Fact]
    public void Tanh_over_17_31_and_33_floats_near_saturation_and_its_gradient_are_PyTorchs()
    {
        TanhMatches(V.Tanh17X, V.Tanh17G, V.Tanh17Y, V.Tanh17Dx);
        TanhMatches(V.Tanh31X, V.Tanh31G, V.Tanh31Y, V.Tanh31Dx);
        TanhMatches(V.Tanh33X, V.Tanh33G, V.Tanh33Y, V.Tanh33Dx);
    }

    [Fact]
    public void Tanh_over_33_doubles_near_saturation_and_its_gradient_are_PyTorchs() =>
        TanhMatches(V.Tanh33DoubleX, V.Tanh33DoubleG, V.Tanh33DoubleY, V.Tanh33DoubleDx);

    [Fact]
    public void Softmax_over_17_31_and_33_floats_spread_over_200_and_its_gradient_are_PyTorchs()
    {
        SoftmaxMatches(V.Softmax17X, V.Softmax17G, V.Softmax17Y, V.Softmax17Dx);
        SoftmaxMatches(V.Softmax31X, V.Softmax31G, V.Softmax31Y, V.Softmax31Dx);
        SoftmaxMatches(V.Softmax33X, V.Softmax33G, V.Softmax33Y, V.Softmax33Dx);
    }

    [Fact]
    public void Log_softmax_over_17_31_and_33_floats_spread_over_200_and_its_gradient_are_PyTorchs()
    {
        LogSoftmaxMatches(V.Logsoftmax17X, V.Logsoftmax17G, V.Logsoftmax17Y, V.Logsoftmax17Dx);
        LogSoftmaxMatches(V.Logsoftmax31X, V.Logsoftmax31G, V.Logsoftmax31Y, V.Logsoftmax31Dx);
        LogSoftmaxMatches(V.Logsoftmax33X, V.Logsoftmax33G, V.Logsoftmax33Y, V.Logsoftmax33Dx);
    }
}
