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
            Tensor.RandomNormal<T>(8, 5, new Random(1), requiresGrad: true, name: "W"),
            Tensor.RandomNormal<T>(1, 8, new Random(2), requiresGrad: true, name: "b"),
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
