using System.Reflection;
using Xunit;

namespace AutoGrad.Tests.Catalogue;

/// <summary>The catalogue is complete, and every operation in it records itself under its name.</summary>
public class CatalogueTests
{
    public static TheoryData<string> Ops => CatalogueCases.Names();

    [Fact]
    public void Every_operation_type_in_the_library_is_listed_in_the_catalogue()
    {
        var listed = CatalogueCases.All.Select(d => d.OperationType).ToHashSet();
        // Tensor.Compile's capture records its own replay nodes (a fused backward kernel as one node); they exist only
        // inside a compiled plan's capture, are never differentiated, and are not operations a user can call.
        var operations = typeof(Tensor<>).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && IsOperation(t) && t.Namespace != "AutoGrad.Compilation")
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t);
        Assert.Empty(operations.Where(t => !listed.Contains(t)).Select(t => t.FullName));

        static bool IsOperation(Type t)
        {
            for (Type? b = t.BaseType; b is not null; b = b.BaseType)
            {
                if (b.IsGenericType && b.GetGenericTypeDefinition() == typeof(Operation<>))
                {
                    return true;
                }
            }
            return false;
        }
    }

    [Fact]
    public void The_catalogue_holds_every_operation_once_by_name()
    {
        var names = CatalogueCases.All.Select(d => d.Name).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Contains("Sigmoid", names);
        Assert.Contains("MatMul(Aᵀ·Bᵀ)", names);
        Assert.Contains("Sum(axis: 1)", names);
    }

    private static Tensor<double>[] Inputs(OperationDeclaration op, bool requiresGrad, double first = 0.5)
    {
        var shapes = op.ShapeCases[0];
        return shapes.Select((s, i) =>
        {
            var domain = op.Domain(i);
            double inside = domain.Min + (domain.Max - domain.Min) * 0.37;
            var values = Enumerable.Range(0, s.Length).Select(k => inside + 0.011 * k).ToArray();
            if (i == 0)
            {
                values[0] = first;
            }
            return Tensor.FromRowMajor<double>(s.Rows, s.Cols, values, requiresGrad, name: $"x{i}");
        }).ToArray();
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void An_op_on_constants_records_nothing(string name)
    {
        var op = CatalogueCases.Named(name);
        var result = op.Apply<double>(Inputs(op, requiresGrad: false));
        Assert.True(result.IsLeaf);
        Assert.False(result.RequiresGrad);
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void An_op_on_a_parameter_records_itself_under_its_name(string name)
    {
        var op = CatalogueCases.Named(name);
        var result = op.Apply<double>(Inputs(op, requiresGrad: true));
        Assert.False(result.IsLeaf);
        Assert.True(result.RequiresGrad);
        Assert.Contains($"from {name}", result.ToString());
        Assert.Contains($"label=\"{name}\\n", Graph.ToDot(result));
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void In_anomaly_mode_a_non_finite_result_names_its_op(string name)
    {
        var op = CatalogueCases.Named(name);
        Tensor<double> finiteResult;
        using (Tensor.NoGrad())
        {
            finiteResult = op.Apply<double>(Inputs(op, requiresGrad: false, first: double.PositiveInfinity));
        }
        using (Tensor.DetectAnomaly())
        {
            var inputs = Inputs(op, requiresGrad: true, first: double.PositiveInfinity);
            if (finiteResult.ToFlatArray().All(double.IsFinite))
            {
                Assert.True(op.Apply<double>(inputs).RequiresGrad); // σ(∞) = 1 and the like: finite, no anomaly
                return;
            }
            var error = Assert.Throws<AnomalyException>(() => op.Apply<double>(inputs));
            Assert.StartsWith($"{name} forward", error.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void Every_element_of_a_result_and_of_its_gradients_is_written_even_when_memory_starts_as_nan(string name)
    {
        var op = CatalogueCases.Named(name);
        Assert.True(Tensor<double>.PoisonUninitializedMemory);
        foreach (var shapes in op.ShapeCases)
        {
            var inputs = shapes.Select((s, i) => Tensor.FromRowMajor<double>(s.Rows, s.Cols,
                Enumerable.Range(0, s.Length).Select(k => op.Domain(i).Min + 0.1 + 0.013 * k % (op.Domain(i).Max - op.Domain(i).Min - 0.2)).ToArray(),
                requiresGrad: true)).ToArray();
            var result = op.Apply<double>(inputs);
            Assert.All(result.ToFlatArray(), v => Assert.False(double.IsNaN(v), $"{name} result"));
            foreach (var gradient in Autograd.Grad(result, inputs, seed: Tensor.Ones<double>(result.Rows, result.Cols)))
            {
                Assert.All(gradient.ToFlatArray(), v => Assert.False(double.IsNaN(v), $"{name} gradient"));
            }
        }
    }
}
