using System.Numerics;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Softmax′, softmax's recorded gradient as one operation whose derivatives are PyTorch's terms (issue 13, adversarial
/// review (A)): with lane seeds near ±max the second order ∂/∂x of Σ h ⊙ ∂L/∂x is PyTorch 1.13's value, where the
/// composition recorded before (y ⊙ (g − Σ(g ⊙ y))) overflowed to ±∞ inside a lane and gave NaN.
/// </summary>
/// <remarks>
/// Values from <c>torch.autograd.grad</c> twice (create_graph on the first) on the same x, seed g and h in the element
/// type; the cases were drawn at random (x in ±3, seeds among ±max, ±max/2, −max/3 and ordinary values) and kept where
/// the old composition, replayed in PyTorch, gave NaN for elements PyTorch's own rule keeps finite.
/// </remarks>
public class SoftmaxGradientTests
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
    public void Softmax_second_order_along_axis_0_with_lane_seeds_near_overflow_is_PyTorchs_not_NaN_in_double() =>
        SecondOrderMatches<double>(x => x.Softmax(0), 3, 2,
            x: [0.39, 2.11, 1.54, 2.2, -0.96, 1.75],
            g: [1.34, -1.7976931348623157e+308, 8.988465674311579e+307, -1.34, -1.7976931348623157e+308, 1.7976931348623157e+308],
            h: [0.56, 0.7, -0.41, -0.7, -0.44, 0.72],
            pyTorch: [-6.568899054091219e+306, -2.774820937460328e+307, 2.5051722511509408e+306, -2.737288068402965e+306, 4.063726802940277e+306, 3.048549744300625e+307], 1e-13);
}
