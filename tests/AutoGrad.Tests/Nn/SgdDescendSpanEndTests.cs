using System.Numerics;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// Plain SGD's update p ← FMA(−η, g, p) (<c>Sgd.Descend</c>, the path without momentum or decay) writes exactly the
/// parameter's span: the element after it (the next element of the same array) keeps its value, for every length from
/// 0 to three 512-bit vectors and one, so that the 512-bit loop, the 256-bit loop and the scalar tail each end a span;
/// and every element is the one fused multiply-add. A tail that ran one step too far would move the sentinel by −η·g.
/// </summary>
public class SgdDescendSpanEndTests
{
    private static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        T rate = T.CreateTruncating(-0.125), sentinel = T.CreateTruncating(42);
        for (int length = 0; length <= 3 * 64 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>() + 1; length++)
        {
            var p = new T[length + 1];
            var g = new T[length + 1];
            for (int k = 0; k <= length; k++)
            {
                p[k] = T.CreateTruncating(((k * 5) % 13) - 6.5);
                g[k] = T.CreateTruncating(((k * 3) % 7) - 2.75);
            }
            p[length] = sentinel;
            T[] before = (T[])p.Clone();
            Sgd<T>.Descend(p.AsSpan(0, length), g.AsSpan(0, length), rate);
            Assert.True(p[length].Equals(sentinel), $"length {length}: the element past the parameter became {p[length]}");
            for (int k = 0; k < length; k++)
            {
                Assert.True(p[k].Equals(T.FusedMultiplyAdd(rate, g[k], before[k])), $"length {length}, element {k}: {p[k]}");
            }
        }
    }

    [Fact]
    public void Plain_descent_writes_no_element_past_the_parameter_in_double() => Check<double>();

    [Fact]
    public void Plain_descent_writes_no_element_past_the_parameter_in_float() => Check<float>();
}
