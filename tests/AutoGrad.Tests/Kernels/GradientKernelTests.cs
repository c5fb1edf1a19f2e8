using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// A plain <c>Backward()</c> computes the activations' rules with one-pass kernels; a recorded backward pass
/// (createGraph) with recorded operations. Both must give the same bits, for every length around the vector width
/// (the kernels have a vector loop and a scalar tail) and for the special values: ±0, ±∞, NaN, huge and tiny.
/// </summary>
public class GradientKernelTests
{
    private static readonly Gen<double> AnyDouble = Gen.Frequency(
        (6, Gen.Choose(-40000, 40000).Select(k => k / 1000.0)),
        (1, Gen.Elements(0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e300, -1e300, 1e-310, 1.0)));

    private static readonly Arbitrary<(Matrix X, Matrix G)> Cases = Arb.From(
        from rows in Gen.Choose(1, 5)
        from cols in Gen.Choose(1, 21)
        from x in Gens.MatrixOf(rows, cols, AnyDouble)
        from g in Gens.MatrixOf(rows, cols, AnyDouble)
        select (x, g));

    public static TheoryData<string> Activations => ["Sigmoid", "Tanh", "Square", "Relu"];

    private static Tensor<T> Apply<T>(string op, Tensor<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => op switch
    {
        "Sigmoid" => x.Sigmoid(),
        "Tanh" => x.Tanh(),
        "Square" => x.Square(),
        "Relu" => x.Relu(),
        _ => throw new ArgumentException(op),
    };

    private static void AssertSameBits<T>(string op, T[] xs, T[] gs, int rows, int cols)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var x = Tensor.FromRowMajor<T>(rows, cols, xs, requiresGrad: true);
        var seed = Tensor.FromRowMajor<T>(rows, cols, gs);
        // one forward result for both: TensorPrimitives' sigmoid and tanh may differ by an ulp between two calls on
        // the same values when a neighbouring element is beyond ±709 or NaN (its result then depends on the
        // buffer's alignment), and this test is about the backward rules
        var y = Apply(op, x);
        T[] plain = Autograd.Grad(y, [x], seed: seed)[0].ToFlatArray();
        T[] recorded = Autograd.Grad(y, [x], createGraph: true, seed: seed)[0].ToFlatArray();
        for (int i = 0; i < plain.Length; i++)
        {
            bool same = T.IsNaN(plain[i]) ? T.IsNaN(recorded[i]) : plain[i].Equals(recorded[i]) && T.IsNegative(plain[i]) == T.IsNegative(recorded[i]);
            Assert.True(same, $"{op}′ at element {i} (x = {xs[i]}, g = {gs[i]}): one pass {plain[i]}, recorded {recorded[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void The_one_pass_rule_equals_the_recorded_rule_bit_for_bit_in_double(string op) =>
        Properties.Check(Cases, c => AssertSameBits(op, c.X.Values, c.G.Values, c.X.Rows, c.X.Cols), cases: 300);

    [Theory]
    [MemberData(nameof(Activations))]
    public void The_one_pass_rule_equals_the_recorded_rule_bit_for_bit_in_float(string op) =>
        Properties.Check(Cases, c => AssertSameBits(op, c.X.Values.Select(v => (float)v).ToArray(), c.G.Values.Select(v => (float)v).ToArray(), c.X.Rows, c.X.Cols), cases: 300);
}
