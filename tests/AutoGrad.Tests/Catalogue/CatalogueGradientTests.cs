using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Catalogue;

/// <summary>
/// Every operation of the catalogue against finite differences, to first and second order; every element-wise
/// operator's declared scalar forward and derivative against what the tape computes.
/// </summary>
public class CatalogueGradientTests
{
    [Fact]
    public void Every_op_gradient_matches_finite_differences_on_every_shape_case() =>
        Properties.Check(CatalogueCases.Over(CatalogueCases.All), c =>
            Properties.AssertGradCheck(x => c.Op.Apply<double>(x), c.Inputs()), cases: 400);

    [Fact]
    public void Every_op_second_derivative_matches_finite_differences_of_its_recorded_gradient() =>
        Properties.Check(CatalogueCases.Over(CatalogueCases.All), c =>
        {
            // gradgradcheck: F(x) = Σᵢ ⟨∂⟨f(x), W⟩/∂xᵢ, Cᵢ⟩ with the gradient recorded (createGraph), so F's own gradient
            // is a Hessian-vector product of f; W and C fixed. The 0·Σx² term keeps F on the tape for a linear f.
            var inputs = c.Inputs();
            var random = new Random(c.Values.Length + c.Values[0].Values.Length);
            var seedShape = c.Op.Apply<double>(inputs).Shape;
            var w = Tensor.RandomUniform<double>(seedShape.Rows, seedShape.Cols, random, 0.5, 1.5);
            var directions = inputs.Select(x => Tensor.RandomUniform<double>(x.Rows, x.Cols, random, -1, 1)).ToArray();
            // F sums terms that can cancel (a Pow′ of three seeds near x = 0.16 has terms of 1e4 summing to 1e3), and a
            // finite difference of F carries their rounding, not F's: the allowance is scaled by Σ|term|.
            var plainGradients = Autograd.Grad(c.Op.Apply<double>(inputs), inputs, seed: w);
            double termScale = plainGradients.Select((g, i) => g.ToFlatArray().Zip(directions[i].ToFlatArray(), (a, b) => Math.Abs(a * b)).Sum()).Sum();
            Properties.AssertGradCheck(x =>
            {
                var gradients = Autograd.Grad(c.Op.Apply<double>(x), x, createGraph: true, seed: w);
                var total = x[0].Square().Sum() * 0.0;
                for (int i = 0; i < x.Length; i++)
                {
                    total += (gradients[i] * directions[i]).Sum();
                }
                return total;
            }, termScale, inputs);
        }, cases: 300);

    public static TheoryData<string> ScalarForms => CatalogueCases.Names(d => d.HasScalarForm);

    [Theory]
    [MemberData(nameof(ScalarForms))]
    public void The_declared_scalar_forward_and_derivative_agree_with_the_tape(string name)
    {
        var op = CatalogueCases.Named(name);
        Properties.Check(Arb.From(CatalogueCases.CaseOf(op).Where(c => c.Values.All(v => v.Rows == c.Values[0].Rows && v.Cols == c.Values[0].Cols))), c =>
        {
            var inputs = c.Inputs();
            var result = op.Apply<double>(inputs);
            var seed = Tensor.From(c.Values[0].Values.Select((_, k) => 0.5 + 0.01 * k).ToArray());
            seed = Tensor.FromRowMajor<double>(result.Rows, result.Cols, seed.AsSpan());
            var gradients = Autograd.Grad(result, inputs, seed: seed);
            for (int k = 0; k < result.Length; k++)
            {
                double[] arguments = c.Values.Select(v => v.Values[k]).ToArray();
                double z = result.AsSpan()[k];
                AssertClose(op.ScalarForward<double>(arguments), z, $"{name} forward at {string.Join(", ", arguments)}");
                for (int i = 0; i < inputs.Length; i++)
                {
                    double expected = seed.AsSpan()[k] * op.ScalarDerivative<double>(i, arguments, z);
                    AssertClose(expected, gradients[i].AsSpan()[k], $"{name} ∂/∂input {i} at {string.Join(", ", arguments)}");
                }
            }
        }, cases: 30);
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-14 + 4e-15 * Math.Abs(expected), $"{what}: declared {expected}, tape {actual}");

    private static readonly Gen<double> AnyDouble = Gen.Frequency(
        (6, Gen.Choose(-40000, 40000).Select(k => k / 1000.0)),
        (1, Gen.Elements(0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e300, -1e300, 1e-310, 1.0)));

    public static TheoryData<string> UnaryElementwise => CatalogueCases.Names(d => d.HasScalarForm && d.Arity == 1);

    /// <summary>
    /// A plain <c>Backward()</c> computes an element-wise operator's rule in one pass (its span or vector form); a recorded
    /// pass (createGraph) with tensor operations. Both come from one declaration and must give the same bits, for every
    /// length around the vector width (vector body, scalar tail) and for ±0, ±∞, NaN, huge and tiny values. An operator
    /// whose two forms cannot share a kernel declares how many ulps apart they may be (sin and cos: 2).
    /// </summary>
    [Theory]
    [MemberData(nameof(UnaryElementwise))]
    public void The_one_pass_rule_equals_the_recorded_rule_bit_for_bit(string name)
    {
        var op = CatalogueCases.Named(name);
        var cases = Arb.From(
            from rows in Gen.Choose(1, 5)
            from cols in Gen.Choose(1, 21)
            from x in Gens.MatrixOf(rows, cols, AnyDouble)
            from g in Gens.MatrixOf(rows, cols, AnyDouble)
            select (x, g));
        Properties.Check(cases, c =>
        {
            AssertSameBits(op, c.x.Values, c.g.Values, c.x.Rows, c.x.Cols);
            AssertSameBits(op, c.x.Values.Select(v => (float)v).ToArray(), c.g.Values.Select(v => (float)v).ToArray(), c.x.Rows, c.x.Cols);
        }, cases: 150);
    }

    private static void AssertSameBits<T>(OperationDeclaration op, T[] xs, T[] gs, int rows, int cols)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var x = Tensor.FromRowMajor<T>(rows, cols, xs, requiresGrad: true);
        var seed = Tensor.FromRowMajor<T>(rows, cols, gs);
        // one forward result for both: this test is about the backward rules
        var y = op.Apply<T>([x]);
        T[] plain = Autograd.Grad(y, [x], seed: seed)[0].ToFlatArray();
        T[] recorded = Autograd.Grad(y, [x], createGraph: true, seed: seed)[0].ToFlatArray();
        for (int i = 0; i < plain.Length; i++)
        {
            bool same = T.IsNaN(plain[i]) ? T.IsNaN(recorded[i]) : plain[i].Equals(recorded[i]) && T.IsNegative(plain[i]) == T.IsNegative(recorded[i]);
            Assert.True(same || WithinUlps(plain[i], recorded[i], op.GradientUlps),
                $"{op.Name}′ at element {i} (x = {xs[i]}, g = {gs[i]}): one pass {plain[i]}, recorded {recorded[i]}");
        }
    }

    private static bool WithinUlps<T>(T a, T b, int ulps) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        T low = a, high = a;
        for (int k = 0; k < ulps; k++)
        {
            low = T.BitDecrement(low);
            high = T.BitIncrement(high);
        }
        return low <= b && b <= high;
    }
}
