using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// σ over a span takes a staged loop for its whole vectors (<see cref="VectorSigmoid.Staged{T, TVector}"/>: three passes
/// over blocks of <see cref="VectorSigmoid.Block"/> elements) and the one-pass vector loop
/// (<see cref="VectorFunction"/>) for the rest. Both must give every element the same bits, so that σ's value depends
/// neither on the span's length nor on which loop ran it (and compiled bands agree with eager whole arrays). Checked at
/// the 128-, 256- and 512-bit widths (a width the hardware lacks runs in software), in double and float, for spans of
/// 0 to 3 blocks and a little more — lengths at and around a vector, the staged minimum and the block size — with rare
/// lanes beyond the normal range or NaN, so that some blocks take the wide fallback and their neighbours do not.
/// </summary>
public class VectorSigmoidStagedTests
{
    private static readonly Gen<double> Ordinary = Gen.Choose(-40_000, 40_000).Select(k => k / 1000.0);

    private static readonly Gen<double> Rare = Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 708.5, -708.5,
        -745.0, 710.0, 87.5, -87.5, 88.72, -104.0, -0.0, 0.0, 1e-300, 708.0, -708.0, 87.0, -87.0);

    /// <summary>Lengths that matter: near multiples of the widths (2, 4, 8, 16), the staged minimum (8 vectors) and the block (256).</summary>
    private static readonly Gen<int> Length = Gen.Frequency(
        (3, Gen.Choose(0, 3 * VectorSigmoid.Block + 40)),
        (2, Gen.Elements(15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 258, 263, 511, 512, 513, 520, 769)));

    private static readonly Arbitrary<(double[] Values, bool InPlace)> Cases = Arb.From(
        from length in Length
        from rarePerMille in Gen.Elements(0, 0, 2, 20)
        from values in Gen.ArrayOf(rarePerMille == 0 ? Ordinary : Gen.Frequency((1000 - rarePerMille, Ordinary), (rarePerMille, Rare)), length)
        from inPlace in Gen.Elements(false, true)
        select (Values: values, InPlace: inPlace),
        c => c.Values.Length > 1 ? [(c.Values[..(c.Values.Length / 2)], c.InPlace), (c.Values[(c.Values.Length / 2)..], c.InPlace)] : []);

    private static T[] OnePass<T, TVector>(T[] x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        var d = new T[x.Length];
        VectorFunction.Apply<T, VectorSigmoid<T>, TVector>(x, d);
        return d;
    }

    private static T[] Spans<T, TVector>(T[] x, bool inPlace)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        T[] d = inPlace ? (T[])x.Clone() : new T[x.Length];
        VectorSigmoid.Sigmoid<T, TVector>(inPlace ? d : x, d);
        return d;
    }

    private static void AssertSameBits<T>(T[] expected, T[] actual, T[] x, string width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = T.IsNaN(expected[i]) ? T.IsNaN(actual[i]) : expected[i].Equals(actual[i]) && T.IsNegative(expected[i]) == T.IsNegative(actual[i]);
            Assert.True(same, $"{width}, {typeof(T).Name}, {x.Length} elements: σ({x[i]:R}) at {i} = {actual[i]:R}, one-pass loop {expected[i]:R}");
        }
    }

    private static void Check<T>(double[] values, bool inPlace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = [.. values.Select(T.CreateTruncating)];
        AssertSameBits(OnePass<T, Math128<T>>(x), Spans<T, Math128<T>>(x, inPlace), x, "128 bits");
        AssertSameBits(OnePass<T, Math256<T>>(x), Spans<T, Math256<T>>(x, inPlace), x, "256 bits");
        AssertSameBits(OnePass<T, Math512<T>>(x), Spans<T, Math512<T>>(x, inPlace), x, "512 bits");
    }

    [Fact]
    public void The_staged_loop_gives_the_one_pass_bits_at_every_width_in_double() =>
        Properties.Check(Cases, c => Check<double>(c.Values, c.InPlace), cases: 150);

    [Fact]
    public void The_staged_loop_gives_the_one_pass_bits_at_every_width_in_float() =>
        Properties.Check(Cases, c => Check<float>(c.Values, c.InPlace), cases: 150);

    /// <summary>The entry point used by the σ operation takes the staged loop on this machine's width and agrees with it.</summary>
    [Fact]
    public void The_span_entry_point_gives_the_one_pass_bits() =>
        Properties.Check(Cases, c =>
        {
            double[] d = new double[c.Values.Length];
            VectorSigmoid.Sigmoid<double>(c.Values, d);
            var expected = new double[c.Values.Length];
            VectorFunction.Apply<double, VectorSigmoid<double>>(c.Values, expected);
            AssertSameBits(expected, d, c.Values, "widest accelerated");
        }, cases: 100);

    /// <summary>A span that is not a whole number of vectors is refused by the staged loop itself (the entry point never passes one).</summary>
    [Fact]
    public void The_staged_loop_refuses_a_partial_vector()
    {
        var x = new double[Math256<double>.Count * 8 + 1];
        var error = Assert.Throws<ArgumentException>(() => VectorSigmoid.Staged<double, Math256<double>>(x, new double[x.Length]));
        Assert.Contains("whole vectors of 4", error.Message, StringComparison.Ordinal);
    }
}
