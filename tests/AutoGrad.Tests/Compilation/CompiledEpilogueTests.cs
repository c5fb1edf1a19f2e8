using System.Numerics;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A product followed by an element-wise operation with a row (a bias add) that alone reads the product's result runs
/// that operation in the product's epilogue, one step instead of two. The plan says so, and the step still gives the
/// eager bits: loss, gradients and SGD-updated parameters, with the product on either side of the operator; a product
/// whose result has a second reader keeps its own step.
/// </summary>
public class CompiledEpilogueTests
{
    private static void CompiledMatchesEager<T>(Func<Tensor<T>[], Tensor<T>, Tensor<T>> loss, int batch, string[] planHas, string[] planHasNot)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T>[] Parameters() =>
        [
            // 16 outputs: a whole number of vectors at every SIMD width (8 doubles or 16 floats with AVX-512), which the
            // epilogue needs; 8 would leave float on AVX-512 machines without it.
            Tensor.RandomNormal<T>(16, 5, new Random(1), requiresGrad: true, name: "W"),
            Tensor.RandomNormal<T>(1, 16, new Random(2), requiresGrad: true, name: "b"),
        ];
        var eager = Parameters();
        var compiled = Parameters();
        var eagerSgd = new Sgd<T>(eager, T.CreateChecked(0.1));
        var step = Tensor.Compile((Tensor<T> x) => loss(compiled, x), new Sgd<T>(compiled, T.CreateChecked(0.1)));
        var random = new Random(3);
        for (int call = 0; call < 3; call++)
        {
            var x = Tensor.RandomNormal<T>(batch, 5, random);
            eagerSgd.ZeroGrad();
            var value = loss(eager, x);
            value.Backward();
            eagerSgd.Step();
            Assert.Equal(value.Item, step.Run(x));
        }
        foreach (var (e, c) in eager.Zip(compiled))
        {
            Assert.Equal(e.ToFlatArray(), c.ToFlatArray());
            Assert.Equal(e.Grad!.ToFlatArray(), c.Grad!.ToFlatArray());
        }
        string plan = step.DescribePlan();
        foreach (string text in planHas)
        {
            Assert.Contains(text, plan);
        }
        foreach (string text in planHasNot)
        {
            Assert.DoesNotContain(text, plan);
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(7)] // edge tiles: rows that are not a whole tile
    public void A_bias_add_runs_in_the_products_epilogue_with_the_eager_bits(int batch)
    {
        static Tensor<T> Loss<T>(Tensor<T>[] p, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
            (Tensor<T>.MatMul(x, p[0], false, true) + p[1]).Sigmoid().Square().Sum();
        CompiledMatchesEager<double>(Loss, batch, ["then Add(·, b) in its epilogue"], []);
        CompiledMatchesEager<float>(Loss, batch, ["then Add(·, b) in its epilogue"], []);
    }

    [Fact]
    public void The_row_may_come_first_and_the_operator_be_a_subtraction()
    {
        static Tensor<T> RowFirst<T>(Tensor<T>[] p, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
            (p[1] - Tensor<T>.MatMul(x, p[0], false, true)).Tanh().Square().Sum();
        CompiledMatchesEager<double>(RowFirst, 32, ["then Sub(b, ·) in its epilogue"], []);
        CompiledMatchesEager<float>(RowFirst, 32, ["then Sub(b, ·) in its epilogue"], []);
    }

    /// <summary>
    /// A sigmoid MLP step (one row): the bias adds and σ′ after ∂H = ∂Z₂·W₂ run in the products' epilogues. Later calls whose hidden
    /// pre-activations reach far left (−745 &lt; z &lt; −708, σ(z) subnormal), with a loss scaled by 10²⁸⁰ so that
    /// σ′'s upstream gradient is huge and its span kernel's split-form correction (g·eᶻ) changes bits, make the epilogue
    /// hand over to the two steps as they are: still the eager bits.
    /// </summary>
    [Fact]
    public void Sigmoid_gradient_runs_in_the_epilogue_and_hands_far_left_values_back_to_its_span_kernel()
    {
        foreach (double scale in new[] { 1.0, 700.0 })
        {
            Mlp<double> Make() => new([16, 32, 4], [Activation.Sigmoid, Activation.Sigmoid], new Random(5));
            var eager = Make();
            var compiled = Make();
            double factor = scale > 1 ? 1e280 : 1;
            var eagerSgd = new Sgd<double>(eager.Parameters, 0.01);
            var compiledSgd = new Sgd<double>(compiled.Parameters, 0.01); // its ZeroGrad only: gradients compared, not updates
            var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.HalfSumSquared(compiled.Forward(x), y) * factor);
            var random = new Random(6);
            bool corrected = false;
            for (int call = 0; call < 8; call++)
            {
                // the first call (the trace) ordinary; then inputs scaled so that some hidden z lie far left. One row:
                // ∂W₁ = δ₁ᵀ·x then shows each δ₁ on its own (in a batch the other rows' huge values absorb it)
                var x = Tensor.RandomNormal<double>(1, 16, random, std: call == 0 ? 1 : scale);
                var y = Tensor.RandomUniform<double>(1, 4, random);
                eagerSgd.ZeroGrad();
                compiledSgd.ZeroGrad();
                var loss = Loss.HalfSumSquared(eager.Forward(x), y) * factor;
                loss.Backward();
                Assert.Equal(loss.Item, step.Run(x, y));
                foreach (var (e, c) in eager.Parameters.Zip(compiled.Parameters))
                {
                    Assert.Equal(e.Grad!.ToFlatArray(), c.Grad!.ToFlatArray());
                }
                var z = (Tensor<double>.MatMul(x, eager.Layers[0].Weight, false, true) + eager.Layers[0].Bias!).ToFlatArray();
                corrected |= z.Any(v => v is < -710 and > -744);
            }
            Assert.Equal(scale > 1, corrected); // the far-left case really occurred, and only where meant
            Assert.Matches(@"MatMul\(t\d+, W_2\), then Sigmoid′\(·, t\d+, t\d+\) in its epilogue", step.DescribePlan());
        }
    }

    [Fact]
    public void A_product_read_twice_keeps_its_own_step()
    {
        static Tensor<T> Loss<T>(Tensor<T>[] p, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            Tensor<T> z = Tensor<T>.MatMul(x, p[0], false, true);
            return (z + p[1]).Sigmoid().Square().Sum() + z.Square().Sum();
        }
        CompiledMatchesEager<double>(Loss, 32, [], ["in its epilogue"]);
    }
}
