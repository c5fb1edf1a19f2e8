using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Ops;

public class BinaryCrossEntropyWithLogitsTests
{
    // z = torch.tensor([0., 0., 100., -100., 1000., -1000., 40., -40.]); y = [1, 0, 0, 1, 1, 1, 1, 0]
    private static readonly double[] Z = [0, 0, 100, -100, 1000, -1000, 40, -40];
    private static readonly double[] Y = [1, 0, 0, 1, 1, 1, 1, 0];

    [Fact]
    public void Gradient_matches_finite_differences_for_logits_and_targets() =>
        Properties.Check(Arb.From(from z in Gens.Matrix(Gens.Value) from y in Gens.MatrixOf(z.Rows, z.Cols, Gen.Choose(0, 1000).Select(k => k / 1000.0)) select (z, y)),
            c => Properties.AssertGradCheck(x => Loss.BinaryCrossEntropyWithLogits(x[0], x[1]), c.z.ToTensor(), c.y.ToTensor()));

    [Fact]
    public void Values_equal_the_textbook_formula_where_it_is_finite() =>
        Properties.Check(Arb.From(from z in Gens.Matrix(Gens.Value) from y in Gens.MatrixOf(z.Rows, z.Cols, Gen.Choose(0, 1000).Select(k => k / 1000.0)) select (z, y)),
            c =>
            {
                double expected = c.z.Values.Zip(c.y.Values, (z, y) => -(y * Math.Log(1 / (1 + Math.Exp(-z))) + (1 - y) * Math.Log(1 - 1 / (1 + Math.Exp(-z))))).Average();
                Assert.Equal(expected, Loss.BinaryCrossEntropyWithLogits(c.z.ToTensor(), c.y.ToTensor()).Item, 1e-13);
            });

    [Fact]
    public void At_zero_logits_the_gradient_is_sigma_minus_y_over_n_exactly_as_in_pytorch()
    {
        // The trap of issue 18: |z| written as relu(z) + relu(−z) gives [−0.5, 0]; PyTorch gives [−0.25, 0.25].
        var z = Tensor.From(new double[,] { { 0, 0 } }, requiresGrad: true);
        Loss.BinaryCrossEntropyWithLogits(z, Tensor.From(new double[,] { { 1, 0 } })).Backward();
        Assert.Equal(new double[,] { { -0.25, 0.25 } }, z.Grad!.ToArray());
        var f = Tensor.From(new float[,] { { 0, 0 } }, requiresGrad: true);
        Loss.BinaryCrossEntropyWithLogits(f, Tensor.From(new float[,] { { 1, 0 } })).Backward();
        Assert.Equal(new float[,] { { -0.25f, 0.25f } }, f.Grad!.ToArray());
    }

    [Fact]
    public void At_logits_of_plus_minus_1000_values_and_gradients_are_finite_and_match_pytorch()
    {
        var z = Tensor.FromRowMajor<double>(1, 8, Z, requiresGrad: true);
        var y = Tensor.FromRowMajor<double>(1, 8, Y);
        var elements = z.BinaryCrossEntropyWithLogitsElements(y).ToFlatArray();
        // PyTorch 1.13 rounds ln(1 + e^−40) to 0 where this form keeps it: 4.248e-18 (within 1e-17 absolute)
        Assert.Equal([0.6931471805599453, 0.6931471805599453, 100.0, 100.0, 0.0, 1000.0, 0.0, 0.0], elements, new Close(1e-16));
        var loss = Loss.BinaryCrossEntropyWithLogits(z, y);
        Assert.Equal(150.17328679513997, loss.Item, 1e-12);
        loss.Backward();
        Assert.Equal([-0.0625, 0.0625, 0.125, -0.125, 0.0, -0.125, 0.0, 5.310442819114486e-19], z.Grad!.ToFlatArray(), new Close(1e-16));
        Assert.Equal(5.310442819114486e-19, z.Grad![0, 7], 1e-30); // σ(−40)/8, not rounded away

        var zf = Tensor.FromRowMajor<float>(1, 8, Z.Select(v => (float)v).ToArray(), requiresGrad: true);
        var floatLoss = Loss.BinaryCrossEntropyWithLogits(zf, Tensor.FromRowMajor<float>(1, 8, Y.Select(v => (float)v).ToArray()));
        Assert.Equal(150.17327880859375f, floatLoss.Item, 2e-5f);
        floatLoss.Backward();
        Assert.Equal([-0.0625f, 0.0625f, 0.125f, -0.125f, 0f, -0.125f, 0f, 5.310442663923325e-19f], zf.Grad!.ToFlatArray());
    }

    [Fact]
    public void The_small_loss_of_a_confident_correct_logit_keeps_its_digits()
    {
        // ℓ(40, 1) = ln(1 + e^−40) = 4.248354255291589e-18, which ln(1 + u) as written rounds to 0
        var loss = Tensor.Scalar(40.0).BinaryCrossEntropyWithLogitsElements(Tensor.Scalar(1.0)).Item;
        Assert.Equal(4.248354255291589e-18, loss, 1e-32);
    }

    // A soft target near the logit's side: max(z, 0) − z·y cancels for z > 0 and y near 1 (20 − 19.8 in float lost 40 ulp),
    // where (1 − y)·z does not; for z < 0 the form −y·z is the exact one (PyTorch's (1 − y)·z + (−z) cancels there).
    // References: the loss evaluated in double (PyTorch 1.13, F.binary_cross_entropy_with_logits on float64, which
    // agrees with an exact rational evaluation to 1 ulp); for the double case the exact value, 40·(1 − y) + ln(1 + e^−40)
    // with y the double nearest 0.999999 (PyTorch's 4.0000000001150227e-05 drops the ln(1 + e^−40) = 4.2e-18).
    [Fact]
    public void Soft_targets_on_either_side_keep_their_digits()
    {
        float[] z = [20, 8, 5, -20, -8, 3];
        float[] y = [0.99f, 0.999f, 0.9f, 0.01f, 0.001f, 0.95f];
        double[] reference = [0.1999998113262904, 0.00833530337606949, 0.5067154676984075, 0.19999999759080533, 0.008335406752875273, 0.19858738733652884];
        for (int i = 0; i < z.Length; i++)
        {
            float loss = Loss.BinaryCrossEntropyWithLogits(Tensor.FromRowMajor(1, 1, [z[i]]), Tensor.FromRowMajor(1, 1, [y[i]])).Item;
            double relative = Math.Abs(loss - reference[i]) / reference[i];
            Assert.True(relative <= 3e-7, $"z = {z[i]}, y = {y[i]}: {loss:R} against {reference[i]:R} (relative error {relative:E2})");
        }
        double d = Loss.BinaryCrossEntropyWithLogits(Tensor.FromRowMajor(1, 1, [40.0]), Tensor.FromRowMajor(1, 1, [0.999999])).Item;
        Assert.True(Math.Abs(d - 4.0000000001154475e-05) <= 4e-16 * 4e-5, $"{d:R} against 4.0000000001154475E-05");
    }

    [Fact]
    public void Fused_and_recorded_gradients_agree_for_logits_and_targets() =>
        Properties.Check(Arb.From(from z in Gens.Matrix(Gens.Value) from y in Gens.MatrixOf(z.Rows, z.Cols, Gen.Choose(0, 1000).Select(k => k / 1000.0)) select (z, y)),
            c =>
            {
                var z = c.z.ToTensor();
                var y = c.y.ToTensor();
                var fused = Autograd.Grad(Loss.BinaryCrossEntropyWithLogits(z, y), [z, y]);
                var recorded = Autograd.Grad(Loss.BinaryCrossEntropyWithLogits(z, y), [z, y], createGraph: true);
                for (int k = 0; k < 2; k++)
                {
                    Assert.Equal(fused[k].ToFlatArray(), recorded[k].ToFlatArray(), new Close(1e-15));
                }
            });

    [Fact]
    public void A_zero_initialised_logistic_regression_starts_with_the_right_gradient_and_fits_separable_data()
    {
        // the starting point where the relu-based |z| gets the gradient wrong: w = 0, so every logit is exactly 0
        var x = Tensor.From(new double[,] { { 1, 2, 1 }, { 2, 1, 1 }, { -1, -2, 1 }, { -2, -1, 1 }, { 1.5, 1.5, 1 }, { -1.5, -1, 1 } });
        var y = Tensor.From(new double[,] { { 1 }, { 1 }, { 0 }, { 0 }, { 1 }, { 0 } });
        var w = Tensor.Zeros<double>(3, 1, requiresGrad: true);
        Loss.BinaryCrossEntropyWithLogits(x.MatMul(w), y).Backward();
        var expected = x.Transpose().MatMul(0.5 - y) * (1.0 / 6); // Xᵀ(σ(0) − y)/n
        Assert.Equal(expected.ToFlatArray(), w.Grad!.ToFlatArray(), new Close(1e-15)); // summation order: an ulp
        for (int step = 0; step < 200; step++)
        {
            w.ZeroGrad();
            var loss = Loss.BinaryCrossEntropyWithLogits(x.MatMul(w), y);
            loss.Backward();
            using (Tensor.NoGrad())
            {
                w.CopyFrom(w - w.Grad! * 1.0);
            }
        }
        var logits = x.MatMul(w).ToFlatArray();
        Assert.All(logits.Zip(y.ToFlatArray()), p => Assert.True(p.First > 0 == p.Second > 0.5, $"logit {p.First} for label {p.Second}"));
        Assert.True(Loss.BinaryCrossEntropyWithLogits(x.MatMul(w), y).Item < 0.05);
    }

    [Fact]
    public void Mismatched_shapes_name_the_loss_and_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Loss.BinaryCrossEntropyWithLogits(Tensor.Zeros<double>(4, 1), Tensor.Zeros<double>(1, 4)));
        Assert.StartsWith("BinaryCrossEntropyWithLogits: the logits are 4×1 but the targets are 1×4; they must match.", error.Message);
        Assert.Throws<ArgumentNullException>(() => Loss.BinaryCrossEntropyWithLogits(Tensor.Zeros<double>(4, 1), null!));
    }
}
