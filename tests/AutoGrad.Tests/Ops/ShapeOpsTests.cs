using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>Reshape, Slice (ranges, SliceRows), Gather and Concat: copies that keep the graph.</summary>
public class ShapeOpsTests
{
    private static readonly double[,] Six = { { 1, 2, 3 }, { 4, 5, 6 } };

    [Fact]
    public void Reshape_gradient_matches_finite_differences_and_keeps_row_major_order() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            Properties.AssertGradCheck(x => x[0].Reshape(1, -1), m.ToTensor());
            Properties.AssertGradCheck(x => x[0].Reshape(-1, 1) * Tensor.Arange<double>(m.Values.Length), m.ToTensor());
            Assert.Equal(m.Values, m.ToTensor().Reshape(m.Cols, m.Rows).ToFlatArray());
        });

    [Fact]
    public void Reshape_to_a_wrong_count_names_the_op_and_both_shapes()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.Equal("Reshape: a 2×3 tensor has 6 elements and cannot be reshaped to 4×2 (8 elements). (Parameter 'cols')",
            Assert.Throws<ArgumentException>(() => x.Reshape(4, 2)).Message);
        Assert.Equal("Reshape: a 2×3 tensor has 6 elements and cannot be reshaped to -1×4 (no whole number of rows fits). (Parameter 'cols')",
            Assert.Throws<ArgumentException>(() => x.Reshape(-1, 4)).Message);
        Assert.Throws<ArgumentException>(() => x.Reshape(-1, -1));
        Assert.Throws<ArgumentException>(() => x.Reshape(0, 6));
        // sizes that are neither positive nor a single −1 say so (−2×−3 was refused with "(6 elements)", the count it has)
        foreach (var (rows, cols) in new[] { (-2, -3), (-1, -1), (0, 6), (6, -2) })
        {
            // the −1 the caller can pass is written with ASCII '-' (adv16: it was U+2212, which no one can type as C#)
            string message = Assert.Throws<ArgumentException>(() => x.Reshape(rows, cols)).Message;
            string name = rows > 0 || rows == -1 ? "cols" : "rows";
            Assert.Equal($"Reshape: a 2×3 tensor cannot be reshaped to {rows}×{cols}: each size must be at least 1, or one of them -1 (inferred). (Parameter '{name}')", message);
            Assert.DoesNotContain('\u2212', message);
        }
    }

    private static readonly FsCheck.Arbitrary<(Matrix m, int r0, int rn, int c0, int cn)> Blocks = Arb.From(
        from m in Gens.Matrix(Gens.Value)
        from r0 in Gen.Choose(0, m.Rows - 1)
        from rn in Gen.Choose(1, m.Rows - r0)
        from c0 in Gen.Choose(0, m.Cols - 1)
        from cn in Gen.Choose(1, m.Cols - c0)
        select (m, r0, rn, c0, cn));

    [Fact]
    public void Slice_gradient_matches_finite_differences_and_range_indexers_agree() =>
        Properties.Check(Blocks, c =>
        {
            Properties.AssertGradCheck(x => x[0].Slice(c.r0, c.rn, c.c0, c.cn), c.m.ToTensor());
            var x = c.m.ToTensor();
            var block = x.Slice(c.r0, c.rn, c.c0, c.cn);
            Assert.Equal(block.ToFlatArray(), x[c.r0..(c.r0 + c.rn), c.c0..(c.c0 + c.cn)].ToFlatArray());
            for (int i = 0; i < c.rn; i++)
                for (int j = 0; j < c.cn; j++)
                    Assert.Equal(c.m[c.r0 + i, c.c0 + j], block[i, j]);
        });

    [Fact]
    public void Slice_gradient_is_the_upstream_gradient_at_the_block_and_zero_elsewhere()
    {
        var x = Tensor.From(Six, requiresGrad: true);
        (x[.., 1..] * 10.0).Sum().Backward();
        Assert.Equal(new double[,] { { 0, 10, 10 }, { 0, 10, 10 } }, x.Grad!.ToArray());
        x.ZeroGrad();
        x[^1..].Sum().Backward(); // the last row, as x[-1:] in PyTorch
        Assert.Equal(new double[,] { { 0, 0, 0 }, { 1, 1, 1 } }, x.Grad!.ToArray());
        Assert.Equal(new double[] { 4, 5, 6 }, x.SliceRows(1, 1).ToFlatArray());
    }

    [Fact]
    public void Slice_second_derivative_flows_through_the_pad_that_is_its_backward()
    {
        var x = Tensor.From(Six, requiresGrad: true);
        // f = Σ (x[:, 1:])³ → ∂f/∂x = 3x² on the block; its gradient Σ 3x² again: 6x on the block
        var g = Autograd.Grad(x[.., 1..].Pow(3).Sum(), [x], createGraph: true)[0];
        var h = Autograd.Grad(g.Sum(), [x])[0];
        Assert.Equal(new double[,] { { 0, 12, 18 }, { 0, 30, 36 } }, h.ToArray());
    }

    [Fact]
    public void A_slice_outside_the_tensor_names_the_op_the_ranges_and_the_shape()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.StartsWith("SliceRows: rows 1..3 (end exclusive) are not a non-empty range of a 2×3 tensor's 2 rows.",
            Assert.Throws<ArgumentOutOfRangeException>(() => x.SliceRows(1, 2)).Message);
        Assert.StartsWith("Slice: rows 1..3 and columns 0..3 (end exclusive) are not a non-empty block of a 2×3 tensor.",
            Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(1, 2, 0, 3)).Message);
        Assert.StartsWith("Indexer [rows, cols]: columns 2..5 are 2..5 (end exclusive), not a non-empty range of a 2×3 tensor's 3 columns.",
            Assert.Throws<ArgumentOutOfRangeException>(() => x[.., 2..5]).Message);
        Assert.StartsWith("Indexer [rows]: rows 1..1 are 1..1", Assert.Throws<ArgumentOutOfRangeException>(() => x[1..1]).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(-1, 1, 0, 1));
    }

    [Fact]
    public void Gather_gradient_matches_finite_differences_with_repeated_rows() =>
        Properties.Check(Arb.From(from m in Gens.Matrix(Gens.Value) from rows in Gen.ArrayOf(Gen.Choose(0, m.Rows - 1)).Where(r => r.Length > 0) select (m, rows)),
            c =>
            {
                Properties.AssertGradCheck(x => x[0].Gather(c.rows), c.m.ToTensor());
                var y = c.m.ToTensor().Gather(c.rows);
                for (int k = 0; k < c.rows.Length; k++)
                    for (int j = 0; j < c.m.Cols; j++)
                        Assert.Equal(c.m[c.rows[k], j], y[k, j]);
            });

    [Fact]
    public void Gather_backward_adds_up_the_gradients_of_a_repeated_row_and_its_second_derivative_too()
    {
        // torch.index_select(x, 0, [1, 0, 1]) then .sum(): the grad of row 1 is 2, of row 0 is 1 (index_add)
        var x = Tensor.From(Six, requiresGrad: true);
        x.Gather([1, 0, 1]).Sum().Backward();
        Assert.Equal(new double[,] { { 1, 1, 1 }, { 2, 2, 2 } }, x.Grad!.ToArray());
        var g = Autograd.Grad(x.Gather([1, 1]).Square().Sum(), [x], createGraph: true)[0]; // 4x on row 1
        Assert.Equal(new double[,] { { 0, 0, 0 }, { 16, 20, 24 } }, g.ToArray());
        Assert.Equal(new double[,] { { 0, 0, 0 }, { 4, 4, 4 } }, Autograd.Grad(g.Sum(), [x])[0].ToArray());
    }

    [Fact]
    public void Gather_with_a_bad_index_names_the_op_the_index_and_the_shape()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.StartsWith("Gather: row index 2 at position 1 is outside a 2×3 tensor (rows 0..1).",
            Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather([0, 2])).Message);
        Assert.StartsWith("Gather: no row indices for a 2×3 tensor", Assert.Throws<ArgumentException>(() => x.Gather([])).Message);
        Assert.Throws<ArgumentNullException>(() => x.Gather(null!));
    }

    [Fact]
    public void Gather_copies_its_indices_so_a_later_change_does_not_move_the_gradient()
    {
        var x = Tensor.From(Six, requiresGrad: true);
        int[] rows = [0];
        var y = x.Gather(rows);
        rows[0] = 1;
        y.Sum().Backward();
        Assert.Equal(new double[,] { { 1, 1, 1 }, { 0, 0, 0 } }, x.Grad!.ToArray());
    }

    private static readonly FsCheck.Arbitrary<(Matrix[] parts, int axis)> ConcatParts = Arb.From(
        from axis in Gen.Elements(0, 1)
        from shared in Gens.Dim
        from sizes in Gen.ArrayOf(Gens.Dim).Where(s => s.Length is > 0 and <= 5)
        from parts in Gen.CollectToArray(sizes.Select(n => axis == 0 ? Gens.MatrixOf(n, shared, Gens.Value) : Gens.MatrixOf(shared, n, Gens.Value)))
        select (parts, axis));

    [Fact]
    public void Concat_gradient_matches_finite_differences_for_every_part() =>
        Properties.Check(ConcatParts, c =>
        {
            var parts = c.parts.Select(p => p.ToTensor()).ToArray();
            Properties.AssertGradCheck(x => Tensor.Concat(x, c.axis), parts);
            var joined = Tensor.Concat(parts, c.axis);
            int offset = 0;
            foreach (var p in c.parts)
            {
                var block = c.axis == 0 ? joined.SliceRows(offset, p.Rows) : joined.Slice(0, p.Rows, offset, p.Cols);
                Assert.Equal(p.Values, block.ToFlatArray());
                offset += c.axis == 0 ? p.Rows : p.Cols;
            }
        });

    [Fact]
    public void Concat_of_several_parts_is_one_operation_with_every_part_as_an_input()
    {
        var a = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true, name: "a");
        var b = Tensor.From(new double[,] { { 3, 4 }, { 5, 6 } }, name: "b");
        var c = Tensor.From(new double[,] { { 7, 8 } }, requiresGrad: true, name: "c");
        var joined = Tensor.Concat([a, b, c], 0);
        Assert.Equal(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } }, joined.ToArray());
        Assert.Contains("from Concat(axis: 0)", joined.ToString());
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(Graph.ToDot(joined), "->").Count); // three edges in, one node
        (joined * Tensor.Arange<double>(1, 5)).Sum().Backward();
        Assert.Equal(new double[,] { { 1, 1 } }, a.Grad!.ToArray());
        Assert.Null(b.Grad);
        Assert.Equal(new double[,] { { 4, 4 } }, c.Grad!.ToArray());
    }

    [Fact]
    public void Concat_of_mismatched_parts_names_the_op_the_part_and_both_shapes()
    {
        var a = Tensor.Zeros<double>(2, 3);
        Assert.Equal("Concat(axis: 0): part 1 is 2×4 but part 0 is 2×3; stacking rows needs equal column counts. (Parameter 'parts')",
            Assert.Throws<ArgumentException>(() => Tensor.Concat([a, Tensor.Zeros<double>(2, 4)], 0)).Message);
        Assert.Equal("Concat(axis: 1): part 2 is 3×1 but part 0 is 2×3; joining columns needs equal row counts. (Parameter 'parts')",
            Assert.Throws<ArgumentException>(() => Tensor.Concat([a, a, Tensor.Zeros<double>(3, 1)], 1)).Message);
        Assert.StartsWith("Concat(axis: 2): axis must be 0", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Concat([a], 2)).Message);
        Assert.StartsWith("Concat: no tensors to join.", Assert.Throws<ArgumentException>(() => Tensor.Concat(Array.Empty<Tensor<double>>())).Message);
        Assert.StartsWith("Concat: part 1 is null.", Assert.Throws<ArgumentNullException>(() => Tensor.Concat([a, null!])).Message);
    }

    [Fact]
    public void Shape_ops_write_their_parameters_in_formulas_that_evaluate_back()
    {
        var x = Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } }, requiresGrad: true, name: "x");
        var w = Tensor.From(new double[,] { { 1, -1 }, { 2, 0.5 } }, requiresGrad: true, name: "w");
        (Tensor<double> Result, string Text)[] cases =
        [
            (x[1.., ..2], "slice[1, 2, 0, 2](x)"),
            (x.Gather([2, 0, 2]), "gather[2, 0, 2](x)"),
            (x.Reshape(1, -1), "reshape[1, 9](x)"),
            (Tensor.Concat([x, x, x], 1), "concat1(concat1(x, x), x)"),
            (x[..2, 1..].MatMul(w).Gather([1, 1]), "gather[1, 1](slice[0, 2, 1, 2](x) · w)"),
        ];
        foreach (var (result, text) in cases)
        {
            var formula = Symbolic.FromGraph(result);
            Assert.Equal(text, formula.Text);
            Assert.Equal(result.ToFlatArray(), formula.Evaluate().ToFlatArray());
            Assert.NotEmpty(formula.Latex);
        }
        // the gradients read back as pad and scatter, and evaluate to the tape's numbers
        var loss = x[1.., ..2].Gather([1, 0, 1]).Square().Sum();
        var gradient = Symbolic.Gradient(loss, x);
        Assert.Equal("pad[3, 3, 1, 0](scatter[2, 1, 0, 1](2 ⊙ gather[1, 0, 1](slice[1, 2, 0, 2](x))))", gradient.Text);
        Assert.Equal(Autograd.Grad(loss, [x])[0].ToFlatArray(), gradient.Evaluate().ToFlatArray());
    }

    [Fact]
    public void Linspace_and_arange_match_pytorch_in_double_and_float()
    {
        // torch.linspace(0, 1, 7) and torch.arange(0, 1, 0.1), float64 and float32
        Assert.Equal([0.0, 0.16666666666666666, 0.3333333333333333, 0.5, 0.6666666666666667, 0.8333333333333334, 1.0],
            Tensor.Linspace<double>(0, 1, 7).ToFlatArray());
        Assert.Equal([0f, 0.1666666716337204f, 0.3333333432674408f, 0.5f, 0.6666666269302368f, 0.8333333134651184f, 1f],
            Tensor.Linspace<float>(0, 1, 7).ToFlatArray());
        Assert.Equal([0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9],
            Tensor.Arange<double>(0, 1, 0.1).ToFlatArray());
        Assert.Equal([0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f], Tensor.Arange<float>(0, 1, 0.1).ToFlatArray());
        Assert.Equal(new Shape(5, 1), Tensor.Arange<double>(5).Shape);
        Assert.Equal([3.0, 1.0], Tensor.Arange<double>(3, 0, -2).ToFlatArray());
        Assert.Equal([2.0], Tensor.Linspace<double>(2, 5, 1).ToFlatArray());
    }

    [Fact]
    public void Linspace_and_arange_refuse_empty_or_endless_ranges_by_name()
    {
        Assert.StartsWith("Tensor.Arange: [0, 1) in steps of -1 holds no values", Assert.Throws<ArgumentException>(() => Tensor.Arange<double>(0, 1, -1)).Message);
        Assert.StartsWith("Tensor.Arange: the step must be a nonzero number; got 0", Assert.Throws<ArgumentException>(() => Tensor.Arange<double>(0, 1, 0)).Message);
        Assert.StartsWith("Tensor.Linspace: need finite ends and at least one step; got start 0, end 1, steps 0.",
            Assert.Throws<ArgumentException>(() => Tensor.Linspace<double>(0, 1, 0)).Message);
    }
}
