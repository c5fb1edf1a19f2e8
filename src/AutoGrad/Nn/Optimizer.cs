using System.Numerics;

namespace AutoGrad.Nn;

/// <summary>An optimizer seen without its element type: what a learning-rate schedule needs.</summary>
public interface IOptimizer
{
    /// <summary>The learning rate η, read at each <see cref="Step"/>.</summary>
    double LearningRate { get; set; }

    /// <summary>Updates every parameter that has a gradient, in place.</summary>
    void Step();

    /// <summary>Clears every parameter's gradient.</summary>
    void ZeroGrad();
}

/// <summary>
/// What every optimizer shares: the parameters it updates (trainable leaves), a learning rate given as a
/// <c>double</c> whatever <typeparamref name="T"/> is, and <see cref="ZeroGrad"/>. <see cref="Step"/> updates every
/// parameter that has a gradient in place, bumping its <see cref="Tensor{T}.Version"/> (so a graph recorded before
/// the step can no longer be back-propagated); a parameter without a gradient is skipped, as in PyTorch.
/// </summary>
/// <typeparam name="T"><c>double</c> or <c>float</c>.</typeparam>
public abstract class Optimizer<T> : IOptimizer where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] parameters;
    private double learningRate;

    /// <summary>Checks that every parameter is a trainable leaf and the learning rate is valid.</summary>
    /// <param name="name">The optimizer's name, used in error messages.</param>
    /// <param name="parameters">The tensors to update; each a leaf created with <c>requiresGrad: true</c>.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    protected Optimizer(string name, IEnumerable<Tensor<T>> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Name = name;
        this.parameters = [.. parameters];
        var seen = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        foreach (var p in this.parameters)
        {
            if (p is null)
            {
                throw new ArgumentException($"{name}: the parameter list contains null.", nameof(parameters));
            }
            if (!p.IsLeaf || !p.RequiresGrad)
            {
                throw new ArgumentException($"{name}: {p.Describe()} is not a trainable leaf (it must be created with requiresGrad: true).", nameof(parameters));
            }
            if (!seen.Add(p))
            {
                throw new ArgumentException($"{name}: {p.Describe()} appears twice in the parameter list; it would be updated twice per step.", nameof(parameters));
            }
        }
        if (this.parameters.Length == 0)
        {
            throw new ArgumentException($"{name}: the parameter list is empty; there is nothing to optimize (as PyTorch: \"optimizer got an empty parameter list\").", nameof(parameters));
        }
        this.learningRate = CheckNonNegative(learningRate, "learning rate", nameof(learningRate));
    }

    /// <summary>The optimizer's name in error messages ("Adam", "Sgd", …).</summary>
    protected string Name { get; }

    /// <summary>The learning rate η (≥ 0 and finite), read at each <see cref="Step"/>; a schedule may change it between steps.</summary>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = CheckNonNegative(value, "learning rate");
    }

    /// <summary>The parameters updated by <see cref="Step"/>, in the order given.</summary>
    public IReadOnlyList<Tensor<T>> Parameters => parameters;

    /// <summary>Updates every parameter that has a gradient, in place.</summary>
    public abstract void Step();

    /// <summary>
    /// True if the update is <see cref="BeginStep"/> then <see cref="UpdateParameter"/> for each parameter with a
    /// gradient (the library's optimizers): a compiled training step then runs it on its gradient buffers, inside the
    /// plan, instead of calling <see cref="Step"/>. An optimizer derived outside the library keeps its own Step.
    /// </summary>
    internal virtual bool UpdatesEachParameter => false;

    /// <summary>Reads the hyper-parameters for one step (before any <see cref="UpdateParameter"/> of that step).</summary>
    internal virtual void BeginStep()
    {
    }

    /// <summary>
    /// One parameter's update from its gradient <paramref name="gradient"/> (what <see cref="Step"/> does to
    /// <c>Parameters[index]</c>), bumping its version. Only when <see cref="UpdatesEachParameter"/>.
    /// </summary>
    internal virtual void UpdateParameter(int index, ReadOnlySpan<T> gradient) =>
        throw new NotSupportedException($"{Name}: no per-parameter update (internal error).");

    /// <summary>The parameter at <paramref name="index"/>, read from the array (not through <see cref="Parameters"/>' interface).</summary>
    private protected Tensor<T> ParameterAt(int index) => parameters[index];

    /// <summary>The step of an optimizer that <see cref="UpdatesEachParameter"/>: every parameter with a gradient, in order.</summary>
    private protected void StepEachParameter()
    {
        CheckUsable();
        BeginStep();
        for (int i = 0; i < parameters.Length; i++)
        {
            ReadOnlySpan<T> grad = GradientOf(parameters[i]);
            if (!grad.IsEmpty)
            {
                UpdateParameter(i, grad);
            }
        }
    }

    /// <summary>Clears every parameter's gradient (the next backward pass starts from zero).</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters)
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0; returns it.</summary>
    protected double CheckNonNegative(double value, string what) => CheckNonNegative(value, what, what);

    /// <summary>
    /// Throws unless <paramref name="value"/> is finite and ≥ 0, naming <paramref name="what"/> in the message and
    /// <paramref name="parameterName"/> (the caller's parameter, e.g. a constructor's <c>weightDecay</c>) as the
    /// exception's <see cref="ArgumentException.ParamName"/>; returns it.
    /// </summary>
    protected double CheckNonNegative(double value, string what, string parameterName)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name}: the {what} must be non-negative and finite; got {value}."));
        }
        return value;
    }

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1; returns it.</summary>
    protected double CheckFraction(double value, string what)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(what, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name}: {what} must be in [0, 1); got {value}."));
        }
        return value;
    }

    /// <summary>
    /// Throws (before any parameter is touched) if a parameter or its gradient was disposed with the
    /// <see cref="TensorScope"/> it was created in, so a step is never half done.
    /// </summary>
    /// <param name="gradients">Also check the gradients (false for a compiled step, which replaces them before the update).</param>
    internal void CheckUsable(bool gradients = true)
    {
        foreach (var p in parameters)
        {
            if (p.IsDisposed || (gradients && p.Grad is { IsDisposed: true }))
            {
                throw new ObjectDisposedException(nameof(Tensor<T>),
                    $"{Name}.Step: {p.Describe()}{(p.IsDisposed ? "" : "'s gradient")} was created inside a TensorScope that has ended; " +
                    "create parameters outside the training step's scope. No parameter was updated.");
            }
        }
    }

    /// <summary>The gradient of <paramref name="parameter"/> as a span, or empty if it has none (then the step skips it).</summary>
    private protected static ReadOnlySpan<T> GradientOf(Tensor<T> parameter) => parameter.Grad is { } g ? g.AsSpan() : default;

    /// <summary>The parameter's values, for an optimizer to write (no user-write checks: a step is never recorded).</summary>
    private protected static Span<T> ValuesOf(Tensor<T> parameter) => parameter.Data;

    /// <summary>a·b + c with one rounding per lane, as PyTorch's vectorised kernels compute <c>c + a·b</c>.</summary>
    private protected static Vector<T> FusedMultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> c)
    {
        if (typeof(T) == typeof(double))
        {
            return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        }
        return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
    }

    /// <summary>A zero-filled state buffer per parameter, allocated on the first step that needs it.</summary>
    private protected static T[] State(ref T[]? slot, int length) => slot ??= new T[length];
}
