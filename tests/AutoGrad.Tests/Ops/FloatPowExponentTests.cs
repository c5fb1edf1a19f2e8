using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Issue 13's leftover: a float tensor's <c>Pow(2.7)</c> rounded the double exponent to 2.7f before use. PyTorch 1.13
/// keeps a Python float's double exponent for a float32 tensor (<c>pow_tensor_scalar</c> takes it as a double), so
/// its x ** 2.7 is (float) Math.Pow(x, 2.7). AutoGrad now does the same: forward bit for bit PyTorch's (values pasted
/// below), and the gradient g · p · x^(p−1) evaluated in double with that same p and rounded once — within 1 ulp of
/// PyTorch's, which rounds x^(p−1), then its product with (float) p, then with g.
/// </summary>
public class FloatPowExponentTests
{
    private static readonly float[] X = [3f, 10f, 1.7f, 100f, 0.37f, 50f, 1e-3f, 7.5f];

    // torch.tensor(X, dtype=torch.float32) ** p and its gradient (seed 1), PyTorch 1.13
    private static readonly (double P, float[] Forward, float[] Gradient)[] Torch =
    [
        (2.7, [19.419023513793945f, 501.1872253417969f, 4.189981460571289f, 251188.640625f, 0.06825660169124603f, 38656.1875f, 7.943283364397757e-09f, 230.4970703125f],
              [17.477121353149414f, 135.320556640625f, 6.65467643737793f, 6782.09375f, 0.4980887174606323f, 2087.43408203125f, 2.1446863684104756e-05f, 82.97894287109375f]),
        (7.3, [3040.781005859375f, 19952624.0f, 48.1146354675293f, 398107162443776.0f, 0.0007044864469207823f, 2526277271552.0f, 1.2589258268111703e-22f, 2443133.75f],
              [7399.23388671875f, 14565416.0f, 206.6099090576172f, 29061822808064.0f, 0.01389932632446289f, 368836509696.0f, 9.1901585851989e-19f, 2377983.5f]),
        (0.1, [1.1161231994628906f, 1.258925437927246f, 1.054495930671692f, 1.5848932266235352f, 0.9053576588630676f, 1.478757619857788f, 0.501187264919281f, 1.223224401473999f],
              [0.03720410540699959f, 0.01258925348520279f, 0.062029171735048294f, 0.001584893325343728f, 0.24469125270843506f, 0.002957515185698867f, 50.11872482299805f, 0.01630965806543827f]),
    ];

    private static int Ulps(float a, float b) => Math.Abs(BitConverter.SingleToInt32Bits(a) - BitConverter.SingleToInt32Bits(b));

    [Fact]
    public void A_float_power_keeps_the_double_exponent_as_pytorch()
    {
        foreach (var (p, forward, torchGradient) in Torch)
        {
            Assert.NotEqual(p, (double)(float)p); // the exponent is not a float: rounding it would show
            float[] ours = X.Select(x => (float)(p * Math.Pow(x, p - 1))).ToArray();
            Assert.All(ours.Zip(torchGradient), pair => Assert.True(Ulps(pair.First, pair.Second) <= 1, $"x^{p}: ours {pair.First}, PyTorch {pair.Second}"));

            var eager = Tensor.FromRowMajor(1, X.Length, X, requiresGrad: true);
            var y = eager.Pow(p);
            Assert.Equal(forward, y.ToFlatArray());
            y.Sum().Backward();
            Assert.Equal(ours, eager.Grad!.ToFlatArray());

            var recorded = Tensor.FromRowMajor(1, X.Length, X, requiresGrad: true);
            Assert.Equal(ours, Autograd.Grad(recorded.Pow(p).Sum(), [recorded], createGraph: true)[0].ToFlatArray());

            var compiled = Tensor.FromRowMajor(1, X.Length, X, requiresGrad: true);
            var step = Tensor.Compile((Tensor<float> s) => (compiled.Pow(p) * s).Sum());
            step.Run(Tensor.Ones<float>(1, X.Length));
            Assert.Equal(ours, compiled.Grad!.ToFlatArray());
            Assert.Equal(forward, Tensor.CompileForward<float>(t => t.Pow(p)).Run(Tensor.FromRowMajor(1, X.Length, X)).ToFlatArray());
        }
    }

    [Fact]
    public void A_float_exponent_is_used_as_the_float_it_is()
    {
        var x = Tensor.FromRowMajor(1, X.Length, X);
        Assert.Equal(X.Select(v => (float)Math.Pow(v, (double)2.7f)).ToArray(), x.Pow(2.7f).ToFlatArray());
        Assert.Equal(x.Pow((double)2.7f).ToFlatArray(), x.Pow(2.7f).ToFlatArray());
    }

    [Fact]
    public void Every_float_power_is_the_double_power_with_the_double_exponent_rounded_once()
    {
        var arbitrary = (from x in Gen.Choose(1, 1_000_000).Select(k => k * 1e-3f)
                         from p in Gen.Choose(-40_000, 40_000).Select(k => k * 1e-4 + 1e-9)
                         select (X: x, P: p)).ToArbitrary();
        Properties.Check(arbitrary, c =>
        {
            var x = Tensor.FromRowMajor(1, 1, [c.X], requiresGrad: true);
            var y = x.Pow(c.P);
            Assert.Equal((float)Math.Pow(c.X, c.P), y.Item);
            y.Backward();
            double exact = c.P * Math.Pow(c.X, c.P - 1);
            if (double.IsNormal(exact) && double.IsNormal((float)exact))
            {
                Assert.Equal((float)exact, x.Grad!.Item);
            }
        });
    }
}
