using System.Numerics;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// The class of inputs behind <see cref="MaskedDerivativeSeedTests"/>' PyTorch tables: spans of 1–40 elements (every
/// length around the vector width, so the vector body and the scalar tail both meet every kind of value) of inputs
/// among ordinary values, ties, ±0, ±∞ and NaN, each with a seed among ordinary values, ±0, ±∞ and NaN. Each masked
/// derivative gives PyTorch's selecting rule, written here element by element, in a plain pass, a recorded one and a
/// compiled step, in double and float: g where the mask is 1 (g/2 at a maximum's tie), +0 where it is 0.
/// </summary>
public class MaskedDerivativePropertyTests
{
    private static readonly Gen<double> Input = Gen.Frequency(
        (3, Gen.Choose(-4, 4).Select(k => k * 0.5)), // ties among themselves, ±1 on Clamp's bounds
        (1, Gen.Elements(0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-40, -1e-40)));

    private static readonly Gen<double> Seed = Gen.Frequency(
        (2, Gen.Choose(-3000, 3000).Select(k => k / 1000.0)),
        (2, Gen.Elements(double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0.0, -0.0, -1.0)));

    private static Arbitrary<(double[] A, double[] B, double[] G)> Cases() => Arb.From(
        from n in Gen.Choose(1, 40)
        from a in Gen.ArrayOf(Input, n)
        from b in Gen.ArrayOf(Input, n)
        from g in Gen.ArrayOf(Seed, n)
        select (a, b, g));

    private static T[] Values<T>(double[] v) where T : unmanaged, IFloatingPointIeee754<T> => v.Select(T.CreateChecked).ToArray();

    /// <summary>∂L/∂w with seed g on f(w): eager, createGraph and a compiled step.</summary>
    private static T[][] ThreeWays<T>(Func<Tensor<T>, Tensor<T>> f, T[] w, int rows, T[] g, int seedRows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> Leaf() => Tensor.FromRowMajor(rows, w.Length / rows, w, requiresGrad: true);
        var seed = Tensor.FromRowMajor(seedRows, g.Length / seedRows, g);
        var eager = Leaf();
        f(eager).Backward(seed);
        var recorded = Leaf();
        var viaGrad = Autograd.Grad(f(recorded), [recorded], createGraph: true, seed: seed)[0];
        var compiledLeaf = Leaf();
        Tensor.Compile<T>(s => (f(compiledLeaf) * s).Sum()).Run(seed);
        return [eager.Grad!.ToFlatArray(), viaGrad.ToFlatArray(), compiledLeaf.Grad!.ToFlatArray()];
    }

    private static void AssertRule<T>(T[] expected, T[][] actual, string op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[] ways = ["eager", "createGraph", "compiled"];
        for (int k = 0; k < ways.Length; k++)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                T e = expected[i], a = actual[k][i];
                bool same = T.IsNaN(e) ? T.IsNaN(a) : a == e && T.IsNegative(a) == T.IsNegative(e);
                Assert.True(same, $"{typeof(T).Name} {op} {ways[k]}: element {i} of {expected.Length} is {a}, the selecting rule gives {e}");
            }
        }
    }

    private static T Half<T>(T g) where T : unmanaged, IFloatingPointIeee754<T> => g / (T.One + T.One);

    private static void Check<T>(double[] ad, double[] bd, double[] gd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Values<T>(ad), b = Values<T>(bd), g = Values<T>(gd);
        int n = a.Length;
        AssertRule(a.Select((x, i) => x <= T.Zero ? T.Zero : g[i]).ToArray(), ThreeWays(w => w.Relu(), a, 1, g, 1), "Relu");
        AssertRule(a.Select((x, i) => x >= -T.One && x <= T.One ? g[i] : T.Zero).ToArray(), ThreeWays(w => w.Clamp(-1.0, 1.0), a, 1, g, 1), "Clamp");
        var bt = Tensor.FromRowMajor(1, n, b);
        var at = Tensor.FromRowMajor(1, n, a);
        AssertRule(a.Select((x, i) => x < b[i] ? T.Zero : x == b[i] ? Half(g[i]) : g[i]).ToArray(), ThreeWays(w => w.Maximum(bt), a, 1, g, 1), "Maximum ∂/∂a");
        AssertRule(b.Select((y, i) => y < a[i] ? T.Zero : y == a[i] ? Half(g[i]) : g[i]).ToArray(), ThreeWays(w => at.Maximum(w), b, 1, g, 1), "Maximum ∂/∂b");
        // one lane along axis 1 (a row) and along axis 0 (a column): g[0] to the first maximum (NaN first), +0 elsewhere
        int first = Array.FindIndex(a, T.IsNaN) is int k && k >= 0 ? k : Array.IndexOf(a, a.Max());
        T[] selected = a.Select((_, i) => i == first ? g[0] : T.Zero).ToArray();
        AssertRule(selected, ThreeWays(w => w.Max(1), a, 1, g[..1], 1), "Max(1)");
        AssertRule(selected, ThreeWays(w => w.Max(0), a, n, g[..1], 1), "Max(0)");
    }

    [Fact]
    public void Every_masked_derivative_selects_for_any_input_and_seed_in_every_position() =>
        Properties.Check(Cases(), c =>
        {
            Check<double>(c.A, c.B, c.G);
            Check<float>(c.A, c.B, c.G);
        }, cases: 60);
}
