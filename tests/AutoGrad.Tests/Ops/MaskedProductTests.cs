using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// MaskedProduct, the operation the selecting backward rules record: z = a ⊙ m, +0 where m = 0 whatever a is.
/// It has no public method; the backward rules of Relu, Clamp, Maximum and Max/Min(axis) reach it.
/// </summary>
public class MaskedProductTests
{
    private static readonly Gen<double> Special = Gen.Frequency(
        (3, Gens.Value),
        (1, Gen.Elements(0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN)));

    private static readonly Gen<double> Mask = Gen.Elements(0.0, 0.5, 1.0, -0.0, 2.0);

    private static bool SameBits(double expected, double actual) =>
        double.IsNaN(expected) ? double.IsNaN(actual) : expected == actual && double.IsNegative(expected) == double.IsNegative(actual);

    [Fact]
    public void MaskedProduct_is_the_product_where_the_mask_is_not_zero_and_plus_zero_where_it_is_with_broadcasting() =>
        Properties.Check(Gens.BroadcastPair(Special, Mask), pair =>
        {
            var z = pair.A.ToTensor(false).MaskedProduct(pair.B.ToTensor(false));
            var b = pair.B.ToTensor(false);
            var a = pair.A.ToTensor(false);
            for (int r = 0; r < z.Rows; r++)
            {
                for (int c = 0; c < z.Cols; c++)
                {
                    double x = a[a.Rows == 1 ? 0 : r, a.Cols == 1 ? 0 : c], m = b[b.Rows == 1 ? 0 : r, b.Cols == 1 ? 0 : c];
                    double expected = m == 0 ? 0.0 : x * m;
                    Assert.True(SameBits(expected, z[r, c]), $"({r}, {c}): {x} masked by {m} gave {z[r, c]}, expected {expected}");
                }
            }
        });

    [Fact]
    public void MaskedProduct_span_vector_and_scalar_forms_give_the_same_bits_at_every_length() =>
        Properties.Check(Gens.Spans(Special, 40), a =>
        {
            double[] m = a.Select((_, i) => (i % 3) * 0.5).ToArray();
            var span = new double[a.Length];
            MaskedProductOperator.Invoke<double>(a, m, span);
            for (int i = 0; i < a.Length; i++)
            {
                Assert.True(SameBits(MaskedProductOperator.Invoke(a[i], m[i]), span[i]), $"element {i} of {a.Length}");
            }
        });

    [Fact]
    public void MaskedProduct_gradient_matches_finite_differences_for_every_broadcast_case() =>
        Properties.Check(Gens.BroadcastPair(), pair =>
            Properties.AssertGradCheck(x => x[0].MaskedProduct(x[1]), pair.A.ToTensor(), pair.B.ToTensor()));

    [Fact]
    public void MaskedProduct_gradient_of_a_selects_again_and_that_of_the_mask_is_upstream_times_a()
    {
        var a = Tensor.From(new double[,] { { 1, double.PositiveInfinity, 3, double.NaN } }, requiresGrad: true);
        var m = Tensor.From(new double[,] { { 0, 0, 0.5, 1 } }, requiresGrad: true);
        a.MaskedProduct(m).Backward(Tensor.From(new double[,] { { double.NaN, -2, double.NegativeInfinity, 4 } }));
        double[] ga = a.Grad!.ToFlatArray(), gm = m.Grad!.ToFlatArray();
        Assert.True(SameBits(0.0, ga[0]) && SameBits(0.0, ga[1]), $"∂/∂a where m = 0: {ga[0]}, {ga[1]}");
        Assert.Equal(double.NegativeInfinity, ga[2]);
        Assert.Equal(4.0, ga[3]);
        Assert.True(double.IsNaN(gm[0]), "∂/∂m = g·a: NaN · 1"); // the mask's own gradient is a plain product
        Assert.Equal(double.NegativeInfinity, gm[1]);
    }

    [Fact]
    public void MaskedProduct_records_a_gradient_that_selects_to_second_order()
    {
        var a = Tensor.From(new double[,] { { 2, 3 } }, requiresGrad: true);
        var m = Tensor.From(new double[,] { { 0, 1 } });
        var g = Tensor.From(new double[,] { { 5, 7 } }, requiresGrad: true);
        Tensor<double> ga = Autograd.Grad(a.MaskedProduct(m), [a], createGraph: true, seed: g)[0];
        Assert.Equal("MaskedProduct", ga.Creator!.Name);
        double[] ofSeed = Autograd.Grad(ga, [g], seed: Tensor.From(new double[,] { { double.PositiveInfinity, -1 } }))[0].ToFlatArray();
        Assert.True(SameBits(0.0, ofSeed[0]), $"∞ where m = 0 gave {ofSeed[0]}");
        Assert.Equal(-1.0, ofSeed[1]);
    }

    [Fact]
    public void MaskedProduct_of_shapes_that_do_not_broadcast_names_the_op_and_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(3, 1).MaskedProduct(Tensor.Zeros<double>(2, 5)));
        Assert.Contains("MaskedProduct: shapes (3×1) and (2×5)", error.Message);
    }
}
