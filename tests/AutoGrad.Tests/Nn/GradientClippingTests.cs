using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// <see cref="GradientClipping.ClipGradNorm"/> against PyTorch 1.13's <c>torch.nn.utils.clip_grad_norm_([a, b, c],
/// max_norm, norm_type)</c> with a.grad = G1 (2×3), b.grad = G2 (1×2) and c without a gradient, float64 and float32;
/// a refusal changes nothing.
/// </summary>
public class GradientClippingTests
{
    private static readonly double[] G1 = [0.5, -1.25, 2.0, 3.0, 0.25, -0.75];

    private static readonly double[] G2 = [-2.5, 1.5];

    private static (Tensor<double> A, Tensor<double> B, Tensor<double> C) Parameters(double[]? g1 = null)
    {
        var a = Tensor.Zeros<double>(2, 3, requiresGrad: true, name: "a");
        var b = Tensor.Zeros<double>(1, 2, requiresGrad: true, name: "b");
        var c = Tensor.Zeros<double>(1, 1, requiresGrad: true, name: "c");
        ((a * Tensor.FromRowMajor(2, 3, g1 ?? G1)).Sum() + (b * Tensor.FromRowMajor(1, 2, G2)).Sum()).Backward();
        return (a, b, c);
    }

    private static void Close(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    public static TheoryData<double, double, double, double[], double[]> Torch64 => new()
    {
        // maxNorm, normType, total, a.grad, b.grad after clip_grad_norm_ (float64)
        { 1.0, 2.0, 4.892596447695232,
            [0.102195205173795, -0.25548801293448753, 0.40878082069518, 0.61317123104277, 0.0510976025868975, -0.1532928077606925],
            [-0.5109760258689751, 0.306585615521385] },
        { 1.0, double.PositiveInfinity, 3.0,
            [0.16666661111112963, -0.4166665277778241, 0.6666664444445185, 0.9999996666667778, 0.08333330555556481, -0.24999991666669444],
            [-0.8333330555556482, 0.4999998333333889] },
        { 1.0, 1.0, 11.75,
            [0.0425531878678138, -0.1063829696695345, 0.1702127514712552, 0.25531912720688277, 0.0212765939339069, -0.06382978180172069],
            [-0.212765939339069, 0.12765956360344138] },
        { 1.0, 0.5, 83.60019538535505,
            [0.005980847194368424, -0.014952117985921061, 0.023923388777473697, 0.035885083166210544, 0.002990423597184212, -0.008971270791552636],
            [-0.029904235971842122, 0.017942541583105272] },
        { 1.0, 3.0, 3.837568832386938,
            [0.13029078866012556, -0.3257269716503139, 0.5211631546405022, 0.7817447319607533, 0.06514539433006278, -0.19543618299018833],
            [-0.6514539433006278, 0.39087236598037667] },
        { 4.25, 2.0, 4.892596447695232,
            [0.4343296219886288, -1.0858240549715719, 1.7373184879545152, 2.6059777319317727, 0.2171648109943144, -0.6514944329829432],
            [-2.1716481099431437, 1.3029888659658864] },
    };

    [Theory]
    [MemberData(nameof(Torch64))]
    public void Clipping_scales_every_gradient_as_PyTorch_in_double(double maxNorm, double normType, double total, double[] a, double[] b)
    {
        var (pa, pb, pc) = Parameters();
        int versionA = pa.Grad!.Version, versionB = pb.Grad!.Version;
        Assert.Equal(total, GradientClipping.ClipGradNorm([pa, pb, pc], maxNorm, normType), 1e-15);
        Close(a, pa.Grad!.ToFlatArray(), 1e-15);
        Close(b, pb.Grad!.ToFlatArray(), 1e-15);
        Assert.Null(pc.Grad);
        Assert.Equal(versionA + 1, pa.Grad!.Version);
        Assert.Equal(versionB + 1, pb.Grad!.Version);
    }

    [Fact]
    public void Clipping_scales_every_gradient_as_PyTorch_in_float()
    {
        var a = Tensor.Zeros<float>(2, 3, requiresGrad: true);
        var b = Tensor.Zeros<float>(1, 2, requiresGrad: true);
        ((a * Tensor.FromRowMajor(2, 3, G1.Select(v => (float)v).ToArray())).Sum() + (b * Tensor.FromRowMajor(1, 2, G2.Select(v => (float)v).ToArray())).Sum()).Backward();
        // clip_grad_norm_([a, b], 1.0) in float32
        Assert.Equal(4.892596244812012, GradientClipping.ClipGradNorm([a, b], 1.0), 1e-6);
        Close([0.10219521075487137, -0.2554880380630493, 0.4087808430194855, 0.6131712794303894, 0.051097605377435684, -0.15329281985759735],
            a.Grad!.ToFlatArray().Select(v => (double)v).ToArray(), 2e-7);
        Close([-0.5109760761260986, 0.3065856397151947], b.Grad!.ToFlatArray().Select(v => (double)v).ToArray(), 2e-7);
    }

    [Fact]
    public void A_total_within_the_bound_leaves_the_gradients_and_their_versions_alone()
    {
        var (a, b, c) = Parameters();
        int version = a.Grad!.Version;
        Assert.Equal(4.892596447695232, GradientClipping.ClipGradNorm([a, b, c], 100.0), 1e-15);
        Assert.Equal(G1, a.Grad!.ToFlatArray());
        Assert.Equal(G2, b.Grad!.ToFlatArray());
        Assert.Equal(version, a.Grad!.Version);
        Assert.Equal(0, GradientClipping.ClipGradNorm([c], 1.0));
        Assert.Equal(0, GradientClipping.ClipGradNorm(Array.Empty<Tensor<double>>(), 1.0));
    }

    [Fact]
    public void A_non_finite_total_is_refused_by_default_changing_nothing()
    {
        var (a, b, c) = Parameters([0.5, double.NaN, 2.0, 3.0, 0.25, -0.75]);
        double[] before = a.Grad!.ToFlatArray();
        var e = Assert.Throws<ArgumentException>(() => GradientClipping.ClipGradNorm([c, b, a], 1.0));
        Assert.Equal("parameters", e.ParamName);
        Assert.StartsWith("GradientClipping.ClipGradNorm: the total 2-norm of the gradients is NaN: 'a' (2×3) has a non-finite gradient. Nothing was scaled. " +
            "Skip this step (zero the gradients), or pass errorIfNonfinite: false to scale by NaN as PyTorch's default does.", e.Message);
        Assert.Equal(before, a.Grad!.ToFlatArray());
        Assert.Equal(G2, b.Grad!.ToFlatArray());

        var (x, _, _) = Parameters([0.5, double.PositiveInfinity, 2.0, 3.0, 0.25, -0.75]);
        Assert.StartsWith("GradientClipping.ClipGradNorm: the total ∞-norm of the gradients is Infinity: 'a' (2×3) has a non-finite gradient.",
            Assert.Throws<ArgumentException>(() => GradientClipping.ClipGradNorm([x], 1.0, double.PositiveInfinity)).Message);
    }

    [Fact]
    public void Opting_out_scales_by_NaN_or_zero_as_PyTorchs_default()
    {
        // clip_grad_norm_(..., error_if_nonfinite=False): a NaN total makes every gradient NaN; an infinite one multiplies by 0
        var (a, b, c) = Parameters([0.5, double.NaN, 2.0, 3.0, 0.25, -0.75]);
        Assert.True(double.IsNaN(GradientClipping.ClipGradNorm([a, b, c], 1.0, errorIfNonfinite: false)));
        Assert.All(a.Grad!.ToFlatArray().Concat(b.Grad!.ToFlatArray()), v => Assert.True(double.IsNaN(v)));

        foreach (double normType in new[] { 2.0, double.PositiveInfinity })
        {
            var (x, y, _) = Parameters([0.5, double.PositiveInfinity, 2.0, 3.0, 0.25, -0.75]);
            Assert.Equal(double.PositiveInfinity, GradientClipping.ClipGradNorm([x, y], 1.0, normType, errorIfNonfinite: false));
            Assert.Equal([0.0, double.NaN, 0.0, 0.0, 0.0, -0.0], x.Grad!.ToFlatArray());
            Assert.Equal([-0.0, 0.0], y.Grad!.ToFlatArray());
        }
    }

    [Fact]
    public void Bad_arguments_are_refused_naming_ClipGradNorm_and_changing_nothing()
    {
        var (a, b, _) = Parameters();
        void Refused<TException>(Action call, string param, string message) where TException : ArgumentException
        {
            var e = Assert.Throws<TException>(call);
            Assert.Equal(param, e.ParamName);
            Assert.StartsWith(message, e.Message);
        }

        Refused<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([a, b], -1.5), "maxNorm",
            "GradientClipping.ClipGradNorm: maxNorm is -1.5; it must be ≥ 0 (+∞ measures without clipping).");
        Refused<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([a, b], double.NaN), "maxNorm", "GradientClipping.ClipGradNorm: maxNorm is NaN;");
        Refused<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([a, b], 1.0, 0), "normType",
            "GradientClipping.ClipGradNorm: normType 0 is not a norm; use p > 0: 2 (the default), 1, or double.PositiveInfinity.");
        Refused<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([a, b], 1.0, double.NaN), "normType", "GradientClipping.ClipGradNorm: normType NaN is not a norm");
        Refused<ArgumentException>(() => GradientClipping.ClipGradNorm([a, b, a], 1.0), "parameters",
            "GradientClipping.ClipGradNorm: 'a' (2×3) appears twice in the parameter list; its gradient would count and be scaled twice.");
        Refused<ArgumentException>(() => GradientClipping.ClipGradNorm([a, null!], 1.0), "parameters", "GradientClipping.ClipGradNorm: the parameter list contains null.");
        Assert.Throws<ArgumentNullException>(() => GradientClipping.ClipGradNorm<double>(null!, 1.0));
        Assert.Equal(G1, a.Grad!.ToFlatArray());
        Assert.Equal(G2, b.Grad!.ToFlatArray());
    }

    [Fact]
    public void A_compiled_step_without_an_optimizer_can_be_clipped_between_its_gradients_and_the_update()
    {
        double[] RunTwice(bool compiled)
        {
            var model = new Mlp<double>([3, 4, 2], Activation.Tanh, new Random(7));
            var sgd = new Sgd<double>(model.Parameters, 0.5);
            var x = Tensor.From(new double[,] { { 0.5, -1.0, 2.0 }, { 1.5, 0.25, -0.5 } });
            var y = Tensor.From(new double[,] { { 3.0, -2.0 }, { -1.0, 4.0 } });
            var step = Tensor.Compile((Tensor<double> a, Tensor<double> b) => Loss.MeanSquaredError(model.Forward(a), b));
            for (int i = 0; i < 2; i++)
            {
                sgd.ZeroGrad();
                if (compiled)
                {
                    step.Run(x, y);
                }
                else
                {
                    Loss.MeanSquaredError(model.Forward(x), y).Backward();
                }
                Assert.True(GradientClipping.ClipGradNorm(model.Parameters, 0.1) > 0.1, "the test clips");
                sgd.Step();
            }
            return model.Parameters.SelectMany(p => p.ToFlatArray()).ToArray();
        }

        Assert.Equal(RunTwice(compiled: false), RunTwice(compiled: true));
    }

    [Fact]
    public void Clipped_gradients_have_the_bound_as_their_total_and_keep_their_direction() =>
        Properties.Check(Arb.From(
            from m in Gens.Matrix(Gens.Value)
            from n in Gens.Matrix(Gens.Value)
            from maxNorm in Gen.Choose(1, 4000).Select(k => k / 1000.0)
            select (m, n, maxNorm)), c =>
        {
            var p = c.m.ToTensor(requiresGrad: true);
            var q = c.n.ToTensor(requiresGrad: true);
            ((p * p.Detach()).Sum() + (q * q.Detach()).Sum()).Backward(); // the gradients are the values
            double[] all = p.ToFlatArray().Concat(q.ToFlatArray()).ToArray();
            double expected = Math.Sqrt(all.Sum(v => v * v));
            double total = GradientClipping.ClipGradNorm([p, q], c.maxNorm);
            Assert.Equal(expected, total, 1e-12 * Math.Max(1, expected));
            double coefficient = c.maxNorm / (total + 1e-6);
            double[] clipped = p.Grad!.ToFlatArray().Concat(q.Grad!.ToFlatArray()).ToArray();
            for (int i = 0; i < all.Length; i++)
            {
                Assert.Equal(coefficient < 1 ? all[i] * coefficient : all[i], clipped[i]);
            }
            Assert.True(Math.Sqrt(clipped.Sum(v => v * v)) <= c.maxNorm * (1 + 1e-12), "the clipped total is at most maxNorm");
        });

    /// <summary>
    /// Finite gradients whose squares leave the range (session thirteen, adv18): [1e200, 1e200] and [1e200] were refused
    /// as "a non-finite gradient" (Σ g² overflowed; PyTorch 1.13 returns +∞ and zeroes them), [1e-200, 1e-200] measured 0
    /// (PyTorch too); now the norm is taken scaled by the largest value where the plain sum leaves the normal range.
    /// </summary>
    [Fact]
    public void Finite_gradients_whose_squares_overflow_or_underflow_have_their_true_norm()
    {
        var a = Tensor.Zeros<double>(1, 2, requiresGrad: true);
        a.Grad = Tensor.FromRowMajor<double>(1, 2, [1e200, -1e200]);
        var b = Tensor.Zeros<double>(1, 1, requiresGrad: true);
        b.Grad = Tensor.FromRowMajor<double>(1, 1, [1e200]);
        double total = GradientClipping.ClipGradNorm([a, b], 1.0);
        Assert.Equal(Math.Sqrt(3) * 1e200, total, 1e-15 * 1e200 * 2);
        Assert.All(a.Grad!.ToFlatArray().Concat(b.Grad!.ToFlatArray()), g => Assert.Equal(1 / Math.Sqrt(3), Math.Abs(g), 1e-15));

        var tiny = Tensor.Zeros<double>(1, 2, requiresGrad: true);
        tiny.Grad = Tensor.FromRowMajor<double>(1, 2, [1e-200, 1e-200]);
        Assert.Equal(Math.Sqrt(2) * 1e-200, GradientClipping.ClipGradNorm([tiny], 1.0), 1e-215);
        Assert.Equal([1e-200, 1e-200], tiny.Grad!.ToFlatArray()); // far below maxNorm: untouched
    }

    [Fact]
    public void A_float_norm_beyond_floats_range_is_refused_without_blaming_a_finite_gradient()
    {
        var a = Tensor.Zeros<float>(1, 2, requiresGrad: true, name: "a");
        a.Grad = Tensor.FromRowMajor<float>(1, 2, [3e38f, 3e38f]);
        var e = Assert.Throws<ArgumentException>(() => GradientClipping.ClipGradNorm([a], 1.0));
        Assert.StartsWith("GradientClipping.ClipGradNorm: the total 2-norm of the gradients is Infinity (every gradient is finite, but their norm is beyond the range of Single). Nothing was scaled.", e.Message);
        Assert.Equal([3e38f, 3e38f], a.Grad!.ToFlatArray());
    }

    /// <summary>
    /// The same for the other p-norms (session thirteen, adv18): the 3-norm of [1e200, 1e200] (2^⅓·1e200) and the
    /// 10³⁰⁰-norm of [3, 4] (4, the largest) were refused as beyond the range of double because Σ |g|ᵖ overflowed.
    /// </summary>
    [Fact]
    public void Finite_p_norms_whose_powers_overflow_have_their_true_value()
    {
        var a = Tensor.Zeros<double>(1, 2, requiresGrad: true);
        a.Grad = Tensor.FromRowMajor<double>(1, 2, [1e200, 1e200]);
        Assert.Equal(Math.Cbrt(2) * 1e200, GradientClipping.ClipGradNorm([a], double.PositiveInfinity, 3), 1e-15 * 1.3e200);
        Assert.Equal([1e200, 1e200], a.Grad!.ToFlatArray()); // maxNorm +∞ measures only

        var b = Tensor.Zeros<double>(1, 2, requiresGrad: true);
        b.Grad = Tensor.FromRowMajor<double>(1, 2, [3, 4]);
        Assert.Equal(4, GradientClipping.ClipGradNorm([b], 100, 1e300), 1e-15);
    }
}

