using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Refusals of the functional interface (<see cref="Autograd"/>) and of <see cref="GradCheck"/>, one argument at a time:
/// each names the method the caller called, the argument and what was wrong, and changes nothing.
/// </summary>
public class FunctionalRefusalTests
{
    private static readonly Tensor<double> X = Tensor.From(new double[,] { { 1, 2 } });

    [Fact]
    public void A_vector_of_another_shape_than_x_is_refused_by_HessianVectorProduct()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Autograd.HessianVectorProduct(x => x.Square().Sum(), X, Tensor.Ones<double>(1, 3)));
        Assert.Equal("v", error.ParamName);
        Assert.StartsWith("Autograd.HessianVectorProduct: v is 1×3 but x is 1×2; they must match.", error.Message);
        Assert.Contains("they must match", Assert.Throws<ArgumentException>(() =>
            Autograd.HessianVectorProduct(x => x.Square().Sum(), X, Tensor.Ones<double>(2, 1))).Message);
    }

    [Fact]
    public void A_function_that_returns_null_is_refused_naming_the_method()
    {
        Assert.Equal("Autograd.Hessian: the function returned null; it must return a 1×1 tensor.",
            Assert.Throws<InvalidOperationException>(() => Autograd.Hessian<double>(_ => null!, X)).Message);
        Assert.Equal("Autograd.HessianVectorProduct: the function returned null; it must return a 1×1 tensor.",
            Assert.Throws<InvalidOperationException>(() => Autograd.HessianVectorProduct<double>(_ => null!, X, X)).Message);
        var jacobian = Assert.Throws<ArgumentNullException>(() => Autograd.Jacobian<double>(_ => null!, X));
        Assert.Equal("f", jacobian.ParamName);
        Assert.StartsWith("Autograd.Jacobian: f returned null.", jacobian.Message);
    }

    [Fact]
    public void Grad_refuses_a_null_input_by_position()
    {
        var w = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
        var error = Assert.Throws<ArgumentException>(() => Autograd.Grad(w.Sum(), [w, null!]));
        Assert.Equal("inputs", error.ParamName);
        Assert.StartsWith("Autograd.Grad: input 1 is null.", error.Message);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void Grad_of_an_input_given_twice_or_not_used_is_its_gradient_twice_and_zeros()
    {
        var w = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
        var unused = Tensor.From(new double[,] { { 5 }, { 6 }, { 7 } }, requiresGrad: true);
        var grads = Autograd.Grad(w.Square().Sum(), [unused, w, w, unused]);
        Assert.Equal([new double[3], new[] { 2.0, 4 }, new[] { 2.0, 4 }, new double[3]], grads.Select(g => g.ToFlatArray()));
        Assert.Equal(new Shape(3, 1), grads[0].Shape);
    }

    [Theory]
    [InlineData(double.NaN, 1e-5, 1e-3)]
    [InlineData(double.PositiveInfinity, 1e-5, 1e-3)]
    [InlineData(1e-6, double.NaN, 1e-3)]
    [InlineData(1e-6, double.PositiveInfinity, 1e-3)]
    [InlineData(1e-6, 1e-5, double.NaN)]
    [InlineData(1e-6, 1e-5, double.PositiveInfinity)]
    public void GradCheck_refuses_a_step_or_tolerance_that_is_not_finite_and_leaves_the_input_as_it_was(double eps, double atol, double rtol)
    {
        var x = Tensor.From(new double[,] { { 0.5, -2 } }, requiresGrad: true);
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Run(v => v[0].Square(), [x], eps, atol, rtol));
        string name = !double.IsFinite(eps) ? "eps" : !double.IsFinite(atol) ? "atol" : "rtol";
        Assert.Equal(name, error.ParamName);
        Assert.Equal($"GradCheck: need eps > 0, atol ≥ 0 and rtol ≥ 0, all finite; got eps {eps}, atol {atol}, rtol {rtol}. (Parameter '{name}')", error.Message);
        Assert.Equal([0.5, -2.0], x.ToFlatArray());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void GradCheck_refuses_an_input_list_containing_null()
    {
        var x = Tensor.From(new double[,] { { 0.5 } }, requiresGrad: true);
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Run(v => v[0].Square(), [x, null!]));
        Assert.Equal("inputs", error.ParamName);
        Assert.StartsWith("GradCheck: the input list contains null.", error.Message);
    }

    [Fact]
    public void GradCheck_in_float_carries_a_hint_and_in_double_none()
    {
        var xf = Tensor.From(new float[,] { { 0.5f } }, requiresGrad: true);
        var xd = Tensor.From(new double[,] { { 0.5 } }, requiresGrad: true);
        Assert.Equal("float keeps about 7 significant digits; for a tight check run it in double", GradCheck.Run(v => v[0].Square(), [xf]).Hint);
        Assert.Null(GradCheck.Run(v => v[0].Square(), [xd]).Hint);
    }

    [Fact]
    public void A_non_scalar_function_is_refused_naming_f_and_a_hessian_too_large_for_an_array_naming_the_input()
    {
        Assert.Equal("f", Assert.Throws<ArgumentException>(() => Autograd.Hessian(v => v.Square(), X)).ParamName);
        Assert.Equal("f", Assert.Throws<ArgumentException>(() => Autograd.HessianVectorProduct(v => v.Square(), X, X)).ParamName);
        var large = Tensor.Zeros<double>(46341, 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Autograd.Hessian(v => v.Sum(), large));
        Assert.StartsWith("Autograd.Hessian: a 46341×46341 result of a 46341×1 input would have 2147488281 elements", error.Message);
    }

    [Fact]
    public void Refusals_of_the_pass_behind_Grad_name_Autograd_Grad_not_Backward()
    {
        var w = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
        var c = Tensor.From(new double[,] { { 3, 4 } });
        var notScalar = Assert.Throws<InvalidOperationException>(() => Autograd.Grad(w.Exp(), [w]));
        Assert.StartsWith("Autograd.Grad: a 1×2 tensor is not a scalar; pass a seed of shape 1×2", notScalar.Message);
        var seed = Assert.Throws<ArgumentException>(() => Autograd.Grad(w.Exp(), [w], seed: Tensor.Ones<double>(2, 1)));
        Assert.StartsWith("Autograd.Grad: the seed is 2×1 but a 1×2 tensor is 1×2; they must match.", seed.Message);
        Assert.Equal("seed", seed.ParamName);
        var constant = Tensor.From(new double[,] { { 5 } });
        var nothing = Assert.Throws<InvalidOperationException>(() => Autograd.Grad(constant.Exp(), [w]));
        Assert.StartsWith("Autograd.Grad: nothing in the graph of a 1×1 tensor requires a gradient.", nothing.Message);
        var product = (w * c).Sum();
        c.Fill(0);
        var version = Assert.Throws<InvalidOperationException>(() => Autograd.Grad(product, [w]));
        Assert.StartsWith("Autograd.Grad: input 1 of Hadamard, a 1×2 tensor, was modified in place", version.Message);
        Assert.Null(w.Grad);
        // the plain method keeps its own name
        Assert.StartsWith("Backward: input 1 of Hadamard", Assert.Throws<InvalidOperationException>(() => product.Backward()).Message);
        Assert.StartsWith("Backward: a 1×2 tensor is not a scalar", Assert.Throws<InvalidOperationException>(() => w.Exp().Backward()).Message);
    }

    [Fact]
    public void Symbolic_Gradient_names_itself_when_its_pass_is_refused()
    {
        var w = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true, name: "w");
        var c = Tensor.From(new double[,] { { 3, 4 } }, name: "c");
        var loss = (w * c).Sum();
        c.Fill(0);
        Assert.StartsWith("Symbolic.Gradient: input 1 of Hadamard", Assert.Throws<InvalidOperationException>(() => Symbolic.Gradient(loss, w)).Message);
        Assert.StartsWith("Symbolic.Gradient: a 1×2 tensor is not a scalar", Assert.Throws<InvalidOperationException>(() => Symbolic.Gradient(w.Exp(), w)).Message);
    }
}
