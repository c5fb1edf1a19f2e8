using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Catalogue;

/// <summary>
/// Random cases for every operation of the library, read from the operation catalogue: a declaration, one of its
/// input-shape cases, and values drawn from its declared domain (six decimals, so ties between elements are rare,
/// and at least 0.1 away from every declared kink).
/// </summary>
public static class CatalogueCases
{
    internal static IReadOnlyList<OperationDeclaration> All => OperationCatalogue.All;

    internal sealed record Case(OperationDeclaration Op, Matrix[] Values)
    {
        public Tensor<double>[] Inputs(bool requiresGrad = true, string[]? names = null) =>
            Values.Select((m, i) => m.ToTensor(requiresGrad, names?[i])).ToArray();

        public override string ToString() => $"{Op.Name} on {string.Join(", ", Values.Select(v => v.ToString()))}";
    }

    internal static Gen<double> ValuesIn(TestDomain domain) =>
        Gen.Choose((int)Math.Round(domain.Min * 1e6), (int)Math.Round(domain.Max * 1e6))
            .Select(k => k / 1e6)
            .Where(v => domain.Avoid.All(kink => Math.Abs(v - kink) >= 0.1));

    internal static Gen<Case> CaseOf(OperationDeclaration op) =>
        from shapes in Gen.Elements(op.ShapeCases.ToArray())
        from values in Gen.CollectToArray(shapes.Select((s, i) => Gens.MatrixOf(s.Rows, s.Cols, ValuesIn(op.Domain(i)))))
        select new Case(op, values);

    /// <summary>Cases spread evenly over the declarations (then over their shape cases).</summary>
    internal static Arbitrary<Case> Over(IEnumerable<OperationDeclaration> ops) =>
        Arb.From(from op in Gen.Elements(ops.ToArray()) from c in CaseOf(op) select c);

    /// <summary>The declarations as theory data, by name.</summary>
    internal static TheoryData<string> Names(Func<OperationDeclaration, bool>? where = null)
    {
        var data = new TheoryData<string>();
        foreach (var op in All.Where(where ?? (_ => true)))
        {
            data.Add(op.Name);
        }
        return data;
    }

    internal static OperationDeclaration Named(string name) => All.Single(d => d.Name == name);
}
