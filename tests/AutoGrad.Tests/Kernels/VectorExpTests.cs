using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="VectorExp"/> takes a faster path for a vector whose lanes all lie within ±708 (±87 in float) and a
/// clamping, two-power path for any other: an ordinary value must get the same bits beside a lane beyond that range
/// (or NaN) as alone, and that lane its own eˣ — 0, a subnormal, +∞ or NaN.
/// </summary>
public class VectorExpTests
{
    [Fact]
    public void A_lane_beyond_the_normal_range_changes_nothing_for_its_neighbours()
    {
        var cases = Arb.From(
            from v in Gen.Frequency((4, Gen.Choose(-40_000, 40_000).Select(k => k / 1000.0)), (1, Gen.Choose(-708_000, 708_000).Select(k => k / 1000.0)),
                (1, Gen.Elements(0.0, -0.0, 708.0, -708.0, 87.0, -87.0, 1e-300, -1e-300)))
            from neighbour in Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 708.5, -708.5, 709.7, 709.9, -745.0,
                -1000.0, 87.5, -87.5, 88.7, 89.0, -100.0, -104.0, 1e10)
            from position in Gen.Choose(0, 15)
            select (v, neighbour, position));
        Properties.Check(cases, c =>
        {
            double[] x = Enumerable.Repeat(c.neighbour, 16).ToArray();
            x[c.position] = c.v;
            AssertNeighbours(x, c.position);
            AssertNeighbours(x.Select(v => (float)v).ToArray(), c.position);
        });

        static void AssertNeighbours<T>(T[] x, int position) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var whole = new T[x.Length];
            VectorExp.Exp<T>(x, whole);
            var alone = new T[1];
            VectorExp.Exp<T>(x.AsSpan(position, 1), alone);
            Assert.True(whole[position].Equals(alone[0]), $"exp({x[position]}) = {alone[0]:R} alone, {whole[position]:R} beside {x[(position + 1) % x.Length]}");
            int other = (position + 1) % x.Length;
            double u = double.CreateTruncating(x[other]), expected = Math.Exp(u);
            long ulps = typeof(T) == typeof(double)
                ? Ulps.Between(double.CreateTruncating(whole[other]), expected)
                : Ulps.Between(float.CreateTruncating(whole[other]), (float)expected);
            Assert.True(ulps <= 1, $"exp({x[other]}) = {whole[other]:R} beside {x[position]}, expected {expected:R}");
        }
    }
}
