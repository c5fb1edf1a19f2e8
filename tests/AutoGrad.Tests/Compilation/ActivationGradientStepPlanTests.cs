using AutoGrad.Compilation;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A compiled function that differentiates σ or tanh with <c>createGraph: true</c> (a gradient penalty) records the
/// activation's gradient, Sigmoid′ or Tanh′, and its training step differentiates that again (Sigmoid″, Tanh″): both are
/// <see cref="ActivationGradientStep{T, TOp}"/>s, element-wise, so they fuse with the element-wise steps around them
/// into one pass over the elements, and the step's numbers are the eager ones. Session fifteen's run F left
/// <c>IsElementwise =&gt; false</c> alive: no plan with such a step was looked at.
/// </summary>
public class ActivationGradientStepPlanTests
{
    private static readonly string NewLine = Environment.NewLine;

    /// <summary>Σ (∂Σf(x ⊙ a)/∂a ⊙ x): the gradient with respect to a is recorded, so its own gradient is f″.</summary>
    private static Func<Tensor<double>, Tensor<double>> Penalty(Tensor<double> a, bool tanh) => x =>
    {
        var z = x * a;
        var y = tanh ? z.Tanh() : z.Sigmoid();
        var g = Autograd.Grad(y.Sum(), [a], createGraph: true)[0];
        return (g * x).Sum();
    };

    private static Tensor<double> Parameter() => Tensor.RandomNormal<double>(4, 3, new Random(2), requiresGrad: true);

    private static Tensor<double> Data(int seed) => Tensor.RandomNormal<double>(4, 3, new Random(seed));

    [Theory]
    [InlineData(false, "Sigmoid")]
    [InlineData(true, "Tanh")]
    public void The_recorded_activation_gradient_and_its_derivative_fuse_with_their_element_wise_neighbours(bool tanh, string name)
    {
        var step = Tensor.Compile(Penalty(Parameter(), tanh));
        step.Run(Data(3));
        IReadOnlyList<PlanStep<double>> steps = step.LatestPlan!.Steps;

        Assert.Equal(
            string.Join(NewLine,
                "fused, 1 band(s) of ≤ 12 elements   4×3",
                "    t0 = Hadamard(x0, p0)   4×3",
                $"    t1 = {name}(t0)   4×3",
                $"    t2 = {name}′(c0, t0, t1)   4×3",
                "    t3 = Hadamard(t2, x0)   4×3",
                "    t2 = Hadamard(t3, x0)   4×3",
                "t4 = Sum(t2)   1×1",
                "fused, 1 band(s) of ≤ 12 elements   4×3",
                "    t3 = Hadamard(c1, x0)   4×3",
                "    t5 = Hadamard(t3, x0)   4×3",
                $"    t3 = {name}″(t5, c0, t0, t1)   4×3",
                "    t1 = Hadamard(t3, x0)   4×3"),
            string.Join(NewLine, steps.Select(s => s.Describe())));
        PlanStep<double>[] activation = steps.SelectMany(s => s.Parts).Where(p => p.Name.StartsWith(name + "′", StringComparison.Ordinal) || p.Name.StartsWith(name + "″", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, activation.Length);
        Assert.All(activation, p => Assert.True(p.IsElementwise && p.RunsByRows, $"{p.Describe()} is not run element by element"));
        Assert.All(activation, p => Assert.StartsWith("ActivationGradientStep", p.GetType().Name, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_compiled_second_order_step_gives_the_eager_loss_and_gradient(bool tanh)
    {
        var eagerA = Parameter();
        var compiledA = Parameter();
        var step = Tensor.Compile(Penalty(compiledA, tanh));
        for (int call = 0; call < 3; call++)
        {
            eagerA.ZeroGrad();
            compiledA.ZeroGrad();
            var loss = Penalty(eagerA, tanh)(Data(10 + call));
            loss.Backward();
            var compiledLoss = step.Run(Data(10 + call));
            Assert.Equal(loss.ToFlatArray()[0], compiledLoss);
            Assert.Equal(eagerA.Grad!.ToFlatArray(), compiledA.Grad!.ToFlatArray());
        }
    }
}
