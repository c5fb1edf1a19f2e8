using System.Globalization;
namespace AutoGrad.Nn;

/// <summary>
/// Changes an optimizer's learning rate once per epoch: call <see cref="Step"/> after each epoch's optimizer steps,
/// as with PyTorch's <c>lr_scheduler</c>. The schedules update the current rate recursively, with PyTorch's formulas,
/// so a rate set by hand in between is taken into account as PyTorch would.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Remembers the optimizer and its initial learning rate.</summary>
    protected LearningRateSchedule(IOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose rate is changed.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The learning rate when the schedule was created (PyTorch's <c>base_lr</c>).</summary>
    public double BaseLearningRate { get; }

    /// <summary>How many times <see cref="Step"/> has run (PyTorch's <c>last_epoch</c>).</summary>
    public int Epoch { get; private set; }

    /// <summary>
    /// Advances one epoch and sets the optimizer's learning rate for the next one. Refused, changing nothing (neither the
    /// epoch nor the rate), if that rate is not finite (γ &gt; 1 compounding past <see cref="double.MaxValue"/>).
    /// </summary>
    public void Step()
    {
        double next = Next(Epoch + 1, Optimizer.LearningRate);
        if (!double.IsFinite(next) || next < 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{GetType().Name}.Step: the learning rate for epoch {Epoch + 1} would be {next} (from {Optimizer.LearningRate}); an optimizer needs a finite rate ≥ 0. Nothing was changed."));
        }
        Optimizer.LearningRate = next;
        Epoch++;
    }

    /// <summary>The rate for epoch <paramref name="epoch"/> (≥ 1), given the current one.</summary>
    protected abstract double Next(int epoch, double current);

    /// <summary>Throws unless <paramref name="value"/> (a number of epochs) is at least 1; returns it.</summary>
    private protected int CheckEpochs(int value, string parameter, string what) => value >= 1 ? value :
        throw new ArgumentOutOfRangeException(parameter, string.Create(CultureInfo.InvariantCulture, $"{GetType().Name}: {what} must be at least 1 epoch; got {value}."));

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0; returns it.</summary>
    private protected double CheckNonNegative(double value, string parameter, string what) => double.IsFinite(value) && value >= 0 ? value :
        throw new ArgumentOutOfRangeException(parameter, string.Create(CultureInfo.InvariantCulture, $"{GetType().Name}: {what} must be non-negative and finite; got {value}."));
}

/// <summary>Multiplies the learning rate by γ every <see cref="StepSize"/> epochs, as PyTorch's <c>StepLR</c>: ηₑ = η₀·γ^⌊e/s⌋.</summary>
public sealed class StepLR : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">Whose rate to change.</param>
    /// <param name="stepSize">s ≥ 1: epochs between decays.</param>
    /// <param name="gamma">γ ≥ 0 (finite): the factor.</param>
    public StepLR(IOptimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        StepSize = CheckEpochs(stepSize, nameof(stepSize), "the step size");
        Gamma = CheckNonNegative(gamma, nameof(gamma), "gamma");
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>The factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double Next(int epoch, double current) => epoch % StepSize == 0 ? current * Gamma : current;
}

/// <summary>
/// Cosine annealing from the initial rate η₀ down to <see cref="Minimum"/> over <see cref="Period"/> epochs (and back
/// up over the next T, and so on), as PyTorch's <c>CosineAnnealingLR</c>: ηₑ = η_min + (η₀ − η_min)(1 + cos(πe/T))/2,
/// computed recursively from the current rate as PyTorch does.
/// </summary>
public sealed class CosineAnnealingLR : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">Whose rate to change.</param>
    /// <param name="period">T ≥ 1: epochs from η₀ down to η_min.</param>
    /// <param name="minimum">η_min ≥ 0 (finite).</param>
    public CosineAnnealingLR(IOptimizer optimizer, int period, double minimum = 0)
        : base(optimizer)
    {
        Period = CheckEpochs(period, nameof(period), "the period");
        Minimum = CheckNonNegative(minimum, nameof(minimum), "the minimum");
    }

    /// <summary>T: epochs of one half-cycle.</summary>
    public int Period { get; }

    /// <summary>η_min.</summary>
    public double Minimum { get; }

    /// <inheritdoc/>
    protected override double Next(int epoch, double current)
    {
        if ((epoch - 1 - Period) % (2 * Period) == 0)
        {
            return current + (BaseLearningRate - Minimum) * (1 - Math.Cos(Math.PI / Period)) / 2;
        }
        // PyTorch's order of operations, so the rates agree to the bit
        double value = (1 + Math.Cos(Math.PI * epoch / Period)) / (1 + Math.Cos(Math.PI * (epoch - 1) / Period)) * (current - Minimum) + Minimum;
        return Math.Max(value, 0); // −1e-17 from rounding at the bottom of the cycle would be refused by the optimizer
    }
}
