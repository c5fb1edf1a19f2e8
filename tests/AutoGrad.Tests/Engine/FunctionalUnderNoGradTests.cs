using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// The functional derivatives (Hessian, Hessian-vector product, Jacobian) record f themselves, as
/// <c>torch.autograd.functional</c> does under <c>torch.enable_grad()</c>: called inside <see cref="Tensor.NoGrad"/>
/// they returned zeros (f recorded nothing, so it looked independent of x) — a wrong answer, not a refusal.
/// Expected values are PyTorch 1.13's, computed inside <c>torch.no_grad()</c>.
/// </summary>
public class FunctionalUnderNoGradTests
{
    private static Tensor<double> Point() => Tensor.From(new double[,] { { 0.5, 0.75 } });

    [Fact]
    public void Hessian_inside_NoGrad_is_the_hessian_and_recording_stays_off_afterwards()
    {
        // torch.autograd.functional.hessian(lambda v: (v**3).sum(), x) under no_grad: [[3, 0], [0, 4.5]]
        using (Tensor.NoGrad())
        {
            var h = Autograd.Hessian(v => v.Pow(3).Sum(), Point());
            Assert.Equal(new double[,] { { 3, 0 }, { 0, 4.5 } }, h.ToArray());
            var w = Tensor.From(new double[,] { { 1 } }, requiresGrad: true);
            Assert.False(w.Exp().RequiresGrad); // the NoGrad scope is still in force
        }
    }

    [Fact]
    public void Hessian_vector_product_inside_NoGrad_is_H_times_v()
    {
        // torch.autograd.functional.hvp(lambda v: (v**3).sum(), x, [1, -2])[1] under no_grad: [3, -9]
        using (Tensor.NoGrad())
        {
            var hv = Autograd.HessianVectorProduct(v => v.Pow(3).Sum(), Point(), Tensor.From(new double[,] { { 1, -2 } }));
            Assert.Equal(new double[] { 3, -9 }, hv.ToFlatArray());
        }
    }

    [Fact]
    public void Jacobian_inside_NoGrad_is_the_jacobian()
    {
        // torch.autograd.functional.jacobian(lambda v: v.exp() * v, x) under no_grad: diag((1 + x)·eˣ)
        using (Tensor.NoGrad())
        {
            var j = Autograd.Jacobian(v => v.Exp() * v, Point());
            Assert.Equal(new double[,] { { 1.5 * Math.Exp(0.5), 0 }, { 0, 1.75 * Math.Exp(0.75) } }, j.ToArray());
        }
    }

    [Fact]
    public void Functional_derivatives_are_right_in_a_NoGrad_scope_for_random_cubics() =>
        Properties.Check(Arb.From(Gen.Choose(-10_000, 10_000).Two()), pair =>
        {
            double x0 = pair.Item1 / 1000.0, x1 = pair.Item2 / 1000.0;
            var x = Tensor.From(new double[,] { { x0, x1 } });
            Tensor<double> h, hv;
            using (Tensor.NoGrad())
            {
                // x0³ + x1³ + 2·x0·x1 (the 1×1 product broadcast over the 1×2 row is summed twice)
                Func<Tensor<double>, Tensor<double>> f = v => (v.Pow(3) + v[0..1, 0..1] * v[0..1, 1..2]).Sum();
                h = Autograd.Hessian(f, x);
                hv = Autograd.HessianVectorProduct(f, x, Tensor.From(new double[,] { { 1, 0 } }));
            }
            Assert.Equal(6 * x0, h[0, 0], 1e-12);
            Assert.Equal(6 * x1, h[1, 1], 1e-12);
            Assert.Equal(2, h[0, 1], 1e-12);
            Assert.Equal(2, h[1, 0], 1e-12);
            Assert.Equal(h[0, 0], hv[0, 0]);
            Assert.Equal(h[1, 0], hv[0, 1]);
        });
}
