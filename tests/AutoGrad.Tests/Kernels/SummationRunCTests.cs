using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Session fifteen, run C survivors of <c>Summation.cs</c>: the scale exponent of the scaled second pass, exactly; the
/// float sum's vector loop (each lane accumulated in double, the two halves of a widened vector added lane by lane, then
/// the scalar tail) at lengths around <see cref="Vector{T}.Count"/>; the float sum of squares' scalar tail.
/// </summary>
public class SummationRunCTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 3)]
    [InlineData(5, 4)]
    [InlineData(8, 4)]
    [InlineData(9, 5)]
    [InlineData(1 << 20, 21)]
    [InlineData((1 << 20) + 1, 22)]
    [InlineData(int.MaxValue, 32)]
    public void The_scale_exponent_is_the_least_k_of_at_least_one_with_two_to_the_k_at_least_twice_the_count(int count, int k) =>
        Assert.Equal(k, Summation.ScaleExponent(count));

    [Fact]
    public void The_scale_exponent_is_the_least_k_of_at_least_one_with_two_to_the_k_at_least_twice_the_count_for_any_count() =>
        Properties.Check(Arb.From(Gen.Frequency((3, Gen.Choose(1, 5000)), (1, Gen.Choose(1, int.MaxValue)))), count =>
        {
            int k = Summation.ScaleExponent(count);
            Assert.True(k >= 1 && Math.ScaleB(1.0, k) >= 2.0 * count && (k == 1 || Math.ScaleB(1.0, k - 1) < 2.0 * count), $"count {count}: k = {k}");
        }, cases: 300);

    /// <summary>
    /// A float span of <paramref name="length"/> with 2⁶⁰ and −2⁶⁰ in the same double lane of the vector starting at
    /// <paramref name="start"/> (elements start and start + Count/2, which Widen puts in lane 0 of its two halves) and 1 in lane 1.
    /// </summary>
    private static float[] CancellingInOneLane(int length, int start)
    {
        var x = new float[length];
        x[start] = MathF.ScaleB(1, 60);
        x[start + 1] = 1;
        x[start + Vector<float>.Count / 2] = -MathF.ScaleB(1, 60);
        return x;
    }

    [Fact]
    public void A_float_sum_of_whole_vectors_adds_each_lane_in_double_so_terms_cancelling_in_a_lane_keep_the_small_one()
    {
        Assert.True(Vector.IsHardwareAccelerated, "this test describes the vector loop");
        int count = Vector<float>.Count;
        // left to right, 2⁶⁰ + 1 rounds to 2⁶⁰ in double and the 1 is lost; lane by lane 2⁶⁰ − 2⁶⁰ is 0 and the 1 is kept
        foreach ((int length, int start) in new[] { (count, 0), (count + 1, 0), (2 * count, 0), (2 * count, count), (2 * count + 3, count), (3 * count - 1, count) })
        {
            Assert.True(1f == Summation.Sum<float>(CancellingInOneLane(length, start)), $"length {length}, pattern at {start}: {Summation.Sum<float>(CancellingInOneLane(length, start))}");
        }
    }

    /// <summary>2⁶⁰, 1, −2⁶⁰ after one whole vector of zeros, in the tail: summed left to right, the 1 is lost.</summary>
    private static float[] TailPattern(int count)
    {
        var x = new float[count + 3];
        x[count] = MathF.ScaleB(1, 60);
        x[count + 1] = 1;
        x[count + 2] = -MathF.ScaleB(1, 60);
        return x;
    }

    [Fact]
    public void A_float_span_shorter_than_a_vector_or_its_tail_is_summed_left_to_right()
    {
        int count = Vector<float>.Count;
        Assert.Equal(0f, Summation.Sum<float>(TailPattern(count)));
        Assert.Equal(0f, Summation.Sum<float>(TailPattern(count)[count..]));
    }

    [Fact]
    public void A_float_sum_of_squares_squares_every_element_of_its_tail_and_of_short_spans()
    {
        int count = Vector<float>.Count;
        Assert.Equal(25f, Summation.SumOfSquares<float>([3f, -4f]));
        Assert.Equal(0.25f, Summation.SumOfSquares<float>([0.5f]));
        var x = Enumerable.Repeat(2f, count).Concat([3f, -0.5f]).ToArray(); // one vector of 2s, then a tail of 3, −0.5
        Assert.Equal(4f * count + 9.25f, Summation.SumOfSquares<float>(x));
        var y = Enumerable.Range(1, 2 * count + 5).Select(i => (float)i).ToArray();
        Assert.Equal(y.Sum(v => (double)v * v), (double)Summation.SumOfSquares<float>(y));
    }
}
