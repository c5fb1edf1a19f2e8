using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Catalogue;

/// <summary>
/// Every operation's gradient recorded on the tape (<c>createGraph: true</c>, the rule written with tensor operations)
/// has the value of its plain one-pass gradient, for every variant and shape case. The second-derivative check
/// (<see cref="CatalogueGradientTests"/>) differentiates the recorded gradient against finite differences of itself, so
/// a recorded rule with a wrong value but a consistent derivative passed it: planted, CrossEntropy(ignoreIndex)'s
/// recorded rule without its mask of kept rows (polish13) failed only this test and the op's own.
/// </summary>
public class CatalogueRecordedGradientTests
{
    public static TheoryData<string> Operations => CatalogueCases.Names();

    [Theory]
    [MemberData(nameof(Operations))]
    public void The_recorded_gradient_has_the_value_of_the_plain_gradient(string name) =>
        Properties.Check(Arb.From(CatalogueCases.CaseOf(CatalogueCases.Named(name))), c =>
        {
            var inputs = c.Inputs();
            var random = new Random(c.Values[0].Values.Length);
            Shape shape = c.Op.Apply<double>(inputs).Shape;
            var seed = Tensor.RandomUniform<double>(shape.Rows, shape.Cols, random, 0.5, 1.5);
            var plain = Autograd.Grad(c.Op.Apply<double>(inputs), inputs, seed: seed);
            var recorded = Autograd.Grad(c.Op.Apply<double>(inputs), inputs, createGraph: true, seed: seed);
            for (int i = 0; i < inputs.Length; i++)
            {
                double[] p = plain[i].ToFlatArray(), r = recorded[i].ToFlatArray();
                double scale = 1 + p.Max(Math.Abs);
                for (int e = 0; e < p.Length; e++)
                {
                    Assert.True(Math.Abs(p[e] - r[e]) <= 1e-12 * scale,
                        $"{name}: input {i} element {e}: plain {p[e]:R}, recorded {r[e]:R}");
                }
            }
        }, cases: 25);
}
