using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// AutoGrad's own vectorised σ (<see cref="VectorSigmoid"/>) against 1 / (1 + Math.Exp(−x)): within 4 units in the
/// last place, over every length from 1 to 100 (so the vector loop and its overlapping last vector are both reached)
/// and over the whole range — ordinary values, values where e⁻ˣ overflows or σ underflows, ±∞, ±0 and NaN. Where the
/// true σ is below the smallest normal number, only the absolute error is bounded (by that number): neither the
/// reference nor any fast kernel keeps full precision among subnormals.
/// </summary>
public class VectorSigmoidTests
{
    private static readonly Gen<double> Input = Gen.Frequency(
        (6, Gen.Choose(-40_000, 40_000).Select(k => k / 1000.0)),
        (2, Gen.Choose(-800_000, 800_000).Select(k => k / 1000.0)),
        (1, Gen.Elements(0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN,
            709.0, 709.78, 710.0, -708.0, -709.0, -709.78, -710.0, -745.0, 745.1, 87.0, 88.0, 88.72, -88.0, -88.72, -104.0)));

    private static readonly Arbitrary<double[]> Inputs = Gens.Spans(Input, 100);

    private const double SmallestNormalDouble = 2.2250738585072014E-308; // 2⁻¹⁰²²
    private const float SmallestNormalSingle = 1.17549435E-38f; // 2⁻¹²⁶

    private static long UlpDistance(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    private static long UlpDistance(float a, float b) => Math.Abs((long)BitConverter.SingleToInt32Bits(a) - BitConverter.SingleToInt32Bits(b));

    [Fact]
    public void Double_sigmoid_is_within_4_ulp_of_the_reference_everywhere() =>
        Properties.Check(Inputs, x =>
        {
            var d = new double[x.Length];
            VectorSigmoid.Sigmoid<double>(x, d);
            for (int i = 0; i < x.Length; i++)
            {
                double expected = 1 / (1 + Math.Exp(-x[i]));
                string where = $"σ({x[i]:R}) = {d[i]:R}, expected {expected:R}";
                if (double.IsNaN(expected))
                {
                    Assert.True(double.IsNaN(d[i]), where);
                }
                else if (expected < SmallestNormalDouble)
                {
                    Assert.True(d[i] >= 0 && Math.Abs(d[i] - expected) <= SmallestNormalDouble, where);
                }
                else
                {
                    Assert.True(UlpDistance(d[i], expected) <= 4, where);
                }
            }
        }, cases: 300);

    [Fact]
    public void Float_sigmoid_is_within_4_ulp_of_the_correctly_rounded_value_everywhere() =>
        Properties.Check(Inputs, values =>
        {
            float[] x = values.Select(v => (float)v).ToArray();
            var d = new float[x.Length];
            VectorSigmoid.Sigmoid<float>(x, d);
            for (int i = 0; i < x.Length; i++)
            {
                float expected = (float)(1 / (1 + Math.Exp(-(double)x[i])));
                string where = $"σ({x[i]:R}) = {d[i]:R}, expected {expected:R}";
                if (float.IsNaN(expected))
                {
                    Assert.True(float.IsNaN(d[i]), where);
                }
                else if (expected < SmallestNormalSingle)
                {
                    Assert.True(d[i] >= 0 && Math.Abs(d[i] - expected) <= SmallestNormalSingle, where);
                }
                else
                {
                    Assert.True(UlpDistance(d[i], expected) <= 4, where);
                }
            }
        }, cases: 300);

    [Fact]
    public void An_element_gets_the_same_value_whatever_its_position_and_the_span_s_length() =>
        Properties.Check(Inputs, x =>
        {
            var whole = new double[x.Length];
            VectorSigmoid.Sigmoid<double>(x, whole);
            var wholeSingle = new float[x.Length];
            VectorSigmoid.Sigmoid<float>(x.Select(v => (float)v).ToArray(), wholeSingle);
            for (int i = 0; i < x.Length; i++)
            {
                var alone = new double[1];
                VectorSigmoid.Sigmoid<double>(x.AsSpan(i, 1), alone);
                Assert.Equal(BitConverter.DoubleToInt64Bits(whole[i]), BitConverter.DoubleToInt64Bits(alone[0]));
                var aloneSingle = new float[1];
                VectorSigmoid.Sigmoid<float>(new[] { (float)x[i] }, aloneSingle);
                Assert.Equal(BitConverter.SingleToInt32Bits(wholeSingle[i]), BitConverter.SingleToInt32Bits(aloneSingle[0]));
            }
        });

    /// <summary>
    /// The kernel takes a slower path for a vector holding a lane beyond ±708 (±87 in float) or NaN; the other lanes
    /// of that vector must get the bits they get on the fast path, and the lane itself its own σ. Each case puts an
    /// ordinary value at every position of a 16-element span (a whole 512-bit float vector) beside such a neighbour.
    /// </summary>
    [Fact]
    public void A_lane_beyond_the_normal_range_changes_nothing_for_its_neighbours()
    {
        var cases = Gens.LaneBesideOutOfRange;
        Properties.Check(cases, c =>
        {
            double[] x = Enumerable.Repeat(c.Neighbour, 16).ToArray();
            x[c.Position] = c.Value;
            AssertNeighbours(x, c.Position);
            AssertNeighbours(x.Select(v => (float)v).ToArray(), c.Position);
        });

        static void AssertNeighbours<T>(T[] x, int position) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var whole = new T[x.Length];
            VectorSigmoid.Sigmoid<T>(x, whole);
            var alone = new T[1];
            VectorSigmoid.Sigmoid<T>(x.AsSpan(position, 1), alone);
            Assert.True(whole[position].Equals(alone[0]) && T.IsNegative(whole[position]) == T.IsNegative(alone[0]),
                $"σ({x[position]}) = {alone[0]:R} alone, {whole[position]:R} beside {x[(position + 1) % x.Length]}");
            int other = (position + 1) % x.Length;
            VectorSigmoid.Sigmoid<T>(x.AsSpan(other, 1), alone);
            Assert.True(whole[other].Equals(alone[0]) || (T.IsNaN(whole[other]) && T.IsNaN(alone[0])),
                $"σ({x[other]}) = {alone[0]:R} alone, {whole[other]:R} beside {x[position]}");
            // beyond the range σ is 1 or eˣ itself (1 + eˣ rounds to 1), within an ulp
            double u = double.CreateTruncating(x[other]), expected = u < 0 ? Math.Exp(u) / (1 + Math.Exp(u)) : 1 / (1 + Math.Exp(-u));
            long ulps = typeof(T) == typeof(double)
                ? Ulps.Between(double.CreateTruncating(whole[other]), expected)
                : Ulps.Between(float.CreateTruncating(whole[other]), (float)expected);
            Assert.True(ulps <= 1, $"σ({x[other]}) = {whole[other]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void The_sigmoid_operation_uses_it_and_saturates_without_NaN()
    {
        var x = Tensor.From(new[,] { { -1000.0, -30.0, 0.0, 30.0, 1000.0, double.NegativeInfinity, double.PositiveInfinity, 2.5, -2.5 } });
        double[] y = x.Sigmoid().ToFlatArray();
        var expected = new double[y.Length];
        VectorSigmoid.Sigmoid<double>(x.AsSpan(), expected);
        Assert.Equal(expected, y);
        Assert.Equal([0.0, 0.5, 1.0, 0.0, 1.0], [y[0], y[2], y[4], y[5], y[6]]);
        // σ(−30) = 9.3576229688392990e-14 correctly rounded; within the contract's 3 ulp (README, "Accuracy")
        Assert.InRange(Ulps.Between(y[1], 1 / (1 + Math.Exp(30))), 0, 3);
        Assert.Equal(1 / (1 + Math.Exp(-30)), y[3]);
    }
}
