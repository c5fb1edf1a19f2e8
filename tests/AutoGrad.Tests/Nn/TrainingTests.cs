using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Nn;

public class TrainingTests
{
    private static readonly Tensor<double> XorInputs = Tensor.From(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
    private static readonly Tensor<double> XorTargets = Tensor.From(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });

    private static (Mlp<double> Model, double Loss) TrainXor(int seed, int epochs = 3000)
    {
        var model = new Mlp<double>([2, 4, 1], [Activation.Tanh, Activation.Sigmoid], new Random(seed));
        var sgd = new Sgd<double>(model.Parameters, 0.5);
        double loss = double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            sgd.ZeroGrad();
            var l = Loss.MeanSquaredError(model.Forward(XorInputs), XorTargets);
            l.Backward();
            sgd.Step();
            loss = l.Item;
        }
        return (model, loss);
    }

    [Fact]
    public void A_two_layer_mlp_learns_xor_to_a_loss_below_0_01()
    {
        var (model, loss) = TrainXor(seed: 1);
        Assert.True(loss < 0.01, $"final loss {loss}");
        var prediction = model.Forward(XorInputs);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(XorTargets[i, 0], Math.Round(prediction[i, 0]));
        }
    }

    [Fact]
    public void Training_the_same_seeded_mlp_twice_gives_bit_for_bit_the_same_weights()
    {
        var first = TrainXor(seed: 2, epochs: 200).Model.Parameters.SelectMany(p => p.ToFlatArray()).ToArray();
        var second = TrainXor(seed: 2, epochs: 200).Model.Parameters.SelectMany(p => p.ToFlatArray()).ToArray();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Sgd_step_is_w_minus_learning_rate_times_gradient_eq_78() =>
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            var w = m.ToTensor();
            (w.Sigmoid() * w).Sum().Backward();
            var before = w.ToFlatArray();
            var grad = w.Grad!.ToFlatArray();
            var sgd = new Sgd<double>([w], 0.25);
            sgd.Step();
            for (int i = 0; i < before.Length; i++)
            {
                Assert.Equal(before[i] - 0.25 * grad[i], w.AsSpan()[i], 1e-15);
            }
            Assert.Equal(1, w.Version);
            sgd.ZeroGrad();
            Assert.Null(w.Grad);
        });

    [Fact]
    public void Sgd_refuses_a_tensor_that_is_not_a_trainable_leaf()
    {
        var x = Tensor.Scalar(1.0, requiresGrad: true);
        Assert.Throws<ArgumentException>(() => new Sgd<double>([x * 2.0], 0.1));
        Assert.Throws<ArgumentException>(() => new Sgd<double>([Tensor.Scalar(1.0)], 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>([x], -0.1));
    }

    [Fact]
    public void Linear_computes_x_times_w_transposed_plus_b_and_its_gradients_check() =>
        Properties.Check(Arb.From(from n in Gens.Dim from i in Gens.Dim from o in Gens.Dim
                                  from x in Gens.MatrixOf(n, i, Gens.Value)
                                  from w in Gens.MatrixOf(o, i, Gens.Value)
                                  from b in Gens.MatrixOf(1, o, Gens.Value)
                                  select (x, w, b)),
            c =>
            {
                var layer = new Linear<double>(c.w.ToTensor(), c.b.ToTensor());
                var z = layer.Forward(c.x.ToTensor(false));
                var expected = Reference.MatMul(c.x, new Matrix(c.w.Cols, c.w.Rows, c.w.ToTensor().Transpose().ToFlatArray()));
                for (int r = 0; r < z.Rows; r++)
                {
                    for (int k = 0; k < z.Cols; k++)
                    {
                        Assert.Equal(expected[r, k] + c.b[0, k], z[r, k], 1e-12);
                    }
                }
                Properties.AssertGradCheck(p => new Linear<double>(p[0], p[1]).Forward(p[2]), layer.Weight, layer.Bias!, c.x.ToTensor());
            });

    [Fact]
    public void Linear_refuses_an_input_with_the_wrong_number_of_features()
    {
        var layer = new Linear<double>(3, 2, new Random(0));
        var error = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros<double>(4, 5)));
        Assert.Contains("the input is 4×5 but the layer takes 3 features", error.Message);
    }

    [Fact]
    public void Linear_initialisation_is_seeded_and_bounded_by_one_over_root_fan_in()
    {
        var a = new Linear<double>(16, 8, new Random(4));
        var b = new Linear<double>(16, 8, new Random(4));
        Assert.Equal(a.Weight.ToFlatArray(), b.Weight.ToFlatArray());
        Assert.All(a.Weight.ToFlatArray(), v => Assert.InRange(v, -0.25, 0.25));
        Assert.Null(new Linear<double>(2, 2, new Random(0), bias: false).Bias);
    }

    [Fact]
    public void Mlp_with_mixed_activations_has_gradients_that_check()
    {
        var random = new Random(9);
        var model = new Mlp<double>([3, 5, 4, 2], [Activation.Relu, Activation.Tanh, Activation.Identity], random);
        var x = Tensor.RandomNormal<double>(6, 3, random);
        var y = Tensor.RandomNormal<double>(6, 2, random);
        var parameters = model.Parameters.ToArray();
        Properties.AssertGradCheck(_ => Loss.HalfSumSquared(model.Forward(x), y), parameters);
    }

    [Fact]
    public void Mlp_refuses_mismatched_sizes_and_activations() =>
        Assert.Throws<ArgumentException>(() => new Mlp<double>([2, 3, 1], [Activation.Relu], new Random(0)));

    [Fact]
    public void Loss_conventions_have_the_notes_gradients() =>
        Properties.Check(Arb.From(from n in Gens.Dim from c in Gens.Dim
                                  from p in Gens.MatrixOf(n, c, Gens.Value) from t in Gens.MatrixOf(n, c, Gens.Value)
                                  select (p, t)),
            c =>
            {
                int n = c.p.Rows, count = c.p.Values.Length;
                void Expect(Func<Tensor<double>, Tensor<double>, Tensor<double>> loss, double value, double gradScale)
                {
                    var prediction = c.p.ToTensor();
                    var l = loss(prediction, c.t.ToTensor(false));
                    Assert.Equal(value, l.Item, 1e-12);
                    l.Backward();
                    for (int i = 0; i < count; i++)
                    {
                        Assert.Equal(gradScale * (c.p.Values[i] - c.t.Values[i]), prediction.Grad!.AsSpan()[i], 1e-12);
                    }
                }
                double sumSq = c.p.Values.Zip(c.t.Values, (a, b) => (a - b) * (a - b)).Sum();
                Expect(Loss.HalfSumSquared, 0.5 * sumSq, 1);                   // ½‖y − ŷ‖²: ŷ − y
                Expect(Loss.HalfMeanSquared, sumSq / (2.0 * n), 1.0 / n);     // 1/(2N) Σ: (ŷ − y)/N
                Expect(Loss.SumSquared, sumSq, 2);                             // ‖y − ŷ‖²: 2(ŷ − y)
                Expect(Loss.MeanSquaredError, sumSq / count, 2.0 / count);     // mean: 2(ŷ − y)/count
            });

    [Fact]
    public void A_loss_of_mismatched_shapes_names_both()
    {
        var error = Assert.Throws<ArgumentException>(() => Loss.MeanSquaredError(Tensor.Zeros<double>(4, 1), Tensor.Zeros<double>(1, 4)));
        Assert.Equal("MeanSquaredError: the prediction is 4×1 but the target is 1×4; they must match. (Parameter 'target')", error.Message);
        Assert.Equal("target", error.ParamName);
    }
}
