using System.Numerics;
using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="VectorFunction"/>'s entry points refuse spans of unequal lengths (naming both lengths and the destination
/// parameter, and writing nothing), and write exactly the destination span: the element after it keeps its value for
/// every length from 0 to three 512-bit float vectors and one, at every width — each of the paths (the two-vector
/// loop, a last whole vector, one element, a padded rest of one or two vectors) ends a span.
/// </summary>
public class VectorFunctionSpanTests
{
    [Fact]
    public void Unequal_lengths_are_refused_at_every_width_and_nothing_is_written()
    {
        var x = new[] { 1.0, 2.0, 3.0, 4.0 };
        var d = new[] { 7.0, 7.0, 7.0 };
        foreach (Action apply in new Action[]
        {
            () => VectorFunction.Apply<double, VectorSigmoid<double>>(x, d),
            () => VectorFunction.Apply<double, VectorSigmoid<double>, Math128<double>>(x, d),
            () => VectorFunction.Apply<double, VectorSigmoid<double>, Math256<double>>(x, d),
            () => VectorFunction.Apply<double, VectorSigmoid<double>, Math512<double>>(x, d),
        })
        {
            var error = Assert.Throws<ArgumentException>(apply);
            Assert.Equal("d", error.ParamName);
            Assert.StartsWith("The destination has 3 elements and the source 4.", error.Message);
            Assert.Equal([7.0, 7.0, 7.0], d);
        }
        var longer = new float[5];
        var refused = Assert.Throws<ArgumentException>(() => VectorFunction.Apply<float, VectorExp<float>, Math256<float>>(new float[2], longer));
        Assert.StartsWith("The destination has 5 elements and the source 2.", refused.Message);
    }

    private static void WritesOnlyTheSpan<T, TVector>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        for (int length = 0; length <= 49; length++)
        {
            var x = new T[length + 2 * 16];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = T.CreateTruncating((i % 9) - 4.25);
            }
            var d = new T[x.Length];
            d.AsSpan().Fill(T.CreateTruncating(42));
            VectorFunction.Apply<T, VectorSigmoid<T>, TVector>(x.AsSpan(0, length), d.AsSpan(0, length));
            for (int i = length; i < d.Length; i++)
            {
                Assert.True(d[i].Equals(T.CreateTruncating(42)), $"{typeof(TVector).Name}, length {length}: element {i} past the span became {d[i]}");
            }
            var one = new T[1];
            for (int i = 0; i < length; i++)
            {
                VectorFunction.Apply<T, VectorSigmoid<T>, TVector>(x.AsSpan(i, 1), one);
                Assert.True(d[i].Equals(one[0]), $"{typeof(TVector).Name}, length {length}: element {i} is {d[i]}, alone {one[0]}");
            }
        }
    }

    [Fact]
    public void Every_width_writes_only_the_destination_span_in_double()
    {
        WritesOnlyTheSpan<double, Math128<double>>();
        WritesOnlyTheSpan<double, Math256<double>>();
        WritesOnlyTheSpan<double, Math512<double>>();
    }

    [Fact]
    public void Every_width_writes_only_the_destination_span_in_float()
    {
        WritesOnlyTheSpan<float, Math128<float>>();
        WritesOnlyTheSpan<float, Math256<float>>();
        WritesOnlyTheSpan<float, Math512<float>>();
    }
}
