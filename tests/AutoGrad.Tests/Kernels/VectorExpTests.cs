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
