using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A compiled step with one of the library's optimizers updates each parameter in a step of its own, placed right
/// after the step that finishes the parameter's gradient (and the last step that reads the parameter) instead of in a
/// pass after the whole backward pass. It must still give the eager bits — including when the caller's input is the
/// very array of a parameter, where a later step would otherwise read the updated values.
/// </summary>
public class CompiledUpdatePlacementTests
{
    [Fact]
    public void Each_parameter_is_updated_where_its_gradient_is_finished_not_after_the_backward_pass()
    {
        var model = new Mlp<double>([3, 5, 2], [Activation.Sigmoid, Activation.Sigmoid], new Random(1));
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.HalfSumSquared(model.Forward(x), y),
            new Sgd<double>(model.Parameters, 0.1));
        step.Run(Tensor.RandomNormal<double>(4, 3, new Random(2)), Tensor.RandomUniform<double>(4, 2, new Random(3)));
        string[] lines = step.DescribePlan().Split(Environment.NewLine);
        string plan = string.Join(Environment.NewLine, lines);
        foreach (string name in new[] { "W_1", "b_1", "W_2", "b_2" })
        {
            int gradient = Array.FindIndex(lines, l => l.StartsWith($"  {name}.Grad = ", StringComparison.Ordinal));
            int update = Array.FindIndex(lines, l => l.Contains($"Sgd update of '{name}'", StringComparison.Ordinal));
            Assert.True(gradient >= 0 && update == gradient + 1, $"{name}'s update should be the step right after its gradient's:{Environment.NewLine}{plan}");
        }
    }

    /// <summary>
    /// Σ(A ⊙ B) + Σ(x·C) with x = A.Detach(): A's gradient (B) is finished before C's (xᵀ·1), which reads A's array. The
    /// eager Step updates A after the whole backward pass, so C's gradient sees the old A; the compiled step must too.
    /// </summary>
    [Fact]
    public void An_input_that_shares_a_parameters_array_sees_the_values_before_the_update_as_in_the_eager_step()
    {
        (Tensor<double> A, Tensor<double> B, Tensor<double> C, Sgd<double> Sgd) Make()
        {
            var a = Tensor.RandomNormal<double>(3, 4, new Random(1), requiresGrad: true);
            var b = Tensor.RandomNormal<double>(3, 4, new Random(2), requiresGrad: true);
            var c = Tensor.RandomNormal<double>(4, 2, new Random(3), requiresGrad: true);
            return (a, b, c, new Sgd<double>([a, b, c], 0.5));
        }
        static Tensor<double> Loss(Tensor<double> x, Tensor<double> a, Tensor<double> b, Tensor<double> c) => (a * b).Sum() + x.MatMul(c).Sum();
        var (ea, eb, ec, eagerSgd) = Make();
        var (ca, cb, cc, compiledSgd) = Make();
        var step = Tensor.Compile((Tensor<double> x) => Loss(x, ca, cb, cc), compiledSgd);
        for (int i = 0; i < 3; i++)
        {
            eagerSgd.ZeroGrad();
            var loss = Loss(ea.Detach(), ea, eb, ec);
            loss.Backward();
            eagerSgd.Step();
            Assert.Equal(loss.Item, step.Run(ca.Detach()));
            Assert.Equal(ea.ToFlatArray(), ca.ToFlatArray());
            Assert.Equal(eb.ToFlatArray(), cb.ToFlatArray());
            Assert.Equal(ec.ToFlatArray(), cc.ToFlatArray());
            Assert.Equal(ec.Grad!.ToFlatArray(), cc.Grad!.ToFlatArray());
        }
    }
}
