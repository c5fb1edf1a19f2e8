using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Issue 13 (msg13): a refusal names the method the caller called and the parameter that is wrong — not an inner
/// method the call went through — and says what that caller may pass. A refused call changes nothing.
/// </summary>
public class CallerNamedRefusalTests
{
    private static readonly double[,] Six = { { 1, 2, 3 }, { 4, 5, 6 } };

    [Fact]
    public void SliceRows_refusals_name_SliceRows_and_the_wrong_argument()
    {
        var x = Tensor.From(Six, requiresGrad: true);
        var pastEnd = Assert.Throws<ArgumentOutOfRangeException>(() => x.SliceRows(1, 2));
        Assert.Equal("count", pastEnd.ParamName);
        Assert.StartsWith("SliceRows: rows 1..3 (end exclusive) are not a non-empty range of a 2×3 tensor's 2 rows. " +
            "start must be 0..1 and count at least 1 with start + count at most 2.", pastEnd.Message);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => x.SliceRows(-1, 1)).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => x.SliceRows(2, 1)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => x.SliceRows(0, 0)).ParamName);
        Assert.Equal(Six, x.ToArray());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Slice_refusals_name_the_parameter_of_the_range_that_is_wrong()
    {
        var x = Tensor.From(Six, requiresGrad: true);
        var columns = Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(0, 1, 2, 2));
        Assert.Equal("colCount", columns.ParamName);
        Assert.StartsWith("Slice: rows 0..1 and columns 2..4 (end exclusive) are not a non-empty block of a 2×3 tensor. " +
            "colStart must be 0..2 and colCount at least 1 with colStart + colCount at most 3.", columns.Message);
        Assert.Equal("colStart", Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(0, 1, 3, 1)).ParamName);
        Assert.Equal("colStart", Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(0, 1, -1, 1)).ParamName);
        var rows = Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(-1, 1, 0, 1));
        Assert.Equal("rowStart", rows.ParamName);
        Assert.Contains("rowStart must be 0..1 and rowCount at least 1 with rowStart + rowCount at most 2.", rows.Message);
        Assert.Equal("rowCount", Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(1, 2, 0, 1)).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => x[1..1, ..]).ParamName);
        Assert.Equal("cols", Assert.Throws<ArgumentOutOfRangeException>(() => x[.., 2..5]).ParamName);
        Assert.Equal(Six, x.ToArray());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Jacobian_and_Hessian_size_refusals_name_x_and_the_product_that_fits()
    {
        var x = Tensor.Zeros<double>(65536, 1);
        int calls = 0;
        var hessian = Assert.Throws<ArgumentOutOfRangeException>(() => Autograd.Hessian(v => { calls++; return v.Sum(); }, x));
        Assert.Equal("x", hessian.ParamName);
        Assert.StartsWith("Autograd.Hessian: a 65536×65536 result of a 65536×1 input would have 4294967296 elements; " +
            "the most a tensor can hold is 2147483591. Autograd.HessianVectorProduct gives H·v for one v at a time without forming the matrix.",
            hessian.Message);
        Assert.Equal(0, calls);
        var jacobian = Assert.Throws<ArgumentOutOfRangeException>(() => Autograd.Jacobian(v => v * 2.0, x));
        Assert.Equal("x", jacobian.ParamName);
        Assert.StartsWith("Autograd.Jacobian: a 65536×65536 result of a 65536×1 output and a 65536×1 input would have 4294967296 elements; " +
            "the most a tensor can hold is 2147483591. Autograd.Grad with a seed gives one vector-Jacobian product",
            jacobian.Message);
        Assert.All(x.ToFlatArray(), value => Assert.Equal(0.0, value));
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Mlp_and_Sequential_forward_name_themselves_and_the_first_layer()
    {
        var mlp = new Mlp<double>([4, 8, 2], Activation.Relu, new Random(0));
        var before = mlp.Parameters.Select(p => p.ToFlatArray()).ToArray();
        var x = Tensor.Zeros<double>(3, 5);
        var wide = Assert.Throws<ArgumentException>(() => mlp.Forward(x));
        Assert.Equal("input", wide.ParamName);
        Assert.StartsWith("Mlp.Forward: the input is 3×5 but the first layer takes 4 columns (layer 0, Linear 4→8, weight 8×4); " +
            "pass N rows of 4 features.", wide.Message);
        Assert.Equal(before, mlp.Parameters.Select(p => p.ToFlatArray()).ToArray());
        Assert.All(mlp.Parameters, p => Assert.Null(p.Grad));

        var sequential = new Sequential<double>(new Linear<double>(4, 8, new Random(1)), new ActivationLayer<double>(Activation.Relu), new Linear<double>(8, 2, new Random(2)));
        var first = Assert.Throws<ArgumentException>(() => sequential.Forward(x));
        Assert.Equal("input", first.ParamName);
        Assert.StartsWith("Sequential.Forward: the input is 3×5 but the first module takes 4 columns (module 0, Linear 4→8, weight 8×4); " +
            "pass N rows of 4 features.", first.Message);
        var nested = Assert.Throws<ArgumentException>(() => new Sequential<double>(mlp).Forward(x));
        Assert.StartsWith("Sequential.Forward: the input is 3×5 but the first module takes 4 columns (module 0, Mlp starting with Linear 4→8, weight 8×4)", nested.Message);
        var broken = new Sequential<double>(new Linear<double>(4, 8, new Random(1)), new ActivationLayer<double>(Activation.Relu), new Linear<double>(5, 2, new Random(2)));
        Assert.StartsWith("Sequential.Forward: module 1 gives 3×8 but module 2 takes 5 columns (module 2, Linear 5→2, weight 2×5); the modules do not chain",
            Assert.Throws<InvalidOperationException>(() => broken.Forward(Tensor.Zeros<double>(3, 4))).Message);
    }

    [Fact]
    public void A_label_of_minus_100_without_an_ignore_index_is_refused_saying_how_to_pass_one()
    {
        var logits = Tensor.From(Six, requiresGrad: true);
        const string Hint = ". To skip rows marked with a label, as PyTorch's ignore_index (default -100) does, pass ignoreIndex: -100.";
        var labels = Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(logits, [0, -100]));
        Assert.Equal("labels", labels.ParamName);
        Assert.StartsWith("CrossEntropy: label -100 of row 1 is not a class of 2×3 logits; labels must be in 0..2" + Hint, labels.Message);
        var tensor = Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropyOfLabels(logits, Tensor.From(new double[,] { { -100 }, { 1 } })));
        Assert.Equal("labels", tensor.ParamName);
        Assert.StartsWith("CrossEntropyOfLabels: label -100 of row 0 is not a class of 2×3 logits; labels must be whole numbers in 0..2" + Hint, tensor.Message);
        Assert.DoesNotContain("ignore", Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(logits, [0, 3])).Message);
        var other = Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(logits, [0, -1], ignoreIndex: -100));
        Assert.StartsWith("CrossEntropy: label -1 of row 1 is not a class of 2×3 logits; labels must be in 0..2, or the ignoreIndex -100.", other.Message);
        Assert.Equal(Six, logits.ToArray());
        Assert.Null(logits.Grad);
        // what the hint offers: the kept row's loss, as Gather of that row gives it
        double kept = Loss.CrossEntropy(logits.Gather([0]), [0]).Item;
        Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 1, kept, 12);
        Assert.Equal(kept, Loss.CrossEntropy(logits, [0, -100], ignoreIndex: -100).Item);
    }
}
