using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static AutoGrad.Tests.Support.ActivationOrders;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Tanh′, tanh's recorded gradient (g₁ ⊙ … ⊙ gₖ) ⊙ tanh⁽ᵏ⁾(x) as one operation whatever the order (issue 13, adversarial
/// review (A)): with seeds at or near overflow the second and third orders are ±∞ where the true value overflows and the
/// true value where it is in range — never NaN from two infinite terms of the product rule added, as the composition
/// (1 − y)(1 + y) gave.
/// </summary>
public class TanhGradientTests
{
    // x, y = AutoGrad's tanh(x), seeds s₁ s₂ s₃, PyTorch 1.13's three orders, the expected three orders (see ActivationOrders)
    private static readonly Row<double>[] DoubleRows =
    [
        new(-0.0013, -0.0012999992676671617, 1.7976931348623157e+308, 1.5, 2.0, 1.7976900967643408e+308, 7.010987427858456e+305, double.NegativeInfinity, 1.797690096764341e+308, 7.010987427858456e+305, double.NegativeInfinity),
        new(-0.0013, -0.0012999992676671617, -1.7976931348623157e+308, 3.54, -0.5, -1.7976900967643408e+308, -1.6545930329745953e+306, double.NegativeInfinity, -1.797690096764341e+308, -1.6545930329745956e+306, double.NegativeInfinity),
        new(-0.0013, -0.0012999992676671617, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity),
        new(-0.0013, -0.0012999992676671617, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.NegativeInfinity, double.NaN, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity),
        new(-0.0013, -0.0012999992676671617, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -1.7976900967643408e+308, double.PositiveInfinity, double.NaN, -1.797690096764341e+308, double.PositiveInfinity, double.NegativeInfinity),
        new(-0.0013, -0.0012999992676671617, 4.4942328371557893e+307, 8.0, 8.0, 4.494225241910852e+307, 9.347983237144608e+305, double.NegativeInfinity, 4.4942252419108524e+307, 9.347983237144608e+305, double.NegativeInfinity),
        new(0.3, 0.2913126124515909, 1.7976931348623157e+308, 1.5, 2.0, 1.6451354337344883e+308, -1.4377461031136248e+308, double.NaN, 1.6451354337344883e+308, -1.4377461031136248e+308, double.NegativeInfinity),
        new(0.3, 0.2913126124515909, -1.7976931348623157e+308, 3.54, -0.5, -1.6451354337344883e+308, double.PositiveInfinity, double.NaN, -1.6451354337344883e+308, double.PositiveInfinity, double.NegativeInfinity),
        new(0.3, 0.2913126124515909, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity),
        new(0.3, 0.2913126124515909, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.PositiveInfinity, double.NaN, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity),
        new(0.3, 0.2913126124515909, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -1.6451354337344883e+308, double.NegativeInfinity, double.NaN, -1.6451354337344883e+308, double.NegativeInfinity, double.NegativeInfinity),
        new(0.3, 0.2913126124515909, 4.4942328371557893e+307, 8.0, 8.0, 4.112838584336221e+307, double.NegativeInfinity, double.NaN, 4.112838584336221e+307, double.NegativeInfinity, double.NegativeInfinity),
        new(-0.0431, -0.043073332151542854, 1.7976931348623157e+308, 1.5, 2.0, 1.794357853320009e+308, 2.3186691544434646e+307, double.NegativeInfinity, 1.794357853320009e+308, 2.3186691544434646e+307, double.NegativeInfinity),
        new(-0.0431, -0.043073332151542854, -1.7976931348623157e+308, 3.54, -0.5, -1.794357853320009e+308, -5.472059204486576e+307, double.NegativeInfinity, -1.794357853320009e+308, -5.472059204486576e+307, double.NegativeInfinity),
        new(-0.0431, -0.043073332151542854, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity),
        new(-0.0431, -0.043073332151542854, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.NegativeInfinity, double.NaN, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity),
        new(-0.0431, -0.043073332151542854, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -1.794357853320009e+308, double.PositiveInfinity, double.NaN, -1.794357853320009e+308, double.PositiveInfinity, double.NegativeInfinity),
        new(-0.0431, -0.043073332151542854, 4.4942328371557893e+307, 8.0, 8.0, 4.4858946333000223e+307, 3.0915588725912863e+307, double.NegativeInfinity, 4.4858946333000223e+307, 3.0915588725912863e+307, double.NegativeInfinity),
        new(0.0, 0.0, 1.7976931348623157e+308, 1.5, 2.0, 1.7976931348623157e+308, -0.0, double.NegativeInfinity, 1.7976931348623157e+308, 0.0, double.NegativeInfinity),
        new(0.0, 0.0, -1.7976931348623157e+308, 3.54, -0.5, -1.7976931348623157e+308, 0.0, double.NegativeInfinity, -1.7976931348623157e+308, -0.0, double.NegativeInfinity),
        new(0.0, 0.0, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.NaN, double.NaN, double.PositiveInfinity, double.NaN, double.NegativeInfinity),
        new(0.0, 0.0, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.NaN, double.NaN, double.NegativeInfinity, double.NaN, double.NegativeInfinity),
        new(0.0, 0.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -1.7976931348623157e+308, -0.0, double.NegativeInfinity, -1.7976931348623157e+308, 0.0, double.NegativeInfinity),
        new(0.0, 0.0, 4.4942328371557893e+307, 8.0, 8.0, 4.4942328371557893e+307, -0.0, double.NegativeInfinity, 4.4942328371557893e+307, 0.0, double.NegativeInfinity),
        new(710, 1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(710, 1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(710, 1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(710, 1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(710, 1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(710, 1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(-710, -1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, 0.0, 0.0),
        new(-710, -1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(-710, -1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(-710, -1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(-710, -1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(-710, -1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, 0.0, 0.0),
        new(745, 1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(745, 1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(745, 1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(745, 1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(745, 1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(745, 1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(-745, -1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, 0.0, 0.0),
        new(-745, -1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(-745, -1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(-745, -1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(-745, -1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(-745, -1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, 0.0, 0.0),
        new(89, 1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(89, 1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(89, 1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(89, 1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(89, 1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(89, 1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(-89, -1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, 0.0, 0.0),
        new(-89, -1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(-89, -1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(-89, -1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(-89, -1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(-89, -1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, 0.0, 0.0),
        new(104, 1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(104, 1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(104, 1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(104, 1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(104, 1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(104, 1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(-104, -1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, 0.0, 0.0),
        new(-104, -1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(-104, -1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(-104, -1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(-104, -1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(-104, -1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, 0.0, 0.0),
        new(-3.5, -0.9981778976111987, 1.7976931348623157e+308, 1.5, 2.0, 6.545193466845224e+305, double.PositiveInfinity, double.PositiveInfinity, 6.545193466845224e+305, 1.9599802362582355e+306, 7.811337629419342e+306),
        new(-3.5, -0.9981778976111987, -1.7976931348623157e+308, 3.54, -0.5, -6.545193466845224e+305, double.NegativeInfinity, double.PositiveInfinity, -6.545193466845224e+305, -4.6255533575694364e+306, 4.6086892013574117e+306),
        new(-3.5, -0.9981778976111987, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity),
        new(-3.5, -0.9981778976111987, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.NegativeInfinity, double.NaN, double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity),
        new(-3.5, -0.9981778976111987, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -6.545193466845224e+305, double.PositiveInfinity, double.NaN, -6.545193466845224e+305, double.PositiveInfinity, double.PositiveInfinity),
        new(-3.5, -0.9981778976111987, 4.4942328371557893e+307, 8.0, 8.0, 1.636298366711306e+305, double.PositiveInfinity, double.PositiveInfinity, 1.636298366711306e+305, 2.6133069816776475e+306, 4.166046735690316e+307),
    ];

    private static readonly Row<float>[] FloatRows =
    [
        new(-0.0013f, -0.0012999993f, 3.4028235e+38f, 1.5f, 2.0f, 3.4028178e+38f, 1.3270982e+36f, float.NegativeInfinity, 3.4028178e+38f, 1.3270982e+36f, float.NegativeInfinity),
        new(-0.0013f, -0.0012999993f, -3.4028235e+38f, 3.54f, -0.5f, -3.4028178e+38f, -3.1319517e+36f, float.NegativeInfinity, -3.4028178e+38f, -3.1319517e+36f, float.NegativeInfinity),
        new(-0.0013f, -0.0012999993f, float.PositiveInfinity, 1.0f, 1.0f, float.PositiveInfinity, float.PositiveInfinity, float.NaN, float.PositiveInfinity, float.PositiveInfinity, float.NegativeInfinity),
        new(-0.0013f, -0.0012999993f, float.NegativeInfinity, 2.0f, -1.0f, float.NegativeInfinity, float.NegativeInfinity, float.NaN, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity),
        new(-0.0013f, -0.0012999993f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -3.4028178e+38f, float.PositiveInfinity, float.NaN, -3.4028178e+38f, float.PositiveInfinity, float.NegativeInfinity),
        new(-0.0013f, -0.0012999993f, 8.5070587e+37f, 8.0f, 8.0f, 8.5070445e+37f, 1.7694642e+36f, float.NegativeInfinity, 8.5070445e+37f, 1.7694642e+36f, float.NegativeInfinity),
        new(0.3f, 0.29131263f, 3.4028235e+38f, 1.5f, 2.0f, 3.1140494e+38f, -2.7214858e+38f, float.NaN, 3.1140496e+38f, -2.7214858e+38f, float.NegativeInfinity),
        new(0.3f, 0.29131263f, -3.4028235e+38f, 3.54f, -0.5f, -3.1140494e+38f, float.PositiveInfinity, float.NaN, -3.1140496e+38f, float.PositiveInfinity, float.NegativeInfinity),
        new(0.3f, 0.29131263f, float.PositiveInfinity, 1.0f, 1.0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.NegativeInfinity),
        new(0.3f, 0.29131263f, float.NegativeInfinity, 2.0f, -1.0f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, float.NegativeInfinity, float.PositiveInfinity, float.NegativeInfinity),
        new(0.3f, 0.29131263f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -3.1140494e+38f, float.NegativeInfinity, float.NaN, -3.1140496e+38f, float.NegativeInfinity, float.NegativeInfinity),
        new(0.3f, 0.29131263f, 8.5070587e+37f, 8.0f, 8.0f, 7.7851235e+37f, float.NegativeInfinity, float.NaN, 7.785124e+37f, float.NegativeInfinity, float.NegativeInfinity),
        new(-0.0431f, -0.04307333f, 3.4028235e+38f, 1.5f, 2.0f, 3.3965102e+38f, 4.38897e+37f, float.NegativeInfinity, 3.39651e+38f, 4.38897e+37f, float.NegativeInfinity),
        new(-0.0431f, -0.04307333f, -3.4028235e+38f, 3.54f, -0.5f, -3.3965102e+38f, -1.0357969e+38f, float.NegativeInfinity, -3.39651e+38f, -1.0357969e+38f, float.NegativeInfinity),
        new(-0.0431f, -0.04307333f, float.PositiveInfinity, 1.0f, 1.0f, float.PositiveInfinity, float.PositiveInfinity, float.NaN, float.PositiveInfinity, float.PositiveInfinity, float.NegativeInfinity),
        new(-0.0431f, -0.04307333f, float.NegativeInfinity, 2.0f, -1.0f, float.NegativeInfinity, float.NegativeInfinity, float.NaN, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity),
        new(-0.0431f, -0.04307333f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -3.3965102e+38f, float.PositiveInfinity, float.NaN, -3.39651e+38f, float.PositiveInfinity, float.NegativeInfinity),
        new(-0.0431f, -0.04307333f, 8.5070587e+37f, 8.0f, 8.0f, 8.4912754e+37f, 5.85196e+37f, float.NegativeInfinity, 8.491275e+37f, 5.85196e+37f, float.NegativeInfinity),
        new(0f, 0f, 3.4028235e+38f, 1.5f, 2.0f, 3.4028235e+38f, -0f, float.NegativeInfinity, 3.4028235e+38f, 0f, float.NegativeInfinity),
        new(0f, 0f, -3.4028235e+38f, 3.54f, -0.5f, -3.4028235e+38f, 0f, float.NegativeInfinity, -3.4028235e+38f, -0f, float.NegativeInfinity),
        new(0f, 0f, float.PositiveInfinity, 1.0f, 1.0f, float.PositiveInfinity, float.NaN, float.NaN, float.PositiveInfinity, float.NaN, float.NegativeInfinity),
        new(0f, 0f, float.NegativeInfinity, 2.0f, -1.0f, float.NegativeInfinity, float.NaN, float.NaN, float.NegativeInfinity, float.NaN, float.NegativeInfinity),
        new(0f, 0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -3.4028235e+38f, -0f, float.NegativeInfinity, -3.4028235e+38f, 0f, float.NegativeInfinity),
        new(0f, 0f, 8.5070587e+37f, 8.0f, 8.0f, 8.5070587e+37f, -0f, float.NegativeInfinity, 8.5070587e+37f, 0f, float.NegativeInfinity),
        new(7.1e+02f, 1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(7.1e+02f, 1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(7.1e+02f, 1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(7.1e+02f, 1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(7.1e+02f, 1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(7.1e+02f, 1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(-7.1e+02f, -1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(-7.1e+02f, -1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(-7.1e+02f, -1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-7.1e+02f, -1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-7.1e+02f, -1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(-7.1e+02f, -1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(745.0f, 1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(745.0f, 1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(745.0f, 1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(745.0f, 1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(745.0f, 1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(745.0f, 1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(-745.0f, -1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(-745.0f, -1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(-745.0f, -1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-745.0f, -1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-745.0f, -1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(-745.0f, -1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(89.0f, 1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(89.0f, 1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(89.0f, 1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(89.0f, 1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(89.0f, 1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(89.0f, 1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(-89.0f, -1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(-89.0f, -1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(-89.0f, -1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-89.0f, -1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-89.0f, -1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(-89.0f, -1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(104.0f, 1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(104.0f, 1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(104.0f, 1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(104.0f, 1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(104.0f, 1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(104.0f, 1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(-104.0f, -1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(-104.0f, -1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(-104.0f, -1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-104.0f, -1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-104.0f, -1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(-104.0f, -1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(-3.5f, -0.9981779f, 3.4028235e+38f, 1.5f, 2.0f, 1.23893665e+36f, float.PositiveInfinity, float.PositiveInfinity, 1.23893665e+36f, 3.7100374e+36f, 1.4786045e+37f),
        new(-3.5f, -0.9981779f, -3.4028235e+38f, 3.54f, -0.5f, -1.23893665e+36f, float.NegativeInfinity, float.PositiveInfinity, -1.23893665e+36f, -8.7556887e+36f, 8.723767e+36f),
        new(-3.5f, -0.9981779f, float.PositiveInfinity, 1.0f, 1.0f, float.PositiveInfinity, float.PositiveInfinity, float.NaN, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity),
        new(-3.5f, -0.9981779f, float.NegativeInfinity, 2.0f, -1.0f, float.NegativeInfinity, float.NegativeInfinity, float.NaN, float.NegativeInfinity, float.NegativeInfinity, float.PositiveInfinity),
        new(-3.5f, -0.9981779f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -1.23893665e+36f, float.PositiveInfinity, float.NaN, -1.23893665e+36f, float.PositiveInfinity, float.PositiveInfinity),
        new(-3.5f, -0.9981779f, 8.5070587e+37f, 8.0f, 8.0f, 3.0973416e+35f, float.PositiveInfinity, float.PositiveInfinity, 3.0973416e+35f, 4.9467168e+36f, 7.8858906e+37f),
    ];

    [Fact]
    public void Tanh_first_second_and_third_order_near_overflow_match_PyTorch_or_the_exact_value_in_double() =>
        Check<double>("Tanh", x => x.Tanh(), DoubleRows, 2e-15, 1e-15);

    [Fact]
    public void Tanh_first_second_and_third_order_near_overflow_match_PyTorch_or_the_exact_value_in_float() =>
        Check<float>("Tanh", x => x.Tanh(), FloatRows, 1.2e-7, 5e-7);

    [Fact]
    public void Tanh_compiled_first_second_and_third_order_give_the_eager_bits()
    {
        foreach (var r in DoubleRows)
        {
            var eager = Eager<double>(x => x.Tanh(), r.X, r.S1, r.S2, r.S3, recordThird: true);
            Assert.Equal(eager, Compiled<double>(x => x.Tanh(), r.X, r.S1, r.S2, r.S3));
        }
        foreach (var r in FloatRows)
        {
            var eager = Eager<float>(x => x.Tanh(), r.X, r.S1, r.S2, r.S3, recordThird: true);
            Assert.Equal(eager, Compiled<float>(x => x.Tanh(), r.X, r.S1, r.S2, r.S3));
        }
    }

    [Fact]
    public void Tanh_compiled_first_second_and_third_order_near_overflow_match_PyTorch_or_the_exact_value() =>
        Check<double>("Tanh", x => x.Tanh(), DoubleRows, 2e-15, 1e-15, Compiled);

    /// <summary>
    /// On ordinary values (x in ±15, seeds in ±3, 1 to 20 elements, so the one-pass loop's vector body and tail both
    /// run): the second order is (h·g)·tanh″ = −2y · (1 − y)(1 + y) from the forward's y, bit for bit; a recorded last pass gives the plain pass's
    /// bits at the second and third order; and the first order, recorded, is the one-pass gradient's bits.
    /// </summary>
    [Fact]
    public void Tanh_recorded_and_plain_derivatives_agree_bit_for_bit_on_ordinary_values() =>
        Properties.Check(
            Arb.From(from n in Gen.Choose(1, 20)
                     from x in Gen.ArrayOf(Gen.Choose(-15_000, 15_000).Select(k => k / 1000.0), n)
                     from g in Gen.ArrayOf(Gens.Value, n)
                     from h in Gen.ArrayOf(Gens.Value, n)
                     from s in Gen.ArrayOf(Gens.Value, n)
                     select (x, g, h, s)),
            c =>
            {
                int n = c.x.Length;
                var x = Tensor.FromRowMajor<double>(1, n, c.x, requiresGrad: true);
                Tensor<double> G = Tensor.FromRowMajor<double>(1, n, c.g), H = Tensor.FromRowMajor<double>(1, n, c.h), S = Tensor.FromRowMajor<double>(1, n, c.s);
                var y = x.Tanh();
                var recordedFirst = Autograd.Grad(y, [x], createGraph: true, G)[0];
                var plainFirst = Autograd.Grad(x.Tanh(), [x], createGraph: false, G)[0];
                Assert.Equal(plainFirst.ToFlatArray(), recordedFirst.ToFlatArray());
                var plainSecond = Autograd.Grad(recordedFirst, [x], createGraph: false, H)[0].ToFlatArray();
                var recordedSecond = Autograd.Grad(recordedFirst, [x], createGraph: true, H)[0];
                Assert.Equal(plainSecond, recordedSecond.ToFlatArray());
                for (int i = 0; i < n; i++)
                {
                    double yi = y[0, i], expected = (c.h[i] * c.g[i]) * ((-2 * yi) * ((1 - yi) * (1 + yi)));
                    Assert.True(expected.Equals(plainSecond[i]), $"element {i} of x = {c.x[i]:R}: {plainSecond[i]:R}, (h·g)·Tanh″ {expected:R}");
                }
                Assert.Equal(Autograd.Grad(recordedSecond, [x], createGraph: false, S)[0].ToFlatArray(),
                    Autograd.Grad(recordedSecond, [x], createGraph: true, S)[0].ToFlatArray());
            });

    /// <summary>NaN in x or in a seed gives NaN at every order from there on, in double and float (never a number).</summary>
    [Fact]
    public void Tanh_derivatives_of_NaN_are_NaN()
    {
        var (_, d1, d2, d3) = Eager<double>(x => x.Tanh(), double.NaN, 2, 3, 4);
        Assert.True(double.IsNaN(d1) && double.IsNaN(d2) && double.IsNaN(d3), $"{d1}, {d2}, {d3}");
        (_, d1, d2, d3) = Eager<double>(x => x.Tanh(), 0.3, 2, double.NaN, 4);
        Assert.True(!double.IsNaN(d1) && double.IsNaN(d2) && double.IsNaN(d3), $"{d1}, {d2}, {d3}");
        // 1e400 · f″(−3.5) > 0 overflows truly; the third order's seeds leave the range, and the split form keeps NaN
        (_, d1, d2, d3) = Eager<double>(x => x.Tanh(), -3.5, 1e200, 1e200, double.NaN);
        Assert.True(d2 == double.PositiveInfinity && double.IsNaN(d3), $"{d2}, {d3}");
        var (_, f1, f2, f3) = Eager<float>(x => x.Tanh(), 0.3f, float.NaN, 2f, 3f);
        Assert.True(float.IsNaN(f1) && float.IsNaN(f2) && float.IsNaN(f3), $"{f1}, {f2}, {f3}");
    }
}
