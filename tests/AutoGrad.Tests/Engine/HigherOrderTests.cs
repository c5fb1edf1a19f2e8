using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>Second derivatives: the backward pass recorded (createGraph) and differentiated again.</summary>
public class HigherOrderTests
{
    // Every operation's second derivative against finite differences: Catalogue/CatalogueGradientTests.cs.

    [Fact]
    public void Sigmoid_second_derivative_is_sigma_one_minus_sigma_one_minus_two_sigma() =>
        Properties.Check(Arb.From(Gen.Choose(-8000, 8000).Select(k => k / 1000.0)), z =>
        {
            var x = Tensor.Scalar(z, requiresGrad: true);
            var first = Autograd.Grad(x.Sigmoid(), [x], createGraph: true)[0];
            var second = Autograd.Grad(first, [x])[0].Item;
            double s = 1 / (1 + Math.Exp(-z));
            Assert.Equal(s * (1 - s) * (1 - 2 * s), second, 1e-12);
        });

    [Fact]
    public void Backward_with_createGraph_gives_gradients_that_can_be_differentiated_again()
    {
        var x = Tensor.Scalar(2.0, requiresGrad: true);
        var y = x.Pow(3);
        y.Backward(createGraph: true); // dy/dx = 3x² = 12, recorded
        var dydx = x.Grad!;
        Assert.Equal(12.0, dydx.Item);
        Assert.False(dydx.IsLeaf);
        x.ZeroGrad();
        dydx.Backward(); // d²y/dx² = 6x = 12
        Assert.Equal(12.0, x.Grad!.Item);
    }

    [Fact]
    public void Grad_returns_gradients_without_touching_Grad_and_zero_for_an_unused_input()
    {
        var a = Tensor.Scalar(3.0, requiresGrad: true);
        var b = Tensor.Scalar(4.0, requiresGrad: true);
        var unused = Tensor.Scalar(5.0, requiresGrad: true);
        var grads = Autograd.Grad(a * b, [a, b, unused]);
        Assert.Equal([4.0, 3.0, 0.0], grads.Select(g => g.Item));
        Assert.Null(a.Grad);
        Assert.Null(b.Grad);
    }

    [Fact]
    public void Grad_with_a_seed_computes_a_vector_jacobian_product()
    {
        var x = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
        var g = Autograd.Grad(x.Square(), [x], seed: Tensor.From(new double[,] { { 10, 100 } }))[0];
        Assert.Equal(new double[,] { { 20, 400 } }, g.ToArray());
    }

    [Fact]
    public void Grad_refuses_an_input_that_does_not_require_a_gradient() =>
        Assert.Throws<ArgumentException>(() => Autograd.Grad(Tensor.Scalar(1.0, requiresGrad: true) * 2.0, [Tensor.Scalar(1.0)]));

    [Fact]
    public void Hessian_of_a_two_layer_mlp_loss_matches_finite_differences_of_its_gradient_and_is_symmetric() =>
        Properties.Check(Arb.From(Gen.Choose(0, 10_000)), seed =>
        {
            var random = new Random(seed);
            var x = Tensor.RandomNormal<double>(5, 2, random);
            var y = Tensor.RandomUniform<double>(5, 1, random);
            var w2 = Tensor.RandomNormal<double>(1, 3, random);
            var w1 = Tensor.RandomNormal<double>(3, 2, random);
            Tensor<double> F(Tensor<double> w) => Loss.HalfSumSquared(Tensor<double>.MatMul(Tensor<double>.MatMul(x, w, false, true).Tanh(), w2, false, true).Sigmoid(), y);
            var hessian = Autograd.Hessian(F, w1);
            Assert.Equal(new Shape(6, 6), hessian.Shape);
            const double Eps = 1e-5;
            for (int j = 0; j < 6; j++)
            {
                // column j by central differences of the tape's gradient
                var plus = w1.ToFlatArray(); plus[j] += Eps;
                var minus = w1.ToFlatArray(); minus[j] -= Eps;
                var gPlus = GradientAt(plus);
                var gMinus = GradientAt(minus);
                for (int i = 0; i < 6; i++)
                {
                    double numeric = (gPlus[i] - gMinus[i]) / (2 * Eps);
                    Assert.Equal(numeric, hessian[i, j], 1e-6 + 1e-5 * Math.Abs(numeric));
                    Assert.Equal(hessian[i, j], hessian[j, i], 1e-12 * (1 + Math.Abs(hessian[i, j])));
                }
            }

            double[] GradientAt(double[] values)
            {
                var w = Tensor.FromRowMajor<double>(3, 2, values, requiresGrad: true);
                return Autograd.Grad(F(w), [w])[0].ToFlatArray();
            }
        }, cases: 30);

    [Fact]
    public void Hessian_vector_product_equals_the_hessian_times_the_vector() =>
        Properties.Check(Arb.From(from m in Gens.MatrixOf(2, 2, Gens.Value) from v in Gens.MatrixOf(2, 2, Gens.Value) select (m, v)), c =>
        {
            Tensor<double> F(Tensor<double> w) => (w.MatMul(w).Tanh() * w).Sum();
            var x = c.m.ToTensor(false);
            var v = c.v.ToTensor(false);
            var hv = Autograd.HessianVectorProduct(F, x, v).ToFlatArray();
            var h = Autograd.Hessian(F, x);
            for (int i = 0; i < 4; i++)
            {
                double expected = Enumerable.Range(0, 4).Sum(j => h[i, j] * c.v.Values[j]);
                Assert.Equal(expected, hv[i], 1e-10 * (1 + Math.Abs(expected)));
            }
        });

    [Fact]
    public void Hessian_of_a_linear_function_is_zero()
    {
        var h = Autograd.Hessian(w => (w * 3.0).Sum(), Tensor.Ones<double>(2, 1));
        Assert.All(h.ToFlatArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Newtons_method_with_the_tapes_hessian_fits_a_logistic_regression_in_under_ten_iterations()
    {
        var random = new Random(3);
        var xs = new double[200, 3];
        var ys = new double[200, 1];
        for (int i = 0; i < 200; i++)
        {
            bool positive = i % 2 == 0;
            xs[i, 0] = (positive ? 1.0 : -0.5) + 1.2 * (random.NextDouble() - 0.5) * 2;
            xs[i, 1] = (positive ? 0.5 : -1.0) + 1.2 * (random.NextDouble() - 0.5) * 2;
            xs[i, 2] = 1;
            ys[i, 0] = positive ? 1 : 0;
        }
        var x = Tensor.From(xs);
        var y = Tensor.From(ys);
        Tensor<double> F(Tensor<double> w)
        {
            var p = x.MatMul(w).Sigmoid();
            return -(y * p.Log() + (1.0 - y) * (1.0 - p).Log()).Mean() + 1e-3 * w.Square().Sum();
        }
        var w = Tensor.Zeros<double>(3, 1);
        int iterations = 0;
        for (; iterations < 10; iterations++)
        {
            var point = w.Detach();
            point.RequiresGrad = true;
            var g = Autograd.Grad(F(point), [point])[0].ToFlatArray();
            if (Math.Sqrt(g.Sum(v => v * v)) < 1e-10) break;
            var h = Autograd.Hessian(F, w).ToArray();
            // H is symmetric positive definite here: solve H·s = g by Cramer's rule for the 3×3 system
            double det = Det(h);
            var s = new double[3];
            for (int c = 0; c < 3; c++)
            {
                var hc = (double[,])h.Clone();
                for (int r = 0; r < 3; r++) hc[r, c] = g[r];
                s[c] = Det(hc) / det;
            }
            w = Tensor.FromRowMajor<double>(3, 1, w.ToFlatArray().Zip(s, (a, b) => a - b).ToArray());
        }
        Assert.True(iterations < 10, $"Newton's method needed {iterations} iterations");

        static double Det(double[,] m) =>
            m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
    }

    [Fact]
    public void Grad_with_the_same_input_twice_returns_its_gradient_twice()
    {
        var a = Tensor.Scalar(3.0, requiresGrad: true);
        var grads = Autograd.Grad(a * a, [a, a]);
        Assert.Equal([6.0, 6.0], grads.Select(g => g.Item));
    }

    [Fact]
    public void Hessian_vector_product_of_a_linear_function_is_zero_with_the_shape_of_x()
    {
        var hv = Autograd.HessianVectorProduct(w => (w * 3.0).Sum(), Tensor.Ones<double>(2, 3), Tensor.Ones<double>(2, 3));
        Assert.Equal(new Shape(2, 3), hv.Shape);
        Assert.All(hv.ToFlatArray(), v => Assert.Equal(0.0, v));
    }
}
