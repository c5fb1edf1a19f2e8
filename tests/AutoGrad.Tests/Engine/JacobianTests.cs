using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Autograd.Jacobian: against central differences of the function itself (no backward pass involved), against the
/// closed form of a linear map entry by entry, and its contract (zero rows for an output that does not depend on x,
/// x and its Grad untouched).
/// </summary>
public class JacobianTests
{
    public sealed record Case(Matrix X, Matrix A, Matrix B, int Family)
    {
        public override string ToString() => $"family {Family}\n x = {X}\n A = {A}\n B = {B}";

        public IEnumerable<Case> Shrink() =>
            X.ShrinkValues().Select(x => this with { X = x }).Concat(A.ShrinkValues().Select(a => this with { A = a }));
    }

    /// <summary>Functions of x (r×c) with outputs of other shapes: through MatMul, Tanh, Sigmoid, Hadamard, Add, Sum.</summary>
    private static Tensor<double> F(Case c, Tensor<double> x) => c.Family switch
    {
        0 => c.A.ToTensor(false).MatMul(x).Tanh().MatMul(c.B.ToTensor(false)),             // (p×r)(r×c)(c×q) → p×q
        1 => (x.Hadamard(x) + x.Sigmoid()).MatMul(c.B.ToTensor(false)),                     // r×q
        _ => c.A.ToTensor(false).MatMul(x.Sigmoid()).Sum(),                                  // 1×1
    };

    private static readonly Arbitrary<Case> Cases = Arb.From(
        from r in Gens.Dim
        from cols in Gens.Dim
        from p in Gens.Dim
        from q in Gens.Dim
        from family in Gen.Choose(0, 2)
        from x in Gens.MatrixOf(r, cols, Gens.Value)
        from a in Gens.MatrixOf(p, r, Gens.Value)
        from b in Gens.MatrixOf(cols, q, Gens.Value)
        select new Case(x, a, b, family),
        c => c.Shrink());

    [Fact]
    public void Equals_central_differences_of_the_function_entry_by_entry() =>
        Properties.Check(Cases, c =>
        {
            var x = c.X.ToTensor(false);
            var jacobian = Autograd.Jacobian(t => F(c, t), x);
            int n = x.Length;
            double[] values = c.X.Values;
            const double eps = 1e-6;
            for (int j = 0; j < n; j++)
            {
                var plus = (double[])values.Clone();
                var minus = (double[])values.Clone();
                plus[j] += eps;
                minus[j] -= eps;
                var up = F(c, Tensor.FromRowMajor<double>(c.X.Rows, c.X.Cols, plus)).ToFlatArray();
                var down = F(c, Tensor.FromRowMajor<double>(c.X.Rows, c.X.Cols, minus)).ToFlatArray();
                Assert.Equal(up.Length, jacobian.Rows);
                Assert.Equal(n, jacobian.Cols);
                for (int i = 0; i < up.Length; i++)
                {
                    double fd = (up[i] - down[i]) / (2 * eps);
                    Assert.True(Math.Abs(jacobian[i, j] - fd) <= 1e-6 + 1e-6 * Math.Abs(fd), $"J[{i},{j}] = {jacobian[i, j]}, central difference {fd}");
                }
            }
        });

    [Fact]
    public void Of_a_linear_map_W_times_X_is_W_on_each_column_block() =>
        Properties.Check(Arb.From(
            from m in Gens.Dim from n in Gens.Dim from k in Gens.Dim
            from w in Gens.MatrixOf(m, n, Gens.Value) from x in Gens.MatrixOf(n, k, Gens.Value)
            select (w, x)), p =>
        {
            var (w, x) = p;
            var jacobian = Autograd.Jacobian(t => w.ToTensor(false).MatMul(t), x.ToTensor(false));
            // ∂(WX)_ic / ∂X_jd = W_ij δ_cd, rows (i, c) and columns (j, d) flattened row-major
            for (int i = 0; i < w.Rows; i++)
                for (int c = 0; c < x.Cols; c++)
                    for (int j = 0; j < x.Rows; j++)
                        for (int d = 0; d < x.Cols; d++)
                        {
                            Assert.Equal(c == d ? w[i, j] : 0.0, jacobian[i * x.Cols + c, j * x.Cols + d]);
                        }
        });

    [Fact]
    public void An_output_that_does_not_depend_on_x_gives_zeros_and_x_is_left_untouched()
    {
        var x = Tensor.FromRowMajor<double>(2, 1, [0.5, -1.0], requiresGrad: true);
        var constant = Tensor.FromRowMajor<double>(3, 1, [1.0, 2.0, 3.0]);
        var zeros = Autograd.Jacobian(_ => constant, x);
        Assert.Equal(new Shape(3, 2), zeros.Shape);
        Assert.All(zeros.ToFlatArray(), v => Assert.Equal(0.0, v));

        var jacobian = Autograd.Jacobian(t => t.Hadamard(t), x);
        Assert.Equal([1.0, 0.0, 0.0, -2.0], jacobian.ToFlatArray()); // diag(2x)
        Assert.Null(x.Grad);
        Assert.Equal([0.5, -1.0], x.ToFlatArray());
    }

    [Fact]
    public void Null_arguments_are_refused_by_name()
    {
        var x = Tensor.Scalar(1.0);
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => Autograd.Jacobian<double>(null!, x)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Autograd.Jacobian(t => t, (Tensor<double>)null!)).ParamName);
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => Autograd.Jacobian(_ => null!, x)).ParamName);
    }
}
