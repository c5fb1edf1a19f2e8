using System.Numerics;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Issue 13's leftover: the masked derivatives at x = NaN. Each follows PyTorch 1.13, whose values (seed g = 1 there,
/// scaled by g here) are pasted below: <c>torch.relu</c> passes g at NaN (threshold_backward: result ≤ 0 → 0, else g),
/// <c>torch.abs</c> gives g·sgn(NaN) = g·0, <c>torch.clamp</c> gives 0 (NaN is not inside [min, max]),
/// <c>torch.maximum</c> passes g to both operands when either is NaN, and <c>torch.max(x, dim)</c> gives g to the first
/// NaN of the lane. Checked in double and float, in a plain pass, a recorded one (createGraph) and a compiled step.
/// </summary>
public class MaskedDerivativeNaNTests
{
    private const double N = double.NaN, Inf = double.PositiveInfinity;

    /// <summary>∂/∂w of Σ (f(w) ⊙ g) three ways: eager Backward, Autograd.Grad with createGraph, and a compiled step.</summary>
    private static T[][] ThreeWays<T>(Func<Tensor<T>, Tensor<T>> f, double[] w, int rows, T g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> Leaf() => Tensor.FromRowMajor(rows, w.Length / rows, w.Select(T.CreateChecked).ToArray(), requiresGrad: true);
        var eager = Leaf();
        var output = f(eager);
        (output * g).Sum().Backward();
        var recorded = Leaf();
        var recordedOutput = f(recorded);
        Tensor<T> viaGrad = Autograd.Grad((recordedOutput * Tensor.Full(output.Rows, output.Cols, g, requiresGrad: false)).Sum(), [recorded], createGraph: true)[0];
        var compiledLeaf = Leaf();
        var step = Tensor.Compile<T>(seed => (f(compiledLeaf) * seed).Sum());
        step.Run(Tensor.Full(output.Rows, output.Cols, g));
        return [eager.Grad!.ToFlatArray(), viaGrad.ToFlatArray(), compiledLeaf.Grad!.ToFlatArray()];
    }

    /// <summary>Each of the three gradients equals <paramref name="expected"/> bit for bit (any NaN for NaN).</summary>
    private static void AssertAll<T>(double[] expected, T[][] actual) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[] ways = ["eager", "createGraph", "compiled"];
        for (int k = 0; k < actual.Length; k++)
        {
            Assert.True(actual[k].Length == expected.Length, ways[k]);
            for (int i = 0; i < expected.Length; i++)
            {
                T e = T.CreateChecked(expected[i]), a = actual[k][i];
                bool same = T.IsNaN(e) ? T.IsNaN(a) : a == e && T.IsNegative(a) == T.IsNegative(e);
                Assert.True(same, $"{typeof(T).Name} {ways[k]}: element {i} is {a}, PyTorch gives {e}");
            }
        }
    }

    private static void Both(Action<double> forDouble, Action<float> forFloat)
    {
        forDouble(2.5);
        forFloat(2.5f);
    }

    [Fact]
    public void Relu_passes_the_gradient_at_nan_as_pytorch()
    {
        double[] x = [N, 0, -0.0, 1, -1, Inf, -Inf];
        double[] torch = [1, 0, 0, 1, 0, 1, 0]; // torch.relu(x).backward(ones) in float64 and float32
        Both(g => AssertAll(torch.Select(v => v * g).ToArray(), ThreeWays(w => w.Relu(), x, 1, g)),
            g => AssertAll(torch.Select(v => v * g).ToArray(), ThreeWays(w => w.Relu(), x, 1, g)));
    }

    [Fact]
    public void Abs_gives_g_times_sgn_which_is_zero_at_nan_as_pytorch()
    {
        double[] x = [N, 0, -0.0, 1, -1, Inf, -Inf];
        double[] torch = [0, 0, 0, 1, -1, 1, -1];
        Both(g => AssertAll(torch.Select(v => v * g).ToArray(), ThreeWays(w => w.Abs(), x, 1, g)),
            g => AssertAll(torch.Select(v => v * g).ToArray(), ThreeWays(w => w.Abs(), x, 1, g)));
    }

    [Fact]
    public void Clamp_gives_zero_at_nan_and_passes_at_the_bounds_as_pytorch()
    {
        double[] x = [N, -1, 1, 2, -2, 0.5];
        double[] torch = [0, 1, 1, 0, 0, 1];
        Both(g => AssertAll(torch.Select(v => v * g).ToArray(), ThreeWays(w => w.Clamp(-1.0, 1.0), x, 1, g)),
            g => AssertAll(torch.Select(v => v * g).ToArray(), ThreeWays(w => w.Clamp(-1.0, 1.0), x, 1, g)));
    }

    [Fact]
    public void Maximum_passes_the_gradient_to_both_operands_when_either_is_nan_as_pytorch()
    {
        double[] a = [N, 1, N, 2, 1, 0, -0.0], b = [1, N, N, 1, 2, -0.0, 0];
        double[] torchA = [1, 1, 1, 1, 0, 0.5, 0.5], torchB = [1, 1, 1, 0, 1, 0.5, 0.5];
        void Check<T>(T g) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var bt = Tensor.FromRowMajor(1, b.Length, b.Select(T.CreateChecked).ToArray());
            var at = Tensor.FromRowMajor(1, a.Length, a.Select(T.CreateChecked).ToArray());
            double gd = double.CreateChecked(g);
            AssertAll(torchA.Select(v => v * gd).ToArray(), ThreeWays(w => w.Maximum(bt), a, 1, g));
            AssertAll(torchB.Select(v => v * gd).ToArray(), ThreeWays(w => at.Maximum(w), b, 1, g));
        }
        Both(Check, Check);
    }

    [Fact]
    public void Max_and_min_along_an_axis_give_the_gradient_to_the_first_nan_as_pytorch()
    {
        // torch.max(x, 1) / torch.min(x, 1): values NaN at index 1 for the first lane, 0 for the last
        (double[] X, double[] Max, double[] Min)[] lanes =
        [
            ([1, N, 3, N], [0, 1, 0, 0], [0, 1, 0, 0]),
            ([3, 1, 3, 2], [1, 0, 0, 0], [0, 1, 0, 0]),
            ([N, N, 1], [1, 0, 0], [1, 0, 0]),
        ];
        void Check<T>(T g) where T : unmanaged, IFloatingPointIeee754<T>
        {
            double gd = double.CreateChecked(g);
            foreach (var (x, max, min) in lanes)
            {
                AssertAll(max.Select(v => v * gd).ToArray(), ThreeWays(w => w.Max(1), x, 1, g));
                AssertAll(min.Select(v => v * gd).ToArray(), ThreeWays(w => w.Min(1), x, 1, g));
                AssertAll(max.Select(v => v * gd).ToArray(), ThreeWays(w => w.Max(0), x, x.Length, g)); // the lane as a column
                AssertAll(min.Select(v => v * gd).ToArray(), ThreeWays(w => w.Min(0), x, x.Length, g));
            }
        }
        Both(Check, Check);
    }

    [Fact]
    public void A_nan_anywhere_among_finite_values_gets_each_rule_in_every_position()
    {
        // the vector and scalar derivative forms (every length around the vector width) agree on NaN
        var arbitrary = (from n in Gen.Choose(1, 40)
                         from at in Gen.Choose(0, n - 1)
                         from values in Gen.ArrayOf(Gen.Choose(-3, 3).Select(k => k * 0.5), n)
                         select (Values: values, At: at)).ToArbitrary();
        Properties.Check(arbitrary, c =>
        {
            double[] x = (double[])c.Values.Clone();
            x[c.At] = double.NaN;
            AssertRules<double>(x);
            AssertRules<float>(x);
        });
    }

    private static void AssertRules<T>(double[] x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (f, rule) in new (Func<Tensor<T>, Tensor<T>>, Func<double, double>)[]
                 {
                     (w => w.Relu(), v => double.IsNaN(v) || v > 0 ? 1 : 0),
                     (w => w.Abs(), v => v > 0 ? 1 : v < 0 ? -1 : 0),
                     (w => w.Clamp(-1.0, 1.0), v => v >= -1 && v <= 1 ? 1 : 0),
                 })
        {
            var w = Tensor.FromRowMajor(1, x.Length, x.Select(T.CreateChecked).ToArray(), requiresGrad: true);
            f(w).Sum().Backward();
            Assert.Equal(x.Select(v => T.CreateChecked(rule(v))).ToArray(), w.Grad!.ToFlatArray());
        }
    }
}
