using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Every refusal names the call that refused, what was wrong, and (where there is one) what to do instead.
/// The exact phrases pinned here are the ones a user would search for.
/// </summary>
public class ErrorMessageTests
{
    public static TheoryData<string, Action> NullArguments => new()
    {
        { "values", () => Tensor.From((double[])null!) },
        { "rows", () => Tensor.From((double[][])null!) },
        { "random", () => Tensor.RandomNormal<double>(2, 2, null!) },
        { "random", () => Tensor.RandomUniform<double>(2, 2, null!) },
        { "random", () => _ = new Linear<double>(2, 2, null!) },
        { "input", () => new Linear<double>(2, 2, new Random(1)).Forward(null!) },
        { "parameters", () => _ = new Sgd<double>(null!, 0.1) },
        { "f", () => Autograd.HessianVectorProduct<double>(null!, Tensor.Scalar(1.0), Tensor.Scalar(1.0)) },
        { "x", () => Autograd.HessianVectorProduct(x => x, null!, Tensor.Scalar(1.0)) },
        { "v", () => Autograd.HessianVectorProduct(x => x, Tensor.Scalar(1.0), null!) },
        { "f", () => Autograd.Hessian<double>(null!, Tensor.Scalar(1.0)) },
        { "x", () => Autograd.Hessian<double>(x => x, null!) },
        { "inputs", () => GradCheck.Run<double>(x => x[0], null!) },
    };

    [Theory]
    [MemberData(nameof(NullArguments))]
    public void A_null_argument_is_refused_by_name(string parameter, Action call) =>
        Assert.Equal(parameter, Assert.Throws<ArgumentNullException>(call).ParamName);

    [Fact]
    public void A_bad_size_names_the_factory_that_refused_it()
    {
        Assert.StartsWith("Tensor.FromRowMajor:", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.FromRowMajor<double>(0, 2, [])).Message);
        Assert.StartsWith("Tensor.Full:", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Full(2, -1, 1.0)).Message);
        Assert.StartsWith("Tensor.RandomNormal:", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal<double>(-1, 2, new Random(1))).Message);
        Assert.StartsWith("Tensor.RandomUniform:", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomUniform<double>(1, 0, new Random(1))).Message);
    }

    [Fact]
    public void Row_major_values_of_the_wrong_count_are_refused_with_both_counts() =>
        Assert.StartsWith("Tensor.FromRowMajor: a 2×3 tensor needs 6 values; got 5.",
            Assert.Throws<ArgumentException>(() => Tensor.FromRowMajor<double>(2, 3, [1, 2, 3, 4, 5])).Message);

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(2.0, 1.0)]
    [InlineData(double.NaN, 1.0)]
    public void A_uniform_range_must_not_be_empty(double low, double high) =>
        Assert.StartsWith("Tensor.RandomUniform: need low < high",
            Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<double>(1, 1, new Random(1), low, high)).Message);

    [Fact]
    public void Rows_that_are_missing_or_empty_are_refused()
    {
        Assert.StartsWith("Tensor.From: no rows", Assert.Throws<ArgumentException>(() => Tensor.From(Array.Empty<double[]>())).Message);
        Assert.StartsWith("Tensor.From: no rows", Assert.Throws<ArgumentException>(() => Tensor.From(new[] { Array.Empty<double>() })).Message);
        Assert.StartsWith("Tensor.From: no rows", Assert.Throws<ArgumentException>(() => Tensor.From(new double[][] { null! })).Message);
        Assert.Contains("row 1 has 0", Assert.Throws<ArgumentException>(() => Tensor.From(new[] { new[] { 1.0 }, null! })).Message);
    }

    [Fact]
    public void Rows_are_copied_in_order_and_not_shared()
    {
        var rows = new[] { new[] { 1.0, 2 }, new[] { 3.0, 4 }, new[] { 5.0, 6 } };
        var t = Tensor.From(rows);
        rows[2][1] = 99;
        Assert.Equal(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, t.ToArray());
    }

    [Fact]
    public void Seeded_normal_samples_are_the_documented_box_muller_pairs()
    {
        // Box–Muller on u1 = 1 − NextDouble(), u2 = NextDouble(): mean + std·r·cos(2πu2), then mean + std·r·sin(2πu2).
        // Pinned so a seed gives the same tensor in every version.
        var random = new Random(42);
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        var t = Tensor.RandomNormal<double>(3, 1, new Random(42), mean: 10, std: 2);
        Assert.Equal(10 + 2 * r * Math.Cos(2 * Math.PI * u2), t[0, 0]);
        Assert.Equal(10 + 2 * r * Math.Sin(2 * Math.PI * u2), t[1, 0]);
    }

    [Fact]
    public void An_unsupported_element_type_says_which_types_are()
    {
        var error = Assert.Throws<NotSupportedException>(() => Tensor.Zeros<Half>(1, 1));
        Assert.StartsWith("Tensor: Tensor<Half> is not supported; AutoGrad computes in double or float only (Tensor<double>, Tensor<float>).", error.Message);
    }

    [Fact]
    public void Turning_off_RequiresGrad_on_an_op_result_points_to_Detach()
    {
        var y = Tensor.Scalar(1.0, requiresGrad: true).Exp();
        var error = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.StartsWith("RequiresGrad:", error.Message);
        Assert.Contains("result of Exp; use Detach()", error.Message);
    }

    [Fact]
    public void RetainGrad_on_a_constant_says_it_will_never_have_a_gradient() =>
        Assert.Contains("does not require a gradient, so it will never have one",
            Assert.Throws<InvalidOperationException>(() => Tensor.Scalar(1.0).RetainGrad()).Message);

    [Fact]
    public void Indexing_one_past_the_last_column_is_refused() =>
        Assert.Contains("index [0, 2] is outside a 2×2 tensor",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(2, 2)[0, 2]).Message);

    [Fact]
    public void Backward_without_parameters_says_how_to_create_them() =>
        Assert.Contains("requiresGrad: true (and not inside Tensor.NoGrad())",
            Assert.Throws<InvalidOperationException>(() => Tensor.Scalar(1.0).Exp().Backward()).Message);

    [Fact]
    public void Backward_from_a_matrix_suggests_a_seed_or_a_reduction() =>
        Assert.Contains("pass a seed of shape 2×1 (∂L/∂this), or reduce it first, e.g. with Sum() or Mean().",
            Assert.Throws<InvalidOperationException>(() => Tensor.Ones<double>(2, 1, requiresGrad: true).Exp().Backward()).Message);

    [Fact]
    public void Backward_after_an_in_place_update_says_to_rebuild_the_graph()
    {
        var w = Tensor.Scalar(1.0, requiresGrad: true, name: "w");
        var loss = (w * w).Sum();
        loss.Backward();
        new Sgd<double>([w], 0.1).Step();
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("version 0 then, 1 now", error.Message);
        Assert.EndsWith("Rebuild the graph after updating parameters.", error.Message);
    }

    [Fact]
    public void Grad_names_the_input_that_does_not_require_a_gradient() =>
        Assert.StartsWith("Autograd.Grad: input 1, ",
            Assert.Throws<ArgumentException>(() => Autograd.Grad(Tensor.Scalar(1.0, requiresGrad: true) * 2.0,
                [Tensor.Scalar(1.0, requiresGrad: true), Tensor.Scalar(1.0)])).Message);

    [Fact]
    public void A_hessian_vector_product_needs_v_shaped_like_x() =>
        Assert.StartsWith("Autograd.HessianVectorProduct: v is 2×1 but x is 1×2",
            Assert.Throws<ArgumentException>(() => Autograd.HessianVectorProduct(x => x.Sum(), Tensor.Ones<double>(1, 2), Tensor.Ones<double>(2, 1))).Message);

    [Fact]
    public void GradCheck_with_nothing_to_check_says_so() =>
        Assert.StartsWith("GradCheck: no input requires a gradient",
            Assert.Throws<ArgumentException>(() => GradCheck.Run(x => x[0].Exp(), [Tensor.Scalar(1.0)])).Message);

    [Fact]
    public void Anomaly_mode_names_the_activation_whose_result_is_not_finite()
    {
        var x = Tensor.Scalar(double.NaN, requiresGrad: true);
        using (Tensor.DetectAnomaly())
        {
            Assert.Contains("Sigmoid forward", Assert.Throws<AnomalyException>(() => x.Sigmoid()).Message);
            Assert.Contains("Tanh forward", Assert.Throws<AnomalyException>(() => x.Tanh()).Message);
        }
    }
}
