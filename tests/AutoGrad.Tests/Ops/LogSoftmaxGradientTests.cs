using System.Numerics;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// LogSoftmax′, logsoftmax's recorded gradient as one operation whose derivatives are PyTorch's terms (issue 13, adversarial
/// review (A)): with lane seeds near ±max the second order ∂/∂x of Σ h ⊙ ∂L/∂x is PyTorch 1.13's value, where the
/// composition recorded before (g − e^y ⊙ Σg) overflowed to ±∞ inside a lane and gave NaN.
/// </summary>
/// <remarks>
/// Values from <c>torch.autograd.grad</c> twice (create_graph on the first) on the same x, seed g and h in the element
/// type; the cases were drawn at random (x in ±3, seeds among ±max, ±max/2, −max/3 and ordinary values) and kept where
/// the old composition, replayed in PyTorch, gave NaN for elements PyTorch's own rule keeps finite.
/// </remarks>
public class LogSoftmaxGradientTests
{
    private static void SecondOrderMatches<T>(Func<Tensor<T>, Tensor<T>> f, int rows, int cols, T[] x, T[] g, T[] h, T[] pyTorch, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Tensor.FromRowMajor<T>(rows, cols, x, requiresGrad: true);
        var first = Autograd.Grad(f(input), [input], createGraph: true, Tensor.FromRowMajor<T>(rows, cols, g))[0];
        T[] second = Autograd.Grad((first * Tensor.FromRowMajor<T>(rows, cols, h)).Sum(), [input])[0].ToFlatArray();
        for (int i = 0; i < second.Length; i++)
        {
            double expected = double.CreateTruncating(pyTorch[i]), actual = double.CreateTruncating(second[i]);
            Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"element {i}: {actual:R}, PyTorch {expected:R}");
        }
    }

    [Fact]
    public void LogSoftmax_second_order_along_axis_0_with_lane_seeds_near_overflow_is_PyTorchs_not_NaN_in_float() =>
        SecondOrderMatches<float>(x => x.LogSoftmax(0), 3, 2,
            x: [2.02f, -0.93f, 2.79f, 1.66f, 1.56f, -1.91f],
            g: [3.4028235e+38f, -3.4028235e+38f, -1.1342745e+38f, 1.7014117e+38f, 1.29f, 3.4028235e+38f],
            h: [-3.37f, -2.86f, 2.33f, -1.15f, 0.48f, 2.92f],
            pyTorch: [2.3268013e+38f, 1.964151e+37f, -2.3413064e+38f, -1.9139065e+36f, 1.450506e+36f, -1.77276e+37f], 2e-6);

    [Fact]
    public void LogSoftmax_second_order_along_axis_0_with_lane_seeds_near_overflow_is_PyTorchs_not_NaN_in_double() =>
        SecondOrderMatches<double>(x => x.LogSoftmax(0), 3, 2,
            x: [2.49, -2.01, -0.34, 1.74, -0.0, 1.82],
            g: [1.84, -1.7976931348623157e+308, -5.992310449541053e+307, 0.74, 1.7976931348623157e+308, 8.988465674311579e+307],
            h: [-1.44, -2.33, -2.59, -1.31, 1.57, 2.49],
            pyTorch: [1.669905531010234e+307, -2.97247156127693e+306, 8.10795148654897e+306, -8.287545789873773e+307, -2.4807006796651296e+307, 8.584792946001466e+307], 1e-13);

    /// <summary>
    /// Lanes of five seeds whose row-order partial sums overflow (M + M/2 in the first, M + 8.99e307 in the second's first
    /// column) though the lane's Σg is finite: Sum(axis: 0) and the backward pass's lane sum had no second pass, so these
    /// were NaN (session thirteen, adv18; PyTorch 1.13's values).
    /// </summary>
    [Fact]
    public void LogSoftmax_second_order_down_a_column_whose_seeds_overflow_in_row_order_is_PyTorchs_not_NaN() =>
        SecondOrderMatches<double>(x => x.LogSoftmax(0), 5, 1,
            x: [1.2, 2.26, 2.65, -1.44, 0.36],
            g: [2.04, 1.7976931348623157e+308, 8.988465674311579e+307, -1.7976931348623157e+308, -1.7976931348623157e+308],
            h: [1.02, 1.7, 2.38, -2.07, 1.3],
            pyTorch: [-9.197688424488202e+306, -6.15864911459506e+306, 2.1018386111397394e+307, -2.947026610481192e+306, -2.7150219618329804e+306], 1e-13);

    [Fact]
    public void LogSoftmax_second_order_down_two_columns_whose_seeds_overflow_in_row_order_is_PyTorchs_not_NaN() =>
        SecondOrderMatches<double>(x => x.LogSoftmax(0), 5, 2,
            x: [-2.43, 1.8, -1.81, -0.68, 0.14, -2.59, 1.34, -0.99, 2.19, 2.25],
            g: [1.7976931348623157e+308, 2.22, 8.988465674311579e+307, -1.18, -1.7976931348623157e+308, 8.988465674311579e+307, -5.992310449541053e+307, -8.988465674311579e+307, -1.7976931348623157e+308, 4.4942328371557893e+307],
            h: [-1.46, -0.4, 2.8, 0.14, -1.51, -0.48, 1.13, 1.62, 0.02, -1.97],
            pyTorch: [-1.5633662415933147e+306, -1.3874805123329137e+307, 4.471558198801409e+306, -1.9074982778911555e+306, -2.1035305638595228e+307, -1.5570134856534766e+305, 3.6855677779936663e+307, -2.8977993984627793e+306, -1.8728564098549534e+307, 1.883580414824842e+307], 1e-13);

    /// <summary>
    /// A row of five seeds [−M, −M/2, M, M/2, M/2] (Σ = M/2): TensorPrimitives' vector lanes added a −∞ and a +∞ partial
    /// sum into NaN, which the ±∞ check of the second pass let through (session thirteen, adv18; PyTorch 1.13's values).
    /// </summary>
    [Fact]
    public void LogSoftmax_second_order_along_a_row_whose_vector_partial_sums_are_both_infinities_is_PyTorchs_not_NaN() =>
        SecondOrderMatches<double>(x => x.LogSoftmax(1), 1, 5,
            x: [-2.23, 0.91, -1.79, -2.28, 0.66],
            g: [-1.7976931348623157e+308, -8.988465674311579e+307, 1.7976931348623157e+308, 8.988465674311579e+307, 8.988465674311579e+307],
            h: [-2.07, -0.83, 0.94, 2.65, 0.51],
            pyTorch: [3.806156782201792e+306, 3.0201001645664685e+307, -3.50896068148588e+306, -5.4277747988252745e+306, -2.507042294755533e+307], 1e-13);

    [Fact]
    public void LogSoftmax_second_order_along_axis_1_with_lane_seeds_near_overflow_is_PyTorchs_not_NaN_in_float() =>
        SecondOrderMatches<float>(x => x.LogSoftmax(1), 2, 3,
            x: [-1.86f, -1.95f, -0.21f, -0.47f, 2.75f, 1.08f],
            g: [1.7014117e+38f, -1.1342745e+38f, -3.4028235e+38f, -3.4028235e+38f, 1.7014117e+38f, 3.4028235e+38f],
            h: [-1.31f, 1.36f, -0.81f, 2.99f, 0.36f, -3.17f],
            pyTorch: [-2.8205588e+37f, 7.139542e+37f, -4.318984e+37f, -1.7077923e+37f, -6.309803e+37f, 8.017595e+37f], 2e-6);

    [Fact]
    public void LogSoftmax_second_order_along_axis_1_with_lane_seeds_near_overflow_is_PyTorchs_not_NaN_in_double() =>
        SecondOrderMatches<double>(x => x.LogSoftmax(1), 2, 3,
            x: [2.92, 1.62, 0.19, 0.53, -1.98, 1.11],
            g: [1.7976931348623157e+308, -5.992310449541053e+307, 0.57, -1.7976931348623157e+308, 1.7976931348623157e+308, 1.7976931348623157e+308],
            h: [0.78, 2.3, -2.55, -2.17, -2.55, 1.6],
            pyTorch: [1.3197448859439869e+307, -3.351488180373803e+307, 2.0317432944298168e+307, 1.4655579243043148e+308, 1.3846511791054799e+307, -1.6040230422148628e+308], 1e-13);

    /// <summary>
    /// On ordinary values (x, g, h in ±3, shapes up to 5×5, both axes): the recorded first order is the one-pass
    /// gradient's bits; the second order, plain or recorded, has the same bits either way and the value of the
    /// composition g - y.Exp() * g.Sum(axis) differentiated by the tape (within 1e-13 of the largest term).
    /// </summary>
    [Fact]
    public void LogSoftmax_recorded_and_plain_derivatives_agree_on_ordinary_values() =>
        Properties.Check(
            Arb.From(from rows in Gen.Choose(1, 5)
                     from cols in Gen.Choose(1, 5)
                     from axis in Gen.Choose(0, 1)
                     from x in Gen.ArrayOf(Gens.Value, rows * cols)
                     from g in Gen.ArrayOf(Gens.Value, rows * cols)
                     from h in Gen.ArrayOf(Gens.Value, rows * cols)
                     select (rows, cols, axis, x, g, h)),
            c =>
            {
                var x = Tensor.FromRowMajor<double>(c.rows, c.cols, c.x, requiresGrad: true);
                Tensor<double> g = Tensor.FromRowMajor<double>(c.rows, c.cols, c.g), h = Tensor.FromRowMajor<double>(c.rows, c.cols, c.h);
                int axis = c.axis;
                var y = x.LogSoftmax(axis);
                var first = Autograd.Grad(y, [x], createGraph: true, g)[0];
                Assert.Equal(Autograd.Grad(x.LogSoftmax(axis), [x], createGraph: false, g)[0].ToFlatArray(), first.ToFlatArray());
                double[] plain = Autograd.Grad(first, [x], createGraph: false, h)[0].ToFlatArray();
                Assert.Equal(plain, Autograd.Grad(first, [x], createGraph: true, h)[0].ToFlatArray());
                var composed = g - y.Exp() * g.Sum(axis);
                double[] reference = Autograd.Grad(composed, [x], createGraph: false, h)[0].ToFlatArray();
                double scale = 1 + reference.Max(Math.Abs);
                for (int i = 0; i < plain.Length; i++)
                {
                    Assert.True(Math.Abs(plain[i] - reference[i]) <= 1e-13 * scale, $"element {i}: {plain[i]:R}, composed {reference[i]:R}");
                }
            });
}
