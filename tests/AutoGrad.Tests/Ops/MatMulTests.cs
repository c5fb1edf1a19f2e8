using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class MatMulTests
{
    [Fact]
    public void MatMul_gradient_matches_finite_differences() =>
        Properties.Check(Gens.MatMulPair(), pair =>
            Properties.AssertGradCheck(x => x[0].MatMul(x[1]), pair.A.ToTensor(), pair.B.ToTensor()));

    [Fact]
    public void MatMul_values_match_the_textbook_triple_loop() =>
        Properties.Check(Gens.MatMulPair(), pair =>
        {
            var product = pair.A.ToTensor().MatMul(pair.B.ToTensor()).ToArray();
            var expected = Reference.MatMul(pair.A, pair.B);
            for (int i = 0; i < expected.GetLength(0); i++)
            {
                for (int j = 0; j < expected.GetLength(1); j++)
                {
                    Assert.Equal(expected[i, j], product[i, j], 1e-12);
                }
            }
        });

    [Fact]
    public void MatMul_transposed_forms_equal_the_product_of_materialised_transposes_and_their_gradients_check() =>
        Properties.Check(
            Arb.From(from pair in Gens.MatMulPair().Generator from ta in Gen.Elements(false, true) from tb in Gen.Elements(false, true) select (pair, ta, tb)),
            c =>
            {
                var a = c.pair.A.ToTensor();
                var b = c.pair.B.ToTensor();
                var storedA = c.ta ? a.Transpose().Detach() : a.Detach();
                var storedB = c.tb ? b.Transpose().Detach() : b.Detach();
                storedA.RequiresGrad = true;
                storedB.RequiresGrad = true;
                var fused = Tensor<double>.MatMul(storedA, storedB, c.ta, c.tb);
                var expected = a.MatMul(b);
                Assert.Equal(expected.Shape, fused.Shape);
                for (int i = 0; i < fused.Length; i++)
                {
                    Assert.Equal(expected.AsSpan()[i], fused.AsSpan()[i], 1e-12);
                }
                Properties.AssertGradCheck(x => Tensor<double>.MatMul(x[0], x[1], c.ta, c.tb), storedA, storedB);
            });

    [Fact]
    public void MatMul_gradient_of_A_is_upstream_times_B_transposed()
    {
        var a = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true);
        var b = Tensor.From(new double[,] { { 3 }, { 4 } }, requiresGrad: true);
        a.MatMul(b).Backward();
        Assert.Equal(new double[,] { { 3, 4 } }, a.Grad!.ToArray());
        Assert.Equal(new double[,] { { 1 }, { 2 } }, b.Grad!.ToArray());
    }

    [Fact]
    public void MatMul_with_mismatched_inner_dimensions_names_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(3, 4).MatMul(Tensor.Zeros<double>(5, 2)));
        Assert.Equal("MatMul: (3×4) · (5×2): inner dimensions 4 and 5 differ.", error.Message);
    }
}
