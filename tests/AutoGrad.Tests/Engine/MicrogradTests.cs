using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// micrograd's two scalar sanity checks, with the values PyTorch gives for them (micrograd's test_engine.py
/// compares against torch; the constants below are those results, recomputed with PyTorch 1.13 here).
/// </summary>
public class MicrogradTests
{
    private static Tensor<double> S(double v) => Tensor.Scalar(v, requiresGrad: true);

    [Fact]
    public void Sanity_check_expression_matches_pytorch()
    {
        var x = S(-4.0);
        var z = 2.0 * x + 2.0 + x;
        var q = z.Relu() + z * x;
        var h = (z * z).Relu();
        var y = h + q + q * x;
        y.Backward();
        Assert.Equal(-20.0, y.Item);
        Assert.Equal(46.0, x.Grad!.Item);
    }

    [Fact]
    public void More_ops_expression_matches_pytorch()
    {
        var a = S(-4.0);
        var b = S(2.0);
        var c = a + b;
        var d = a * b + b.Pow(3);
        c = c + (c + 1.0);
        c = c + (1.0 + c + (-a));
        d = d + (d * 2.0 + (b + a).Relu());
        d = d + (3.0 * d + (b - a).Relu());
        var e = c - d;
        var f = e.Pow(2);
        var g = f / 2.0;
        g = g + 10.0 / f;
        g.Backward();
        Assert.Equal(24.70408163265306, g.Item, 12);
        Assert.Equal(138.83381924198252, a.Grad!.Item, 10);
        Assert.Equal(645.5772594752186, b.Grad!.Item, 10);
    }
}
