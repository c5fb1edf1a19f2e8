using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static AutoGrad.Tests.Support.ActivationOrders;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Sigmoid′, σ's recorded gradient (g₁ ⊙ … ⊙ gₖ) ⊙ σ⁽ᵏ⁾(x) as one operation whatever the order (issue 13, adversarial
/// review (A)): with seeds at or near overflow the second and third orders are ±∞ where the true value overflows and the
/// true value where it is in range — never NaN from two infinite terms of the product rule added, as the composition
/// y ⊙ (1 − y) gave.
/// </summary>
public class SigmoidGradientTests
{
    // x, y = AutoGrad's σ(x), seeds s₁ s₂ s₃, PyTorch 1.13's three orders, the expected three orders (see ActivationOrders)
    private static readonly Row<double>[] DoubleRows =
    [
        new(-0.0013, 0.4996750000457708, 1.7976931348623157e+308, 1.5, 2.0, 4.4942309383429495e+307, double.PositiveInfinity, double.NaN, 4.4942309383429505e+307, 4.3818745477705806e+304, -6.741337862860261e+307),
        new(-0.0013, 0.4996750000457708, -1.7976931348623157e+308, 3.54, -0.5, -4.4942309383429495e+307, double.NegativeInfinity, double.NaN, -4.4942309383429505e+307, -1.034122393273857e+305, -3.977389339087554e+307),
        new(-0.0013, 0.4996750000457708, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity),
        new(-0.0013, 0.4996750000457708, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.NegativeInfinity, double.NaN, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity),
        new(-0.0013, 0.4996750000457708, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -4.4942309383429495e+307, double.PositiveInfinity, double.NaN, -4.4942309383429505e+307, double.PositiveInfinity, double.NegativeInfinity),
        new(-0.0013, 0.4996750000457708, 4.4942328371557893e+307, 8.0, 8.0, 1.1235577345857374e+307, double.PositiveInfinity, double.NaN, 1.1235577345857376e+307, 5.842499397027441e+304, double.NegativeInfinity),
        new(0.3, 0.574442516811659, 1.7976931348623157e+308, 1.5, 2.0, 4.39461028686486e+307, double.NegativeInfinity, double.NaN, 4.39461028686486e+307, -9.814375504818812e+306, -6.153551342189245e+307),
        new(0.3, 0.574442516811659, -1.7976931348623157e+308, 3.54, -0.5, -4.39461028686486e+307, double.PositiveInfinity, double.NaN, -4.39461028686486e+307, 2.3161926191372397e+307, -3.6305952918916545e+307),
        new(0.3, 0.574442516811659, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity),
        new(0.3, 0.574442516811659, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.PositiveInfinity, double.NaN, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity),
        new(0.3, 0.574442516811659, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -4.39461028686486e+307, double.NegativeInfinity, double.NaN, -4.39461028686486e+307, double.NegativeInfinity, double.NegativeInfinity),
        new(0.3, 0.574442516811659, 4.4942328371557893e+307, 8.0, 8.0, 1.098652571716215e+307, double.NegativeInfinity, double.NaN, 1.098652571716215e+307, -1.3085834006425083e+307, double.NegativeInfinity),
        new(-0.0431, 0.48922666766919193, 1.7976931348623157e+308, 1.5, 2.0, 4.4921463502004677e+307, double.PositiveInfinity, double.NaN, 4.4921463502004687e+307, 1.4518615652800856e+306, -6.728834693016049e+307),
        new(-0.0431, 0.48922666766919193, -1.7976931348623157e+308, 3.54, -0.5, -4.4921463502004677e+307, double.NegativeInfinity, double.NaN, -4.4921463502004687e+307, -3.426393294061002e+306, -3.970012468879469e+307),
        new(-0.0431, 0.48922666766919193, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity),
        new(-0.0431, 0.48922666766919193, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.NegativeInfinity, double.NaN, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity),
        new(-0.0431, 0.48922666766919193, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -4.4921463502004677e+307, double.PositiveInfinity, double.NaN, -4.4921463502004687e+307, double.PositiveInfinity, double.NegativeInfinity),
        new(-0.0431, 0.48922666766919193, 4.4942328371557893e+307, 8.0, 8.0, 1.1230365875501169e+307, double.PositiveInfinity, double.NaN, 1.1230365875501172e+307, 1.9358154203734472e+306, double.NegativeInfinity),
        new(0.0, 0.5, 1.7976931348623157e+308, 1.5, 2.0, 4.4942328371557893e+307, double.NaN, double.NaN, 4.4942328371557893e+307, 0.0, -6.741349255733684e+307),
        new(0.0, 0.5, -1.7976931348623157e+308, 3.54, -0.5, -4.4942328371557893e+307, double.NaN, double.NaN, -4.4942328371557893e+307, -0.0, -3.9773960608828735e+307),
        new(0.0, 0.5, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.NaN, double.NaN, double.PositiveInfinity, double.NaN, double.NegativeInfinity),
        new(0.0, 0.5, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.NaN, double.NaN, double.NegativeInfinity, double.NaN, double.NegativeInfinity),
        new(0.0, 0.5, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -4.4942328371557893e+307, double.NaN, double.NaN, -4.4942328371557893e+307, 0.0, double.NegativeInfinity),
        new(0.0, 0.5, 4.4942328371557893e+307, 8.0, 8.0, 1.1235582092889473e+307, double.NaN, double.NaN, 1.1235582092889473e+307, 0.0, double.NegativeInfinity),
        new(710, 1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(710, 1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(710, 1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(710, 1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(710, 1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(710, 1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(-710, 4.47628622567513e-309, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.8046989017574927, 1.2070483526362392, 2.4140967052724784),
        new(-710, 4.47628622567513e-309, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.8046989017574927, -2.848634112221524, 1.424317056110762),
        new(-710, 4.47628622567513e-309, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity),
        new(-710, 4.47628622567513e-309, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity),
        new(-710, 4.47628622567513e-309, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.8046989017574927, 1.4466016913206898e+308, 3.6165042283017246e+307),
        new(-710, 4.47628622567513e-309, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.20117472543937318, 1.6093978035149854, 12.875182428119883),
        new(745, 1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(745, 1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(745, 1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(745, 1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(745, 1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(745, 1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(-745, 5e-324, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 5.073720532343043e-16, 7.610580798514564e-16, 1.5221161597029129e-15),
        new(-745, 5e-324, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -5.073720532343043e-16, -1.7960970684494374e-15, 8.980485342247187e-16),
        new(-745, 5e-324, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity),
        new(-745, 5e-324, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity),
        new(-745, 5e-324, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -5.073720532343043e-16, 9.120992569203063e+292, 2.280248142300766e+292),
        new(-745, 5e-324, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 1.2684301330857607e-16, 1.0147441064686086e-15, 8.117952851748869e-15),
        new(89, 1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(89, 1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(89, 1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(89, 1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(89, 1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(89, 1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(-89, 2.2273635617957438e-39, 1.7976931348623157e+308, 1.5, 2.0, 4.004116183882683e+269, double.PositiveInfinity, double.NaN, 4.004116183882684e+269, 6.006174275824026e+269, 1.2012348551648052e+270),
        new(-89, 2.2273635617957438e-39, -1.7976931348623157e+308, 3.54, -0.5, -4.004116183882683e+269, double.NegativeInfinity, double.NaN, -4.004116183882684e+269, -1.41745712909447e+270, 7.08728564547235e+269),
        new(-89, 2.2273635617957438e-39, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity),
        new(-89, 2.2273635617957438e-39, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.NegativeInfinity, double.NaN, double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity),
        new(-89, 2.2273635617957438e-39, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -4.004116183882683e+269, double.PositiveInfinity, double.NaN, -4.004116183882684e+269, double.PositiveInfinity, double.PositiveInfinity),
        new(-89, 2.2273635617957438e-39, 4.4942328371557893e+307, 8.0, 8.0, 1.0010290459706708e+269, double.PositiveInfinity, double.NaN, 1.001029045970671e+269, 8.008232367765367e+269, 6.406585894212294e+270),
        new(104, 1.0, 1.7976931348623157e+308, 1.5, 2.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(104, 1.0, -1.7976931348623157e+308, 3.54, -0.5, -0.0, double.NaN, double.NaN, -0.0, 0.0, 0.0),
        new(104, 1.0, double.PositiveInfinity, 1.0, 1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(104, 1.0, double.NegativeInfinity, 2.0, -1.0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new(104, 1.0, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -0.0, double.NaN, double.NaN, -0.0, -0.0, 0.0),
        new(104, 1.0, 4.4942328371557893e+307, 8.0, 8.0, 0.0, double.NaN, double.NaN, 0.0, -0.0, 0.0),
        new(-104, 6.813556821545298e-46, 1.7976931348623157e+308, 1.5, 2.0, 1.2248684322086283e+263, double.PositiveInfinity, double.NaN, 1.2248684322086283e+263, 1.8373026483129426e+263, 3.674605296625885e+263),
        new(-104, 6.813556821545298e-46, -1.7976931348623157e+308, 3.54, -0.5, -1.2248684322086283e+263, double.NegativeInfinity, double.NaN, -1.2248684322086283e+263, -4.3360342500185444e+263, 2.1680171250092722e+263),
        new(-104, 6.813556821545298e-46, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity),
        new(-104, 6.813556821545298e-46, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.NegativeInfinity, double.NaN, double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity),
        new(-104, 6.813556821545298e-46, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -1.2248684322086283e+263, double.PositiveInfinity, double.NaN, -1.2248684322086283e+263, double.PositiveInfinity, double.PositiveInfinity),
        new(-104, 6.813556821545298e-46, 4.4942328371557893e+307, 8.0, 8.0, 3.0621710805215708e+262, double.PositiveInfinity, double.NaN, 3.0621710805215708e+262, 2.4497368644172566e+263, 1.9597894915338053e+264),
        new(-3.5, 0.029312230751356316, 1.7976931348623157e+308, 1.5, 2.0, 5.1149805694674146e+306, double.PositiveInfinity, double.NaN, 5.114980569467414e+306, 7.222676381978323e+306, 1.2725281751228327e+307),
        new(-3.5, 0.029312230751356316, -1.7976931348623157e+308, 3.54, -0.5, -5.1149805694674146e+306, double.NegativeInfinity, double.NaN, -5.114980569467414e+306, -1.7045516261468842e+307, 7.507916233224713e+306),
        new(-3.5, 0.029312230751356316, double.PositiveInfinity, 1.0, 1.0, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity),
        new(-3.5, 0.029312230751356316, double.NegativeInfinity, 2.0, -1.0, double.NegativeInfinity, double.NegativeInfinity, double.NaN, double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity),
        new(-3.5, 0.029312230751356316, -1.7976931348623157e+308, -1.7976931348623157e+308, 0.25, -5.1149805694674146e+306, double.PositiveInfinity, double.NaN, -5.114980569467414e+306, double.PositiveInfinity, double.PositiveInfinity),
        new(-3.5, 0.029312230751356316, 4.4942328371557893e+307, 8.0, 8.0, 1.2787451423668537e+306, double.PositiveInfinity, double.NaN, 1.2787451423668535e+306, 9.630235175971097e+306, 6.786816933988442e+307),
    ];

    private static readonly Row<float>[] FloatRows =
    [
        new(-0.0013f, 0.499675f, 3.4028235e+38f, 1.5f, 2.0f, 8.507054e+37f, float.PositiveInfinity, float.NaN, 8.5070546e+37f, 8.294234e+34f, -1.2760566e+38f),
        new(-0.0013f, 0.499675f, -3.4028235e+38f, 3.54f, -0.5f, -8.507054e+37f, float.NegativeInfinity, float.NaN, -8.5070546e+37f, -1.9574391e+35f, -7.528734e+37f),
        new(-0.0013f, 0.499675f, float.PositiveInfinity, 1.0f, 1.0f, float.PositiveInfinity, float.PositiveInfinity, float.NaN, float.PositiveInfinity, float.PositiveInfinity, float.NegativeInfinity),
        new(-0.0013f, 0.499675f, float.NegativeInfinity, 2.0f, -1.0f, float.NegativeInfinity, float.NegativeInfinity, float.NaN, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity),
        new(-0.0013f, 0.499675f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -8.507054e+37f, float.PositiveInfinity, float.NaN, -8.5070546e+37f, float.PositiveInfinity, float.NegativeInfinity),
        new(-0.0013f, 0.499675f, 8.5070587e+37f, 8.0f, 8.0f, 2.1267635e+37f, float.PositiveInfinity, float.NaN, 2.1267637e+37f, 1.1058979e+35f, float.NegativeInfinity),
        new(0.3f, 0.5744425f, 3.4028235e+38f, 1.5f, 2.0f, 8.318485e+37f, float.NegativeInfinity, float.NaN, 8.318485e+37f, -1.8577465e+37f, -1.1647956e+38f),
        new(0.3f, 0.5744425f, -3.4028235e+38f, 3.54f, -0.5f, -8.318485e+37f, float.PositiveInfinity, float.NaN, -8.318485e+37f, 4.3842817e+37f, -6.872294e+37f),
        new(0.3f, 0.5744425f, float.PositiveInfinity, 1.0f, 1.0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.NegativeInfinity),
        new(0.3f, 0.5744425f, float.NegativeInfinity, 2.0f, -1.0f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, float.NegativeInfinity, float.PositiveInfinity, float.NegativeInfinity),
        new(0.3f, 0.5744425f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -8.318485e+37f, float.NegativeInfinity, float.NaN, -8.318485e+37f, float.NegativeInfinity, float.NegativeInfinity),
        new(0.3f, 0.5744425f, 8.5070587e+37f, 8.0f, 8.0f, 2.0796212e+37f, float.NegativeInfinity, float.NaN, 2.0796212e+37f, -2.4769954e+37f, float.NegativeInfinity),
        new(-0.0431f, 0.48922664f, 3.4028235e+38f, 1.5f, 2.0f, 8.503108e+37f, float.PositiveInfinity, float.NaN, 8.503109e+37f, 2.748212e+36f, -1.2736899e+38f),
        new(-0.0431f, 0.48922664f, -3.4028235e+38f, 3.54f, -0.5f, -8.503108e+37f, float.NegativeInfinity, float.NaN, -8.503109e+37f, -6.48578e+36f, -7.5147707e+37f),
        new(-0.0431f, 0.48922664f, float.PositiveInfinity, 1.0f, 1.0f, float.PositiveInfinity, float.PositiveInfinity, float.NaN, float.PositiveInfinity, float.PositiveInfinity, float.NegativeInfinity),
        new(-0.0431f, 0.48922664f, float.NegativeInfinity, 2.0f, -1.0f, float.NegativeInfinity, float.NegativeInfinity, float.NaN, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity),
        new(-0.0431f, 0.48922664f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -8.503108e+37f, float.PositiveInfinity, float.NaN, -8.503109e+37f, float.PositiveInfinity, float.NegativeInfinity),
        new(-0.0431f, 0.48922664f, 8.5070587e+37f, 8.0f, 8.0f, 2.125777e+37f, float.PositiveInfinity, float.NaN, 2.1257773e+37f, 3.6642826e+36f, float.NegativeInfinity),
        new(0f, 0.5f, 3.4028235e+38f, 1.5f, 2.0f, 8.5070587e+37f, float.NaN, float.NaN, 8.5070587e+37f, 0f, -1.2760588e+38f),
        new(0f, 0.5f, -3.4028235e+38f, 3.54f, -0.5f, -8.5070587e+37f, float.NaN, float.NaN, -8.5070587e+37f, -0f, -7.528747e+37f),
        new(0f, 0.5f, float.PositiveInfinity, 1.0f, 1.0f, float.PositiveInfinity, float.NaN, float.NaN, float.PositiveInfinity, float.NaN, float.NegativeInfinity),
        new(0f, 0.5f, float.NegativeInfinity, 2.0f, -1.0f, float.NegativeInfinity, float.NaN, float.NaN, float.NegativeInfinity, float.NaN, float.NegativeInfinity),
        new(0f, 0.5f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -8.5070587e+37f, float.NaN, float.NaN, -8.5070587e+37f, 0f, float.NegativeInfinity),
        new(0f, 0.5f, 8.5070587e+37f, 8.0f, 8.0f, 2.1267647e+37f, float.NaN, float.NaN, 2.1267647e+37f, 0f, float.NegativeInfinity),
        new(7.1e+02f, 1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(7.1e+02f, 1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(7.1e+02f, 1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(7.1e+02f, 1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(7.1e+02f, 1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(7.1e+02f, 1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(-7.1e+02f, 0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(-7.1e+02f, 0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(-7.1e+02f, 0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-7.1e+02f, 0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-7.1e+02f, 0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(-7.1e+02f, 0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(745.0f, 1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(745.0f, 1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(745.0f, 1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(745.0f, 1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(745.0f, 1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(745.0f, 1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(-745.0f, 0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(-745.0f, 0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(-745.0f, 0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-745.0f, 0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-745.0f, 0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(-745.0f, 0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, 0f, 0f),
        new(89.0f, 1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(89.0f, 1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(89.0f, 1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(89.0f, 1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(89.0f, 1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(89.0f, 1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(-89.0f, 2.227364e-39f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0.7579325f, 1.1368988f, 2.2737975f),
        new(-89.0f, 2.227364e-39f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0.7579325f, -2.6830812f, 1.3415406f),
        new(-89.0f, 2.227364e-39f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity),
        new(-89.0f, 2.227364e-39f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NegativeInfinity, float.NegativeInfinity, float.PositiveInfinity),
        new(-89.0f, 2.227364e-39f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0.7579325f, 2.5791106e+38f, 6.4477765e+37f),
        new(-89.0f, 2.227364e-39f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0.18948312f, 1.515865f, 12.12692f),
        new(104.0f, 1.0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(104.0f, 1.0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -0f, 0f, 0f),
        new(104.0f, 1.0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(104.0f, 1.0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(104.0f, 1.0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -0f, -0f, 0f),
        new(104.0f, 1.0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 0f, -0f, 0f),
        new(-104.0f, 0f, 3.4028235e+38f, 1.5f, 2.0f, 0f, float.NaN, float.NaN, 2.318533e-07f, 3.4777997e-07f, 6.9555995e-07f),
        new(-104.0f, 0f, -3.4028235e+38f, 3.54f, -0.5f, -0f, float.NaN, float.NaN, -2.318533e-07f, -8.207607e-07f, 4.1038035e-07f),
        new(-104.0f, 0f, float.PositiveInfinity, 1.0f, 1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-104.0f, 0f, float.NegativeInfinity, 2.0f, -1.0f, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN),
        new(-104.0f, 0f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -0f, float.NaN, float.NaN, -2.318533e-07f, 7.8895587e+31f, 1.9723897e+31f),
        new(-104.0f, 0f, 8.5070587e+37f, 8.0f, 8.0f, 0f, float.NaN, float.NaN, 5.7963327e-08f, 4.637066e-07f, 3.709653e-06f),
        new(-3.5f, 0.02931223f, 3.4028235e+38f, 1.5f, 2.0f, 9.682062e+36f, float.PositiveInfinity, float.NaN, 9.682061e+36f, 1.3671684e+37f, 2.4087473e+37f),
        new(-3.5f, 0.02931223f, -3.4028235e+38f, 3.54f, -0.5f, -9.682062e+36f, float.NegativeInfinity, float.NaN, -9.682061e+36f, -3.2265174e+37f, 1.4211609e+37f),
        new(-3.5f, 0.02931223f, float.PositiveInfinity, 1.0f, 1.0f, float.PositiveInfinity, float.PositiveInfinity, float.NaN, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity),
        new(-3.5f, 0.02931223f, float.NegativeInfinity, 2.0f, -1.0f, float.NegativeInfinity, float.NegativeInfinity, float.NaN, float.NegativeInfinity, float.NegativeInfinity, float.PositiveInfinity),
        new(-3.5f, 0.02931223f, -3.4028235e+38f, -3.4028235e+38f, 0.25f, -9.682062e+36f, float.PositiveInfinity, float.NaN, -9.682061e+36f, float.PositiveInfinity, float.PositiveInfinity),
        new(-3.5f, 0.02931223f, 8.5070587e+37f, 8.0f, 8.0f, 2.4205154e+36f, float.PositiveInfinity, float.NaN, 2.4205153e+36f, 1.8228912e+37f, 1.2846653e+38f),
    ];

    [Fact]
    public void Sigmoid_first_second_and_third_order_near_overflow_match_PyTorch_or_the_exact_value_in_double() =>
        Check<double>("Sigmoid", x => x.Sigmoid(), DoubleRows, 2e-15, 1e-15);

    [Fact]
    public void Sigmoid_first_second_and_third_order_near_overflow_match_PyTorch_or_the_exact_value_in_float() =>
        Check<float>("Sigmoid", x => x.Sigmoid(), FloatRows, 1.2e-7, 5e-7);

    [Fact]
    public void Sigmoid_compiled_first_second_and_third_order_give_the_eager_bits()
    {
        foreach (var r in DoubleRows)
        {
            var eager = Eager<double>(x => x.Sigmoid(), r.X, r.S1, r.S2, r.S3, recordThird: true);
            Assert.Equal(eager, Compiled<double>(x => x.Sigmoid(), r.X, r.S1, r.S2, r.S3));
        }
        foreach (var r in FloatRows)
        {
            var eager = Eager<float>(x => x.Sigmoid(), r.X, r.S1, r.S2, r.S3, recordThird: true);
            Assert.Equal(eager, Compiled<float>(x => x.Sigmoid(), r.X, r.S1, r.S2, r.S3));
        }
    }

    [Fact]
    public void Sigmoid_compiled_first_second_and_third_order_near_overflow_match_PyTorch_or_the_exact_value() =>
        Check<double>("Sigmoid", x => x.Sigmoid(), DoubleRows, 2e-15, 1e-15, Compiled);

    /// <summary>
    /// On ordinary values (x in ±30, seeds in ±3, 1 to 20 elements, so the one-pass loop's vector body and tail both
    /// run): the second order is (h·g)·σ″ = (1 − 2y) · y(1 − y) from the forward's y, bit for bit; a recorded last pass gives the plain pass's
    /// bits at the second and third order; and the first order, recorded, is the one-pass gradient's bits.
    /// </summary>
    [Fact]
    public void Sigmoid_recorded_and_plain_derivatives_agree_bit_for_bit_on_ordinary_values() =>
        Properties.Check(
            Arb.From(from n in Gen.Choose(1, 20)
                     from x in Gen.ArrayOf(Gen.Choose(-30_000, 30_000).Select(k => k / 1000.0), n)
                     from g in Gen.ArrayOf(Gens.Value, n)
                     from h in Gen.ArrayOf(Gens.Value, n)
                     from s in Gen.ArrayOf(Gens.Value, n)
                     select (x, g, h, s)),
            c =>
            {
                int n = c.x.Length;
                var x = Tensor.FromRowMajor<double>(1, n, c.x, requiresGrad: true);
                Tensor<double> G = Tensor.FromRowMajor<double>(1, n, c.g), H = Tensor.FromRowMajor<double>(1, n, c.h), S = Tensor.FromRowMajor<double>(1, n, c.s);
                var y = x.Sigmoid();
                var recordedFirst = Autograd.Grad(y, [x], createGraph: true, G)[0];
                var plainFirst = Autograd.Grad(x.Sigmoid(), [x], createGraph: false, G)[0];
                Assert.Equal(plainFirst.ToFlatArray(), recordedFirst.ToFlatArray());
                var plainSecond = Autograd.Grad(recordedFirst, [x], createGraph: false, H)[0].ToFlatArray();
                var recordedSecond = Autograd.Grad(recordedFirst, [x], createGraph: true, H)[0];
                Assert.Equal(plainSecond, recordedSecond.ToFlatArray());
                for (int i = 0; i < n; i++)
                {
                    double yi = y[0, i], expected = (c.h[i] * c.g[i]) * ((1 - 2 * yi) * (yi * (1 - yi)));
                    Assert.True(expected.Equals(plainSecond[i]), $"element {i} of x = {c.x[i]:R}: {plainSecond[i]:R}, (h·g)·Sigmoid″ {expected:R}");
                }
                Assert.Equal(Autograd.Grad(recordedSecond, [x], createGraph: false, S)[0].ToFlatArray(),
                    Autograd.Grad(recordedSecond, [x], createGraph: true, S)[0].ToFlatArray());
            });

    /// <summary>NaN in x or in a seed gives NaN at every order from there on, in double and float (never a number).</summary>
    [Fact]
    public void Sigmoid_derivatives_of_NaN_are_NaN()
    {
        var (_, d1, d2, d3) = Eager<double>(x => x.Sigmoid(), double.NaN, 2, 3, 4);
        Assert.True(double.IsNaN(d1) && double.IsNaN(d2) && double.IsNaN(d3), $"{d1}, {d2}, {d3}");
        (_, d1, d2, d3) = Eager<double>(x => x.Sigmoid(), 0.3, 2, double.NaN, 4);
        Assert.True(!double.IsNaN(d1) && double.IsNaN(d2) && double.IsNaN(d3), $"{d1}, {d2}, {d3}");
        // 1e400 · f″(−3.5) > 0 overflows truly; the third order's seeds leave the range, and the split form keeps NaN
        (_, d1, d2, d3) = Eager<double>(x => x.Sigmoid(), -3.5, 1e200, 1e200, double.NaN);
        Assert.True(d2 == double.PositiveInfinity && double.IsNaN(d3), $"{d2}, {d3}");
        var (_, f1, f2, f3) = Eager<float>(x => x.Sigmoid(), 0.3f, float.NaN, 2f, 3f);
        Assert.True(float.IsNaN(f1) && float.IsNaN(f2) && float.IsNaN(f3), $"{f1}, {f2}, {f3}");
    }
}
