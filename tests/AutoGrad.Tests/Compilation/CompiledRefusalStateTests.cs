using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A refused compiled call changes nothing: no parameter, no <c>Grad</c>, no optimizer state. A checked call
/// (<see cref="CompileOptions.CheckEachCall"/>) that finds the compiled result differing from the eager one refuses
/// before the plan has written a gradient or updated a parameter; a compiled step with an optimizer derived outside
/// the library (called as ZeroGrad/Step around the plan) clears the gradients only once nothing can refuse the call.
/// </summary>
public class CompiledRefusalStateTests
{
    /// <summary>An optimizer written outside the library: the compiled step calls its ZeroGrad and Step around the plan.</summary>
    private sealed class PlainDescent(IEnumerable<Tensor<double>> parameters) : Optimizer<double>("PlainDescent", parameters, 0.1)
    {
        public override void Step()
        {
            using (Tensor.NoGrad())
            {
                foreach (var p in Parameters)
                {
                    if (p.Grad is { } g)
                    {
                        p.CopyFrom(p.ToFlatArray().Zip(g.ToFlatArray(), (v, d) => v - LearningRate * d).ToArray());
                    }
                }
            }
        }
    }

    public sealed record Case(int Optimizer, int Loss, int Rows, int Seed)
    {
        public override string ToString() => $"optimizer {Optimizer}, loss {Loss}, {Rows} rows, seed {Seed}";
    }

    private static readonly Arbitrary<Case> Cases = Arb.From(
        from optimizer in Gen.Choose(0, 4)
        from loss in Gen.Choose(0, 2)
        from rows in Gen.Choose(1, 5)
        from seed in Gen.Choose(0, 10_000)
        select new Case(optimizer, loss, rows, seed));

    private static Optimizer<double>? MakeOptimizer(int kind, Tensor<double>[] parameters) => kind switch
    {
        0 => null,
        1 => new Sgd<double>(parameters, 0.1, momentum: 0.9, weightDecay: 0.01),
        2 => new Adam<double>(parameters, 0.05),
        3 => new AdamW<double>(parameters, 0.05, amsGrad: true),
        _ => new PlainDescent(parameters),
    };

    /// <summary>Every value a call could change: the parameters, their gradients and Adam's step counts.</summary>
    private static string State(Tensor<double>[] parameters, Optimizer<double>? optimizer) =>
        string.Join(" | ", parameters.Select((p, i) =>
            $"{string.Join(",", p.ToFlatArray())} grad {(p.Grad is null ? "null" : string.Join(",", p.Grad.ToFlatArray()))}" +
            (optimizer is AdamFamily<double> adam ? $" t {adam.StepCount(i)}" : "")));

    [Fact]
    public void A_checked_call_refused_for_a_frozen_value_changes_no_parameter_gradient_or_optimizer_state()
    {
        Properties.Check(Cases, c =>
        {
            var random = new Random(c.Seed);
            var w = Tensor.RandomNormal<double>(3, 2, random, requiresGrad: true, name: "W");
            var b = Tensor.RandomNormal<double>(1, 2, random, requiresGrad: true, name: "b");
            Tensor<double>[] parameters = [w, b];
            var optimizer = MakeOptimizer(c.Optimizer, parameters);
            var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) =>
            {
                // read out of a tensor, not computed by an operation: the trace freezes it
                var scale = Tensor.Scalar(1 + w[0, 0] * w[0, 0]);
                var z = (x.MatMul(w) + b) * scale;
                return c.Loss switch
                {
                    0 => Loss.MeanSquaredError(z.Tanh(), y),
                    1 => Loss.BinaryCrossEntropyWithLogits(z, y.Sigmoid()),
                    _ => Loss.CrossEntropy(z, y.Softmax(1)),
                };
            }, optimizer, new CompileOptions { CheckEachCall = true });
            var x = Tensor.RandomNormal<double>(c.Rows, 3, random);
            var y = Tensor.RandomNormal<double>(c.Rows, 2, random);
            step.Run(x, y);
            using (Tensor.NoGrad())
            {
                w[0, 0] += 0.5; // the eager function now computes another scale; the compiled one keeps the traced one
            }
            string before = State(parameters, optimizer);
            var error = Assert.Throws<InvalidOperationException>(() => step.Run(x, y));
            Assert.Contains("the compiled result differs from the eager one", error.Message);
            Assert.Equal(before, State(parameters, optimizer));
        }, cases: 40);
    }

    [Fact]
    public void A_checked_call_refused_for_a_frozen_value_keeps_the_gradients_of_the_last_call_with_Sgd()
    {
        var w = Tensor.From(new double[,] { { 0.5, -0.3 }, { 0.1, 0.4 } }, requiresGrad: true, name: "W");
        var sgd = new Sgd<double>([w], 0.1);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) =>
            (x.MatMul(w) * Tensor.Scalar(w[0, 0] * 2) - y).Square().Sum(), sgd, new CompileOptions { CheckEachCall = true });
        var x = Tensor.From(new double[,] { { 1, 2 } });
        var y = Tensor.From(new double[,] { { 0, 1 } });
        step.Run(x, y);
        // the first call: W.Grad = 2·(x·W·k − y) ⊗ x·k with k = 1, and W ← W − 0.1·W.Grad
        Assert.Equal([1.4, -1, 2.8, -2], w.Grad!.ToFlatArray(), (a, e) => Math.Abs(a - e) < 1e-15);
        double[] weights = w.ToFlatArray(), gradient = w.Grad!.ToFlatArray();
        Assert.Throws<InvalidOperationException>(() => step.Run(x, y)); // W[0, 0] changed, so k did
        Assert.Equal(weights, w.ToFlatArray());
        Assert.Equal(gradient, w.Grad!.ToFlatArray());
    }

    [Fact]
    public void A_refused_call_of_a_step_with_an_optimizer_of_its_own_keeps_the_gradients()
    {
        var w = Tensor.From(new double[,] { { 0.5, -0.3 }, { 0.1, 0.4 } }, requiresGrad: true, name: "W");
        var optimizer = new PlainDescent([w]);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => (x.MatMul(w) - y).Square().Sum(), optimizer);
        var y = Tensor.From(new double[,] { { 0, 1 } });
        step.Run(Tensor.From(new double[,] { { 1, 2 } }), y);
        string before = State([w], optimizer);
        Assert.StartsWith("MatMul: (1×3) · (2×2)", Assert.Throws<ArgumentException>(() => step.Run(Tensor.From(new double[,] { { 1, 2, 3 } }), y)).Message);
        Assert.Equal(before, State([w], optimizer));
        Assert.Throws<InvalidOperationException>(() => step.Run(Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true), y));
        Assert.Equal(before, State([w], optimizer));
        using (Tensor.DetectAnomaly())
        {
            Assert.Throws<InvalidOperationException>(() => step.Run(Tensor.From(new double[,] { { 1, 2 } }), y));
        }
        Assert.Equal(before, State([w], optimizer));
        Assert.Throws<ArgumentNullException>(() => step.Run(null!, y));
        Assert.Equal(before, State([w], optimizer));
    }

    /// <summary>
    /// A label that is not a class is found only while the plan runs (the labels are an input, read by the step computing
    /// the loss): the optimizer's ZeroGrad must not have run by then, or the refused call leaves every gradient zero.
    /// </summary>
    [Fact]
    public void A_label_refused_inside_the_plan_leaves_the_gradients_of_a_step_with_an_optimizer_of_its_own()
    {
        var model = new Mlp<double>([4, 6, 3], Activation.Relu, new Random(1));
        var optimizer = new PlainDescent(model.Parameters);
        var step = Tensor.Compile((Tensor<double> x, Tensor<double> y) => Loss.CrossEntropyOfLabels(model.Forward(x), y), optimizer);
        var x = Tensor.RandomNormal<double>(2, 4, new Random(2));
        step.Run(x, Tensor.FromRowMajor(2, 1, [0.0, 2.0]));
        string before = State([.. model.Parameters], optimizer);
        Assert.Contains(model.Parameters, p => p.Grad!.ToFlatArray().Any(v => v != 0)); // a gradient to lose
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => step.Run(x, Tensor.FromRowMajor(2, 1, [0.0, 3.0])));
        Assert.Contains("CrossEntropyOfLabels: label 3 of row 1 is not a class of 2×3 logits", error.Message);
        Assert.Equal(before, State([.. model.Parameters], optimizer));
    }

    [Fact]
    public void A_null_input_is_refused_naming_the_compiled_method_and_the_parameter()
    {
        var w = Tensor.From(new double[,] { { 0.5 }, { -0.3 } }, requiresGrad: true, name: "W");
        var twoInputs = Tensor.Compile((Tensor<double> x, Tensor<double> y) => (x.MatMul(w) - y).Square().Sum());
        var x = Tensor.From(new double[,] { { 1, 2 } });
        var error = Assert.Throws<ArgumentNullException>(() => twoInputs.Run(null!, Tensor.From(new double[,] { { 1 } })));
        Assert.Equal("x", error.ParamName);
        Assert.StartsWith("CompiledStep.Run: the input x is null.", error.Message);
        error = Assert.Throws<ArgumentNullException>(() => twoInputs.Run(x, null!));
        Assert.Equal("y", error.ParamName);
        Assert.StartsWith("CompiledStep.Run: the input y is null.", error.Message);
        var oneInput = Tensor.Compile((Tensor<double> v) => v.MatMul(w).Sum());
        error = Assert.Throws<ArgumentNullException>(() => oneInput.Run(null!));
        Assert.Equal("x", error.ParamName);
        Assert.StartsWith("CompiledStep.Run: the input x is null.", error.Message);
        var forward = Tensor.CompileForward((Tensor<double> v) => v.MatMul(w));
        error = Assert.Throws<ArgumentNullException>(() => forward.Run(null!));
        Assert.Equal("x", error.ParamName);
        Assert.StartsWith("CompiledForward.Run: the input x is null.", error.Message);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void A_trace_whose_backward_pass_is_refused_names_Tensor_Compile_not_Backward()
    {
        var w = Tensor.From(new double[,] { { 0.5, -0.3 } }, requiresGrad: true, name: "W");
        var c = Tensor.From(new double[,] { { 1, 2 } });
        // the function writes into a tensor its own graph has read: the eager loss.Backward() refuses, so the trace does
        var step = Tensor.Compile((Tensor<double> x) =>
        {
            var loss = (x * w * c).Sum();
            c.Fill(3);
            return loss;
        });
        var error = Assert.Throws<InvalidOperationException>(() => step.Run(Tensor.From(new double[,] { { 1, 1 } })));
        Assert.StartsWith("Tensor.Compile: input 1 of Hadamard, a 1×2 tensor, was modified in place", error.Message);
        Assert.Null(w.Grad);
    }
}
