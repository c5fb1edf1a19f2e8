using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// AutoGrad's own vector kernels (σ, tanh, exp) are written once over <see cref="ISimdMath{TSelf, T}"/>, and a machine
/// runs only its widest accelerated width — 256 bits on an AVX2 machine, 512 on an AVX-512 one. So that a result does
/// not depend on the machine, the 128-, 256- and 512-bit forms must give the same bits for every input; a width the
/// hardware lacks still runs here, in software. Inputs: ordinary values, the ranges where e^±x overflows or
/// underflows (with the far tails drawn densely: |x| in 704–746 and 85–105, where double and float eˣ, σ and tanh leave
/// the normal range), ±0, ±∞, NaN, subnormals and arbitrary bit patterns, spans of 0–300 elements (several vectors of
/// every width, every remainder 0–15 of a 16-float vector, and spans shorter than one). The entry point a machine runs
/// (<see cref="VectorFunction.Apply{T, TFunction}"/>: 512 bits on an AVX-512 machine) is held to the same bits too.
/// </summary>
public class VectorWidthTests
{
    internal static readonly Gen<double> Input = Gen.Frequency(
        (5, Gen.Choose(-40_000, 40_000).Select(k => k / 1000.0)),
        (2, Gen.Choose(-800_000, 800_000).Select(k => k / 1000.0)),
        (2, Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => BitConverter.Int64BitsToDouble(((long)t.Item1 << 32) | (uint)t.Item2))),
        (1, Gen.Elements(0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon, -double.Epsilon,
            1e-310, -1e-310, 709.78, 710.0, -745.1, 88.72, -103.97, 1e-20, -1e-8, 19.06, 22.0)),
        // the far tails, densely: where eˣ overflows or rounds into the subnormals, σ is 1 or eˣ, and the limits of the
        // kernels' normal-range paths (708 double, 87 float) and their neighbours one ulp away
        (2, from magnitude in Gen.Frequency((1, Gen.Choose(704_000, 746_000)), (1, Gen.Choose(85_000, 105_000)))
            from negative in Gen.Elements(false, true)
            select (negative ? -magnitude : magnitude) / 1000.0),
        (1, Gen.Elements(708.0, -708.0, Math.BitIncrement(708.0), -Math.BitIncrement(708.0), Math.BitDecrement(708.0), 709.782712893384,
            709.7827128933841, -744.4400719213812, -745.1332191019411, -745.1332191019412, 87.0, -87.0,
            (double)MathF.BitIncrement(87f), -(double)MathF.BitIncrement(87f), (double)MathF.BitDecrement(87f), 88.72283, 88.72284, -103.27893,
            -103.97208, -103.97209, 9.010913, -9.010913, 19.061547, -19.061547, double.MaxValue, -double.MaxValue, float.MaxValue,
            -float.MaxValue, 1.1754942e-38, -1.1754942e-38, 1.4e-45, -1.4e-45, 2.2250738585072014e-308, -2.2250738585072014e-308)));

    /// <summary>
    /// Spans of 0 to 300 elements: half of them within two vectors of a multiple of 16 (every remainder of a 512-bit
    /// float vector, and of a 256-bit one), shrunk by halves.
    /// </summary>
    private static readonly Arbitrary<double[]> Inputs = Arb.From(
        from length in Gen.Frequency((1, Gen.Choose(0, 300)), (1, from blocks in Gen.Choose(0, 18) from rest in Gen.Choose(0, 31) select Math.Min(300, 16 * blocks + rest)))
        from values in Gen.ArrayOf(Input, length)
        select values,
        values => values.Length > 1 ? [values[..(values.Length / 2)], values[(values.Length / 2)..]] : []);

    private static T[] At<T, TFunction, TVector>(T[] x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : IVectorFunction<T>
        where TVector : struct, ISimdMath<TVector, T>
    {
        var d = new T[x.Length];
        VectorFunction.Apply<T, TFunction, TVector>(x, d);
        return d;
    }

    private static bool SameBits<T>(T[] a, T[] b, out string where) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < a.Length; i++)
        {
            // NaN payloads may differ between widths; a NaN must stay a NaN
            bool same = T.IsNaN(a[i]) ? T.IsNaN(b[i]) : a[i].Equals(b[i]) && T.IsNegative(a[i]) == T.IsNegative(b[i]);
            if (!same)
            {
                where = $"element {i}: {a[i]:R} vs {b[i]:R}";
                return false;
            }
        }
        where = "";
        return true;
    }

    private static void Check<T, TFunction>(Func<double, T> convert)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : IVectorFunction<T> =>
        Properties.Check(Inputs, values =>
        {
            T[] x = [.. values.Select(convert)];
            var at256 = At<T, TFunction, Math256<T>>(x);
            Assert.True(SameBits(at256, At<T, TFunction, Math128<T>>(x), out var w128), $"128 vs 256 bits, {w128}");
            Assert.True(SameBits(at256, At<T, TFunction, Math512<T>>(x), out var w512), $"512 vs 256 bits, {w512}");
            var dispatched = new T[x.Length];
            VectorFunction.Apply<T, TFunction>(x, dispatched); // the width this machine runs
            Assert.True(SameBits(at256, dispatched, out var wDefault), $"the machine's width vs 256 bits, {wDefault}");
        });

    [Fact]
    public void Sigmoid_gives_the_same_bits_at_every_vector_width_in_double() => Check<double, VectorSigmoid<double>>(v => v);

    [Fact]
    public void Sigmoid_gives_the_same_bits_at_every_vector_width_in_float() => Check<float, VectorSigmoid<float>>(v => (float)v);

    [Fact]
    public void Tanh_gives_the_same_bits_at_every_vector_width_in_double() => Check<double, VectorTanh<double>>(v => v);

    [Fact]
    public void Tanh_gives_the_same_bits_at_every_vector_width_in_float() => Check<float, VectorTanh<float>>(v => (float)v);

    [Fact]
    public void Exp_gives_the_same_bits_at_every_vector_width_in_double() => Check<double, VectorExp<double>>(v => v);

    [Fact]
    public void Exp_gives_the_same_bits_at_every_vector_width_in_float() => Check<float, VectorExp<float>>(v => (float)v);
}
