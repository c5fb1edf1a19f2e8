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
/// underflows, ±0, ±∞, NaN, subnormals and arbitrary bit patterns, spans of 1–70 elements (several vectors of every
/// width, and tails).
/// </summary>
public class VectorWidthTests
{
    private static readonly Gen<double> Input = Gen.Frequency(
        (5, Gen.Choose(-40_000, 40_000).Select(k => k / 1000.0)),
        (2, Gen.Choose(-800_000, 800_000).Select(k => k / 1000.0)),
        (2, Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => BitConverter.Int64BitsToDouble(((long)t.Item1 << 32) | (uint)t.Item2))),
        (1, Gen.Elements(0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon, -double.Epsilon,
            1e-310, -1e-310, 709.78, 710.0, -745.1, 88.72, -103.97, 1e-20, -1e-8, 19.06, 22.0)));

    private static readonly Arbitrary<double[]> Inputs = Gens.Spans(Input, 70);

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
