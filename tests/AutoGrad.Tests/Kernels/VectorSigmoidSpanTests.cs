using System.Numerics;
using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// σ's span entry points (<see cref="VectorSigmoid.Sigmoid{T}"/> and its per-width form, and the staged loop) refuse
/// spans of unequal lengths, naming both lengths and the destination parameter and writing nothing; and they write
/// exactly the destination span: the element after it (the next element of the same array) keeps its value, for lengths
/// around the staged minimum (8 vectors) and the block (256), at every width, with the source's next element a value
/// that would be written were a pass to run one vector too far.
/// </summary>
public class VectorSigmoidSpanTests
{
    [Fact]
    public void Unequal_lengths_are_refused_by_every_entry_point_and_nothing_is_written()
    {
        foreach (int length in new[] { 3, 100 }) // one-pass only, and staged
        {
            var x = new double[length];
            var d = new double[length + 4];
            d.AsSpan().Fill(7);
            foreach (Action apply in new Action[]
            {
                () => VectorSigmoid.Sigmoid<double>(x, d),
                () => VectorSigmoid.Sigmoid<double, Math128<double>>(x, d),
                () => VectorSigmoid.Sigmoid<double, Math256<double>>(x, d),
                () => VectorSigmoid.Sigmoid<double, Math512<double>>(x, d),
            })
            {
                var error = Assert.Throws<ArgumentException>(apply);
                Assert.Equal("d", error.ParamName);
                Assert.StartsWith($"The destination has {length + 4} elements and the source {length}.", error.Message);
                Assert.All(d, v => Assert.Equal(7.0, v));
            }
        }
    }

    [Fact]
    public void The_staged_loop_refuses_whole_vectors_of_unequal_lengths()
    {
        var d = new double[36];
        d.AsSpan().Fill(7);
        var error = Assert.Throws<ArgumentException>(() => VectorSigmoid.Staged<double, Math256<double>>(new double[32], d));
        Assert.Equal("d", error.ParamName);
        Assert.StartsWith("Staged σ takes whole vectors of 4: 32 and 36 elements (internal error).", error.Message);
        Assert.All(d, v => Assert.Equal(7.0, v));
    }

    private static void WritesOnlyTheSpan<T, TVector>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        int v = TVector.Count;
        foreach (int length in new[] { 0, 1, v, 8 * v - 1, 8 * v, 8 * v + 1, 9 * v, VectorSigmoid.Block - 1, VectorSigmoid.Block, VectorSigmoid.Block + 1, 2 * VectorSigmoid.Block + v })
        {
            var x = new T[length + 64];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = T.CreateTruncating(((i * 7) % 23) - 11.5);
            }
            var d = new T[x.Length];
            d.AsSpan().Fill(T.CreateTruncating(42));
            VectorSigmoid.Sigmoid<T, TVector>(x.AsSpan(0, length), d.AsSpan(0, length));
            for (int i = length; i < d.Length; i++)
            {
                Assert.True(d[i].Equals(T.CreateTruncating(42)), $"{typeof(TVector).Name}, length {length}: element {i} past the span became {d[i]}");
            }
            var expected = new T[length];
            VectorFunction.Apply<T, VectorSigmoid<T>, TVector>(x.AsSpan(0, length), expected);
            for (int i = 0; i < length; i++)
            {
                Assert.True(d[i].Equals(expected[i]), $"{typeof(TVector).Name}, length {length}: element {i} is {d[i]}, one-pass {expected[i]}");
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
