using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Second derivatives through Pow when the gradient arriving at Pow itself depends on x: f = Σ xᵖ ⊙ x sends g = x
/// into Pow's recorded gradient g ⊙ p·x^(p−1), so the Hessian needs that gradient's derivative with respect to g as
/// well as to x. f = Σ x^(p+1) gives the exact answer: H = diag((p+1)·p·x^(p−1)).
/// </summary>
public class PowUpstreamDependenceTests
{
    [Fact]
    public void The_hessian_of_x_to_the_p_times_x_counts_the_path_through_the_incoming_gradient() =>
        Properties.Check(
            Arb.From(from m in Gens.Matrix(Gens.Positive) from p in Gen.Elements(2.0, 3.0, 1.5) select (m, p)),
            c =>
            {
                var x = c.m.ToTensor(requiresGrad: false);
                var hessian = Autograd.Hessian(v => (v.Pow(c.p) * v).Sum(), x).ToFlatArray();
                int n = x.Length;
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double expected = i == j ? (c.p + 1) * c.p * Math.Pow(c.m.Values[i], c.p - 1) : 0;
                        Assert.Equal(expected, hessian[i * n + j], 1e-11 * Math.Max(1, Math.Abs(expected)));
                    }
                }
            },
            cases: 30);
}
