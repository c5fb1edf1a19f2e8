using System.Reflection;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Catalogue;

/// <summary>
/// Every element-wise operator's recorded derivative, <c>Derivative(x, y)</c> with y = f(x) on the tape, is
/// differentiable again to f″: ∂/∂x Σ Derivative(x, f(x)) equals the central difference of the scalar f′ at each
/// element. <see cref="IUnaryOperator{TSelf}.Derivative{T}(Tensor{T}, Tensor{T})"/> promises this. The operators that
/// record their gradient as one operation (σ′, tanh′) never differentiate it themselves, so no other test
/// would see a wrong slope. Planted: tanh's <c>product − (y² − y²)</c> slope with its sign flipped (a value of
/// (1 − y)(1 + y), a slope of +2y) passed every other test (session fifteen's run F).
/// </summary>
public class RecordedDerivativeSlopeTests
{
    public static TheoryData<string> Operators => new(UnaryOperators().Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Operators))]
    public void The_recorded_derivative_differentiates_to_the_second_derivative(string name)
    {
        Type op = UnaryOperators().Single(t => t.Name == name);
        typeof(RecordedDerivativeSlopeTests).GetMethod(nameof(Check), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(op).Invoke(null, null);
    }

    /// <summary>The catalogue's element-wise operators (each a <c>UnaryDeclaration&lt;TOp&gt;</c>).</summary>
    private static IEnumerable<Type> UnaryOperators() =>
        OperationCatalogue.All
            .Where(d => d.GetType().IsGenericType && d.GetType().GetGenericTypeDefinition() == typeof(UnaryDeclaration<>))
            .Select(d => d.GetType().GetGenericArguments()[0])
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    private static void Check<TOp>() where TOp : struct, IUnaryOperator<TOp>
    {
        TestDomain domain = TOp.Domain;
        Gen<double> value = Gen.Choose(0, 10_000).Select(k => domain.Min + (domain.Max - domain.Min) * k / 10_000.0)
            .Where(v => domain.Avoid.All(a => Math.Abs(v - a) >= 0.1));
        Properties.Check(Gens.Spans(value, 20), values =>
        {
            if (values.Length == 0)
            {
                return;
            }
            var x = Tensor.From(values, requiresGrad: true);
            Tensor<double> derivative = TOp.Derivative(x, Tensor<double>.Unary<TOp>(x));
            if (derivative.RequiresGrad)
            {
                derivative.Sum().Backward();
            }
            double[] slope = x.Grad?.ToFlatArray() ?? new double[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                double v = values[i], h = 1e-5 * Math.Max(1, Math.Abs(v));
                double expected = (FirstDerivative<TOp>(v + h) - FirstDerivative<TOp>(v - h)) / (2 * h);
                Assert.True(Math.Abs(slope[i] - expected) <= 1e-6 * (1 + Math.Abs(expected)),
                    $"{TOp.Name}: at x = {v:R} the recorded derivative's slope is {slope[i]:R}, f″ ≈ {expected:R}");
            }
        }, cases: 30);
    }

    private static double FirstDerivative<TOp>(double x) where TOp : struct, IUnaryOperator<TOp> =>
        TOp.Derivative(x, TOp.Invoke(x));
}
