using System.Numerics;
using AutoGrad.Nn;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks;

/// <summary>One network size for the training-step benchmarks: batch and layer widths n0-n1-n2.</summary>
public sealed record StepCase(int Batch, int N0, int N1, int N2)
{
    public override string ToString() => $"({Batch}, {N0}-{N1}-{N2})";
}

/// <summary>
/// One training step of a two-layer MLP with sigmoid hidden and output layers and loss ½‖ŷ − y‖²:
/// forward, backward, SGD update. "Tape" uses <c>loss.Backward()</c>; "Hand" computes the same gradients with the
/// closed form of note 000 on the same kernels, so Tape / Hand is the cost of automatic differentiation.
/// "in scope" wraps the step in a <see cref="TensorScope"/>, as a training loop should: the step's results give
/// their arrays back when it ends, and the next step reuses them.
/// </summary>
[MemoryDiagnoser]
public abstract class TrainingStepBenchmarks<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Mlp<T> model = null!;
    private Sgd<T> sgd = null!;
    private Tensor<T> x = null!, y = null!;
    private CompiledStep<T> compiled = null!;

    public static IEnumerable<StepCase> Cases =>
    [
        new(1, 4, 8, 1), new(32, 16, 32, 4), new(64, 64, 128, 10), new(256, 784, 256, 10), new(1024, 1024, 1024, 1024),
    ];

    [ParamsSource(nameof(Cases))]
    public StepCase Case { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        model = new Mlp<T>([Case.N0, Case.N1, Case.N2], [Activation.Sigmoid, Activation.Sigmoid], random);
        sgd = new Sgd<T>(model.Parameters, T.CreateChecked(0.01));
        x = Tensor.RandomNormal<T>(Case.Batch, Case.N0, random);
        y = Tensor.RandomUniform<T>(Case.Batch, Case.N2, random);
        compiled = Tensor.Compile((Tensor<T> a, Tensor<T> b) => Loss.HalfSumSquared(model.Forward(a), b), sgd);
    }

    [Benchmark(Baseline = true, Description = "Tape")]
    public T TapeStep()
    {
        sgd.ZeroGrad();
        var loss = Loss.HalfSumSquared(model.Forward(x), y);
        loss.Backward();
        sgd.Step();
        return loss.Item;
    }

    [Benchmark(Description = "Tape in scope")]
    public T TapeStepInScope()
    {
        using var scope = Tensor.Scope();
        return TapeStep();
    }

    /// <summary>The same step compiled (Tensor.Compile with the SGD update): traced once, replayed as a plan.</summary>
    [Benchmark(Description = "Compiled")]
    public T CompiledStep() => compiled.Run(x, y);

    [Benchmark(Description = "Hand in scope")]
    public T HandWrittenStepInScope()
    {
        using var scope = Tensor.Scope();
        return HandWrittenStep();
    }

    private T HandWrittenStep()
    {
        // Note 000's closed form in batch-row layout, with no tape: Z1 = X·W1ᵀ + b1, A1 = σ(Z1), Z2 = A1·W2ᵀ + b2, Ŷ = σ(Z2);
        // δ2 = (Ŷ − Y) ∘ Ŷ ∘ (1 − Ŷ); ∂W2 = δ2ᵀ·A1; ∂b2 = Σrows δ2; δ1 = (δ2·W2) ∘ A1 ∘ (1 − A1); ∂W1 = δ1ᵀ·X; ∂b1 = Σrows δ1.
        using var noGrad = Tensor.NoGrad();
        var l1 = model.Layers[0];
        var l2 = model.Layers[1];
        var a1 = l1.Forward(x).Sigmoid();
        var yHat = l2.Forward(a1).Sigmoid();
        var residual = yHat - y;
        var delta2 = residual * yHat * (T.One - yHat);
        var delta1 = delta2.MatMul(l2.Weight) * a1 * (T.One - a1);
        HandSgd(l2.Weight, Tensor<T>.MatMul(delta2, a1, true, false));
        HandSgd(l2.Bias!, delta2.Sum(0));
        HandSgd(l1.Weight, Tensor<T>.MatMul(delta1, x, true, false));
        HandSgd(l1.Bias!, delta1.Sum(0));
        return (residual.Square().Sum() * T.CreateChecked(0.5)).Item;
    }

    private void HandSgd(Tensor<T> parameter, Tensor<T> gradient)
    {
        parameter.ZeroGrad();
        parameter.Grad = gradient;
        // the same update Sgd.Step applies
        parameter.AddScaledInPlace(gradient, T.CreateChecked(-sgd.LearningRate));
    }
}

public class TrainingStepDouble : TrainingStepBenchmarks<double>;

public class TrainingStepFloat : TrainingStepBenchmarks<float>;
