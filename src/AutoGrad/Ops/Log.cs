using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise natural logarithm: <c>y = ln x</c>; ln 0 = −∞ and ln of a negative number is NaN, as IEEE 754 says.
    /// Backward: ∂L/∂x = ∂L/∂y / x.
    /// </summary>
    public Tensor<T> Log() => Unary<LogOperator>(this);
}

/// <summary>
/// y = ln x; y′ = 1 / x, applied as a division (g / x, one rounding). The span form is <see cref="Math.Log(double)"/>
/// (<see cref="MathF.Log(float)"/>) per element: <c>TensorPrimitives.Log</c> gave an element of a float span another
/// last bit than the same value alone (its short spans and tail take another path than its vector loop), so a
/// compiled plan running it on bands did not reproduce the eager bits.
/// </summary>
internal readonly struct LogOperator : IUnaryOperator<LogOperator>
{
    public static string Name => "Log";
    public static string Symbol => "log";
    public static string LatexSymbol => "\\log";
    public static TestDomain Domain => TestDomain.Positive;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Log(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = T.Log(x[i]);
        }
    }
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.One / x;
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(g, x, d);
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => T.One / x;
    public static Tensor<T> Gradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => g.Div(x);
}
