using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Issue 13's examples 6–10, one test each that failed before the fix: null arguments, sizes that overflow int,
/// accepted nonsense, state left behind, and the second-order functions' messages. Each refusal names the method the
/// caller called and changes nothing.
/// </summary>
public class RefusalRegressionTests
{
    [Fact]
    public void Null_operands_and_list_entries_are_refused_by_name()
    {
        var a = Tensor.Zeros<double>(2, 2, requiresGrad: true);
        Assert.Equal("b", Assert.Throws<ArgumentNullException>(() => a + null!).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => null! * a).ParamName);
        Assert.Equal("other", Assert.Throws<ArgumentNullException>(() => a.MatMul(null!)).ParamName);
        var y = a.Sum();
        var error = Assert.Throws<ArgumentException>(() => Autograd.Grad(y, [null!]));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("Autograd.Grad: input 0 is null", error.Message);
        var sgd = Assert.Throws<ArgumentException>(() => new Sgd<double>([null!], 0.1));
        Assert.Contains("Sgd: the parameter list contains null", sgd.Message);
    }

    [Fact]
    public void A_size_refusal_without_a_remedy_ends_with_the_limit()
    {
        var column = Tensor.Zeros<double>(65536, 1);
        var row = Tensor.Zeros<double>(1, 65536);
        var product = Assert.Throws<ArgumentOutOfRangeException>(() => column.MatMul(row));
        Assert.Null(product.ParamName);
        Assert.Equal("MatMul: a 65536×65536 result of (65536×1) · (1×65536) would have 4294967296 elements; the most a tensor can hold is 2147483591.",
            product.Message);
    }

    [Fact]
    public void Sizes_whose_product_overflows_int_are_refused_by_the_operation()
    {
        var zeros = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(65536, 65536));
        Assert.Contains("Tensor.Zeros: a 65536×65536 result would have 4294967296 elements", zeros.Message);
        var column = Tensor.Zeros<double>(65536, 1);
        var row = Tensor.Zeros<double>(1, 65536);
        var product = Assert.Throws<ArgumentOutOfRangeException>(() => column.MatMul(row));
        Assert.Contains("MatMul: a 65536×65536 result of (65536×1) · (1×65536) would have 4294967296 elements", product.Message);
        var sum = Assert.Throws<ArgumentOutOfRangeException>(() => column + row);
        Assert.Contains("Add: a 65536×65536 result of (65536×1) and (1×65536)", sum.Message);
    }

    [Fact]
    public void Results_of_Gather_Concat_Jacobian_Linspace_and_Arange_beyond_the_largest_array_are_refused_by_name()
    {
        // small operands, huge results: an index list, one part repeated, a Jacobian of a long row (none allocates)
        var row = Tensor.Zeros<double>(1, 50000);
        Assert.StartsWith("Gather: a 100000×50000 result of 100000 rows of a 1×50000 tensor would have 5000000000 elements",
            Assert.Throws<ArgumentOutOfRangeException>(() => row.Gather(new int[100000])).Message); // was an int overflow
        Assert.StartsWith("Concat(axis: 0): a 50000×50000 result of 50000 parts would have 2500000000 elements",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Concat(Enumerable.Repeat(row, 50000).ToArray(), 0)).Message);
        var column = Tensor.Zeros<double>(70000, 1);
        var parts = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Concat(Enumerable.Repeat(column, 40000).ToArray(), 0));
        Assert.StartsWith("Concat(axis: 0): a 2800000000×1 result of 40000 parts", parts.Message); // the rows overflowed int
        Assert.Equal("parts", parts.ParamName);
        Assert.StartsWith("Concat(axis: 1): a 70000×40000 result of 40000 parts",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Concat(Enumerable.Repeat(column, 40000).ToArray(), 1)).Message);
        Assert.StartsWith("Autograd.Jacobian: a 46341×46341 result of a 1×46341 output and a 1×46341 input would have 2147488281 elements",
            Assert.Throws<ArgumentOutOfRangeException>(() => Autograd.Jacobian<double>(v => v * 2.0, Tensor.Zeros<double>(1, 46341))).Message);
        var steps = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Linspace<double>(0, 1, int.MaxValue));
        Assert.StartsWith("Tensor.Linspace: 2147483647 steps would be a 2147483647×1 tensor", steps.Message);
        Assert.Equal("steps", steps.ParamName);
        Assert.StartsWith("Tensor.Arange: [0, 10000000000) in steps of 1 holds 10000000000 values; the most a tensor can hold is",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Arange<double>(0, 1e10)).Message);
    }

    [Fact]
    public void Concat_of_a_single_part_is_a_copy_as_torch_cat_not_the_part_itself()
    {
        var a = Tensor.From(new double[,] { { 1, 2 } });
        var joined = Tensor.Concat([a], 0);
        Assert.NotSame(a, joined);
        using (Tensor.NoGrad())
        {
            joined.Fill(0);
        }
        Assert.Equal([1.0, 2], a.ToFlatArray()); // a write into the result left the part alone
        var w = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
        var copy = Tensor.Concat([w], 1);
        Assert.False(copy.IsLeaf);
        (copy * copy).Sum().Backward();
        Assert.Equal([2.0, 4], w.Grad!.ToFlatArray());
    }

    [Fact]
    public void Nonsense_parameters_are_refused_with_what_was_wrong()
    {
        var random = new Random(1);
        Assert.Contains("BroadcastTo: a 1×3 tensor cannot be broadcast to 0×3",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(1, 3).BroadcastTo(new Shape(0, 3))).Message);
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal<double>(2, 2, random, std: -1)).ParamName);
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal<double>(2, 2, random, std: double.NaN)).ParamName);
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal<double>(2, 2, random, std: double.PositiveInfinity)).ParamName);
        Assert.Contains("Tensor.RandomUniform: the bounds and their difference must be finite",
            Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<double>(2, 2, random, double.NegativeInfinity, double.PositiveInfinity)).Message);
        Assert.Contains("Tensor.RandomUniform: the bounds and their difference must be finite",
            Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<double>(2, 2, random, -double.MaxValue, double.MaxValue)).Message);
        Assert.Contains("need low < high", Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<double>(2, 2, random, 1, 0)).Message);
        Assert.Contains("Sgd: the parameter list is empty", Assert.Throws<ArgumentException>(() => new Sgd<double>([], 0.1)).Message);
        var sgd = new Sgd<double>([Tensor.Zeros<double>(1, 1, requiresGrad: true)], 0.1);
        foreach (double rate in new[] { double.NaN, -1, double.PositiveInfinity })
        {
            Assert.Contains("Sgd: the learning rate must be non-negative and finite", Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = rate).Message);
            Assert.Equal(0.1, sgd.LearningRate);
        }
        var x = Tensor.Full(1, 1, 2.0, requiresGrad: true);
        Assert.Contains("GradCheck: need eps > 0, atol ≥ 0 and rtol ≥ 0, all finite",
            Assert.Throws<ArgumentException>(() => GradCheck.Run(v => v[0].Square(), [x], atol: double.NaN, rtol: double.NaN)).Message);
        Assert.Throws<ArgumentException>(() => GradCheck.Run(v => v[0].Square(), [x], eps: double.NaN));
    }

    [Fact]
    public void A_gradcheck_whose_function_throws_leaves_the_input_as_it_was()
    {
        var x = Tensor.From(new[,] { { 1.5, -2.0 } }, requiresGrad: true);
        int calls = 0;
        var error = Assert.Throws<InvalidOperationException>(() => GradCheck.Run(v =>
        {
            if (++calls == 2) // the first perturbed evaluation
            {
                throw new InvalidOperationException("the function failed");
            }
            return v[0].Square().Sum();
        }, [x]));
        Assert.Equal("the function failed", error.Message);
        Assert.Equal(new[] { 1.5, -2.0 }, x.ToFlatArray());
    }

    [Theory]
    [InlineData("NoGrad")]
    [InlineData("DetectAnomaly")]
    public void A_mode_scope_disposed_on_another_thread_is_refused_and_changes_nothing(string kind)
    {
        IDisposable scope = kind == "NoGrad" ? Tensor.NoGrad() : Tensor.DetectAnomaly();
        Exception? thrown = null;
        bool recordingThere = false;
        var thread = new Thread(() =>
        {
            thrown = Record.Exception(scope.Dispose);
            recordingThere = Tensor.Zeros<double>(1, 1, requiresGrad: true).Square().RequiresGrad;
        });
        thread.Start();
        thread.Join();
        var refused = Assert.IsType<InvalidOperationException>(thrown);
        Assert.Contains($"Tensor.{kind}(): the scope was opened on thread", refused.Message);
        Assert.True(recordingThere); // the other thread's mode was not switched
        var x = Tensor.Full(1, 1, double.NaN, requiresGrad: true);
        if (kind == "NoGrad")
        {
            Assert.False(x.Square().RequiresGrad); // still off here: the scope is still open
        }
        else
        {
            Assert.Throws<AnomalyException>(() => x.Square());
        }
        scope.Dispose(); // on its own thread: closes it
        Assert.True(x.Square().RequiresGrad);
    }

    [Fact]
    public void Second_order_of_a_function_that_ignores_x_is_zero_and_a_non_scalar_function_is_told_what_to_do()
    {
        var x = Tensor.From(new[,] { { 1.0, 2.0 } });
        Assert.Equal(new double[4], Autograd.Hessian(_ => Tensor.Full(1, 1, 3.0), x).ToFlatArray());
        Assert.Equal(new double[2], Autograd.HessianVectorProduct(_ => Tensor.Full(1, 1, 3.0), x, Tensor.Ones<double>(1, 2)).ToFlatArray());
        var hessian = Assert.Throws<ArgumentException>(() => Autograd.Hessian(v => v.Square(), x));
        Assert.Contains("Autograd.Hessian: the function must return a scalar (1×1) tensor, but it returned a 1×2 one", hessian.Message);
        Assert.Contains("x => f(x).Sum()", hessian.Message);
        Assert.DoesNotContain("seed", hessian.Message);
        var hvp = Assert.Throws<ArgumentException>(() => Autograd.HessianVectorProduct(v => v.Square(), x, x));
        Assert.Contains("Autograd.HessianVectorProduct: the function must return a scalar", hvp.Message);
        Assert.Contains("Tensor.Zeros: a tensor needs at least one row and one column; got -1×3", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(-1, 3)).Message);
        Assert.Contains("Tensor.Zeros: a tensor needs at least one row and one column; got 0×3", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(0, 3)).Message);
    }
}
