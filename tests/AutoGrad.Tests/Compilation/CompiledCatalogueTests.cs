using System.Numerics;
using AutoGrad.Compilation;
using AutoGrad.Tests.Fuzz;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// Every operation of the catalogue has a compiled form that gives the eager bits: each operation (every variant,
/// every shape case) applied to fuzzed subgraphs of its input shapes (element-wise chains, products, transposes,
/// reductions, shared subexpressions), compiled and called twice — the second time with new values of every leaf, so
/// a value the trace froze (a mask, a selection, a row's maximum) would show — at 1 and 2 threads; and in float,
/// applied to the leaves directly. Nothing is refused.
/// </summary>
public class CompiledCatalogueTests
{
    private static readonly OperationDeclaration[] Operations = [.. OperationCatalogue.All];

    [Fact]
    public void Every_operation_type_of_the_catalogue_has_a_plan_step()
    {
        var without = Operations.Select(d => d.OperationType).Distinct()
            .Where(t => !t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IPlanStepSource<>)))
            .Select(t => t.Name).ToArray();
        Assert.True(without.Length == 0, $"no plan step: {string.Join(", ", without)}");
    }

    public sealed record Case(string Op, int ShapeCase, GraphFuzzTests.Pool Pool, Expr[] Operands, Matrix[] Values)
    {
        internal OperationDeclaration Declaration => Operations.Single(d => d.Name == Op);

        public override string ToString() =>
            $"{Op} shape case {ShapeCase} of ({string.Join(", ", Operands.Select(o => $"{o} [{o.Shape}]"))})\n" +
            string.Join("\n", Values.Select((v, i) => $"  x{i} = {v}"));
    }

    /// <summary>The dimensions other than 1 in a shape case; a fuzz pool holds three.</summary>
    private static int[] Dims(Shape[] shapes) =>
        [.. shapes.SelectMany(s => new[] { s.Rows, s.Cols }).Where(d => d != 1).Distinct().Order()];

    private static readonly (OperationDeclaration Op, int ShapeCase)[] Targets =
        [.. Operations.SelectMany(d => d.ShapeCases.Select((shapes, i) => (d, i))).Where(t => Dims(t.d.ShapeCases[t.i]).Length <= 3)];

    private static readonly Arbitrary<Case> Cases = Arb.From(
        from target in Gen.Elements(Targets)
        let shapes = target.Op.ShapeCases[target.ShapeCase]
        let dims = Dims(shapes).Concat([1, 1, 1]).ToArray()
        let pool = new GraphFuzzTests.Pool(dims[0], dims[1], dims[2])
        from depth in Gen.Choose(0, 4)
        from budget in Gen.Choose(1, 12)
        from operands in Gen.CollectToArray(shapes.Select(s => GraphFuzzTests.Node(pool, s, depth, budget)))
        from values in Gen.CollectToArray(pool.Shapes.Select(s => Gens.MatrixOf(s.Rows, s.Cols, GraphFuzzTests.InputValue)))
        select new Case(target.Op.Name, target.ShapeCase, pool, operands, values),
        c => c.Operands.SelectMany((o, i) => o.Shrink().Select(s => c with { Operands = [.. c.Operands.Select((p, j) => j == i ? s : p)] })));

    /// <summary>The operation applied to its operands, each mapped into the operation's domain for that input.</summary>
    private static Tensor<double> Evaluate(Case c, Tensor<double>[] leaves)
    {
        var memo = new Dictionary<Expr, Tensor<double>>();
        var operands = c.Operands.Select((o, i) => FuzzOps.IntoDomain(c.Declaration, i, o.Evaluate(leaves, memo))).ToArray();
        return c.Declaration.Apply<double>(operands);
    }

    /// <summary>Leaves get new values in place (−0.7·v + 0.05): what the trace read from the old ones must not survive.</summary>
    private static void ChangeValues<T>(IEnumerable<Tensor<T>> leaves) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var noGrad = Tensor.NoGrad();
        foreach (var leaf in leaves)
        {
            leaf.CopyFrom(leaf.ToFlatArray().Select(v => T.CreateChecked(-0.7) * v + T.CreateChecked(0.05)).ToArray());
        }
    }

    /// <summary>Compiles (op(...) ⊙ w).Sum() over the leaves and checks two calls' loss and accumulated gradients against eager, bit for bit.</summary>
    private static void CompiledEqualsEager<T>(Func<Tensor<T>[], Tensor<T>> f, Func<Tensor<T>[]> makeLeaves) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int threads in new[] { 1, 2 })
        {
            CompiledEquivalenceTests.AtThreads(threads, () =>
            {
                var eager = makeLeaves();
                var compiled = makeLeaves();
                var step = Tensor.Compile((Tensor<T> w) => (f(compiled) * w).Sum());
                for (int call = 0; call < 2; call++)
                {
                    if (call == 1)
                    {
                        ChangeValues(eager.Concat(compiled));
                    }
                    var output = f(eager);
                    var w = CompiledEquivalenceTests.Weights<T>(output.Shape, call);
                    var loss = (output * w).Sum();
                    loss.Backward();
                    Assert.Equal(loss.Item, step.Run(w));
                }
                for (int i = 0; i < eager.Length; i++)
                {
                    Assert.Equal(eager[i].Grad?.ToFlatArray(), compiled[i].Grad?.ToFlatArray());
                }
            });
        }
    }

    /// <summary>300 cases: every catalogue entry about 5 times per run, each in new fuzzed company.</summary>
    [Fact]
    public void Every_catalogue_operation_on_fuzzed_operands_compiles_to_the_eager_bits() =>
        Properties.Check(Cases, c => CompiledEqualsEager<double>(
            leaves => Evaluate(c, leaves),
            () => [.. c.Values.Select((m, i) => m.ToTensor(name: $"x{i}"))]), 300);

    /// <summary>
    /// The same with about half of the leaves frozen (requiring no gradient; drawn from the case, so a shrunk case keeps
    /// its subset): every operation also meets operands that require no gradient, recorded only for the trace, whose
    /// new values the second call must read. A trainable scalar scales the result, so every case has a parameter.
    /// </summary>
    [Fact]
    public void Every_catalogue_operation_with_frozen_leaves_compiles_to_the_eager_bits() =>
        Properties.Check(Cases, c =>
        {
            var random = new Random(c.Values.Sum(v => v.Rows * 7 + v.Cols) + c.ShapeCase * 31 + c.Op.Length);
            bool[] frozen = [.. c.Values.Select(_ => random.Next(2) == 0)];
            CompiledEqualsEager<double>(
                leaves => Evaluate(c, leaves) * leaves[^1],
                () => [.. c.Values.Select((m, i) => m.ToTensor(requiresGrad: !frozen[i], name: $"x{i}")), Tensor.Scalar(0.75, requiresGrad: true, name: "s")]);
        }, 150);

    [Fact]
    public void Every_catalogue_operation_on_its_leaves_compiles_to_the_eager_bits_in_float()
    {
        foreach (var (op, shapeCase) in Operations.SelectMany(d => d.ShapeCases.Select((_, i) => (d, i))))
        {
            Shape[] shapes = op.ShapeCases[shapeCase];
            Tensor<float>[] Leaves() => [.. shapes.Select((s, i) =>
            {
                var domain = op.Domain(i);
                var random = new Random(17 * shapeCase + i);
                return Tensor.FromRowMajor(s.Rows, s.Cols,
                    Enumerable.Range(0, s.Length).Select(_ => (float)(domain.Min + (domain.Max - domain.Min) * (0.05 + 0.9 * random.NextDouble()))).ToArray(),
                    requiresGrad: true, name: $"x{i}");
            })];
            try
            {
                CompiledEqualsEager(leaves => op.Apply<float>(leaves), Leaves);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException($"{op.Name}, shapes ({string.Join(", ", shapes)}): {e.Message}");
            }
        }
    }

    [Fact]
    public void The_generator_reaches_every_catalogue_operation()
    {
        var reached = Properties.Sample(Cases.Generator, size: 20, count: 2000).Select(c => c.Op).ToHashSet();
        var missed = Operations.Select(d => d.Name).Except(reached).ToArray();
        Assert.True(missed.Length == 0, $"never drawn: {string.Join(", ", missed)}");
    }
}
