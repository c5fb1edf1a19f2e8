using Xunit;

namespace AutoGrad.Tests.Catalogue;

/// <summary>
/// The flags a declaration states about its operation agree with what the operation does: element-wise exactly when
/// each result element is the operation of the inputs' elements at that place; ties as kinks exactly when the two
/// one-sided differences at a = b disagree; a test domain that is an interval holding every kink it has (so the
/// generic gradient tests, which keep 0.1 away from the listed points, never difference across a kink).
/// </summary>
public class DeclarationFlagTests
{
    private static readonly OperationDeclaration[] All = CatalogueCases.All.SelectMany(d => d.Variants).ToArray();

    private static double[] Values(TestDomain domain, int count, int salt)
    {
        var values = new List<double>();
        for (int k = 0; values.Count < count; k++)
        {
            double v = domain.Min + (domain.Max - domain.Min) * ((k * 0.618034 + salt * 0.3) % 1.0);
            if (domain.Avoid.All(p => Math.Abs(v - p) >= 0.1))
            {
                values.Add(v);
            }
        }
        return values.ToArray();
    }

    /// <summary>Null when the operation refuses 3×4 inputs or changes their shape; else whether each element is f of the elements at its place.</summary>
    private static bool? ActsElementWise(OperationDeclaration d)
    {
        var inputs = Enumerable.Range(0, d.Arity).Select(i => Tensor.FromRowMajor<double>(3, 4, Values(d.Domain(i), 12, i))).ToArray();
        Tensor<double> y;
        try
        {
            y = d.Apply<double>(inputs);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (y.Shape != new Shape(3, 4))
        {
            return false;
        }
        for (int e = 0; e < 12; e++)
        {
            var one = inputs.Select(t => Tensor.From(new[,] { { t.ToFlatArray()[e] } })).ToArray();
            Tensor<double> single;
            try
            {
                single = d.Apply<double>(one);
            }
            catch (ArgumentException)
            {
                return false; // Gather's fixed indices do not fit one element
            }
            if (single.Shape != new Shape(1, 1))
            {
                return false;
            }
            double alone = single.Item, together = y.ToFlatArray()[e];
            if (!(Math.Abs(alone - together) <= 1e-12 * (1 + Math.Abs(alone))))
            {
                return false;
            }
        }
        return true;
    }

    [Fact]
    public void An_operation_is_declared_element_wise_exactly_when_it_acts_element_wise()
    {
        foreach (var d in All)
        {
            bool? acts = ActsElementWise(d);
            Assert.True((acts ?? false) == d.IsElementWise, $"{d.Name}: declared element-wise {d.IsElementWise}, acts element-wise on 3×4 {acts?.ToString() ?? "(refused)"}");
        }
    }

    [Fact]
    public void A_binary_operation_declares_its_ties_as_kinks_exactly_when_the_one_sided_differences_there_disagree()
    {
        const double h = 1e-6, v = 1.3; // inside every domain the catalogue uses
        foreach (var d in All.Where(d => d.IsElementWise && d.Arity == 2))
        {
            double F(double a) => d.Apply<double>([Tensor.From(new[,] { { a } }), Tensor.From(new[,] { { v } })]).Item;
            double right = (F(v + h) - F(v)) / h, left = (F(v) - F(v - h)) / h;
            bool kink = Math.Abs(right - left) > 1e-3 * (1 + Math.Abs(right) + Math.Abs(left));
            Assert.True(kink == d.TiesAreKinks, $"{d.Name}: at a = b = {v} the one-sided differences are {left} and {right}; declared TiesAreKinks {d.TiesAreKinks}");
        }
    }

    [Fact]
    public void Every_test_domain_is_an_interval_that_lists_each_kink_of_a_unary_element_wise_operation()
    {
        const double h = 1e-6;
        foreach (var d in All)
        {
            for (int i = 0; i < d.Arity; i++)
            {
                TestDomain domain = d.Domain(i);
                Assert.True(domain.Min < domain.Max, $"{d.Name} input {i}: domain [{domain.Min}, {domain.Max}] is empty");
                Assert.All(domain.Avoid, p => Assert.InRange(p, domain.Min, domain.Max));
            }
            if (!d.IsElementWise || d.Arity != 1)
            {
                continue;
            }
            TestDomain only = d.Domain(0);
            double F(double x) => d.Apply<double>([Tensor.From(new[,] { { x } })]).Item;
            for (double p = Math.Ceiling(only.Min * 4) / 4; p <= only.Max; p += 0.25)
            {
                double right = (F(p + h) - F(p)) / h, left = (F(p) - F(p - h)) / h;
                bool kink = !(Math.Abs(right - left) <= 1e-3 * (1 + Math.Abs(right) + Math.Abs(left)));
                Assert.False(kink && !only.Avoid.Any(a => Math.Abs(a - p) < 1e-9),
                    $"{d.Name}: a kink at {p} (one-sided differences {left}, {right}) that its domain does not list");
            }
        }
    }
}
