using System.Globalization;
using System.Numerics;
using AutoGrad.Nn;

namespace AutoGrad.Compilation;

/// <summary>
/// The plans of one compiled function, one per input shape (like <c>jax.jit</c>'s cache), and the machinery both
/// public kinds share: tracing on a new shape, the one-call-at-a-time guard, checked calls.
/// </summary>
internal sealed class PlanCache<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly string api;
    private readonly Func<Tensor<T>[], Tensor<T>> function;
    private readonly bool withBackward;
    private readonly CompileOptions options;
    private readonly Plan<T>?[] plans;
    private readonly Optimizer<T>? optimizer;
    private readonly Dictionary<Tensor<T>, Tensor<T>> ownedGradients = new(ReferenceEqualityComparer.Instance);
    private int nextSlot;
    private int running;

    /// <param name="api">The public method's name, for messages.</param>
    /// <param name="function">The function to trace.</param>
    /// <param name="arity">1 or 2 inputs.</param>
    /// <param name="withBackward">A training step (forward and backward) rather than a forward function.</param>
    /// <param name="options">The compile options.</param>
    /// <param name="optimizer">An optimizer whose update each plan runs, parameter by parameter, as steps of its own (<see cref="PlanUpdate{T}"/>), or null.</param>
    public PlanCache(string api, Func<Tensor<T>[], Tensor<T>> function, int arity, bool withBackward, CompileOptions? options, Optimizer<T>? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        this.api = api;
        this.function = function;
        Arity = arity;
        this.withBackward = withBackward;
        this.optimizer = optimizer;
        this.options = options ?? new CompileOptions();
        if (this.options.MaxCachedShapes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), string.Create(CultureInfo.InvariantCulture, $"{api}: MaxCachedShapes must be at least 1; got {this.options.MaxCachedShapes}."));
        }
        plans = new Plan<T>?[this.options.MaxCachedShapes];
    }

    /// <summary>How many inputs the function takes.</summary>
    public int Arity { get; }

    /// <summary>How many times the function has been traced (once per new input shape).</summary>
    public int TraceCount { get; private set; }

    /// <summary>The plan used by the latest call, or null before the first.</summary>
    public Plan<T>? Latest { get; private set; }

    /// <summary>
    /// Runs the plan for these inputs' shapes (tracing first if there is none) and returns it. <paramref name="beforeDeliveries"/>
    /// (an optimizer's ZeroGrad) runs after every check that can refuse the call — the plan's own steps included (a
    /// label that is not a class) — right before the plan delivers its gradients.
    /// </summary>
    public Plan<T> Run(string method, Tensor<T> first, Tensor<T>? second, Action? beforeDeliveries = null)
    {
        if (first is null)
        {
            throw new ArgumentNullException("x", $"{method}: the input x is null.");
        }
        if (Arity == 2 && second is null)
        {
            throw new ArgumentNullException("y", $"{method}: the input y is null.");
        }
        if (GradMode.IsTracing)
        {
            throw new InvalidOperationException(
                $"{method}: called inside a function that Tensor.Compile or Tensor.CompileForward is tracing. A compiled " +
                "function's plan runs outside the outer trace, so the outer plan would keep this call's result (and a " +
                "training step's update) as it was at trace time: compiled functions do not compose. Call the eager " +
                "function (e.g. the model's Forward) inside the function you compile, and compile only the outermost one.");
        }
        if (first.RequiresGrad || second?.RequiresGrad == true)
        {
            Tensor<T> input = first.RequiresGrad ? first : second!;
            throw new InvalidOperationException(
                $"{method}: the input {input.Describe()} requires a gradient, but a compiled function records nothing and " +
                "computes no gradient for its inputs (a training step fills only its parameters' gradients); to differentiate " +
                "with respect to the input (GradCheck, Backward), call the function eagerly.");
        }
        if (GradMode.AnomalyDetection)
        {
            throw new InvalidOperationException(
                $"{method}: anomaly detection (Tensor.DetectAnomaly) is on, but a compiled function does not check its values " +
                "for NaN or ±∞; call the function eagerly inside DetectAnomaly to find the operation that produces one.");
        }
        if (Interlocked.Exchange(ref running, 1) != 0)
        {
            throw new InvalidOperationException(
                $"{method}: this compiled function is already running (on another thread, or from inside its own function); " +
                "it owns its buffers, so compile one per thread.");
        }
        try
        {
            Plan<T> plan = Find(first.Shape, second?.Shape ?? default) ?? Trace(first, second);
            Latest = plan;
            Tensor<T>? eager = options.CheckEachCall ? CheckOperations(method, plan, first, second) : null;
            if (eager is not null && plan.RunForward(first, second))
            {
                CheckResult(method, plan, eager); // before the call has changed anything
                eager = null;
            }
            plan.Run(first, second, beforeDeliveries);
            if (eager is not null)
            {
                CheckResult(method, plan, eager);
            }
            return plan;
        }
        finally
        {
            Volatile.Write(ref running, 0);
        }
    }

    private Plan<T>? Find(Shape first, Shape second)
    {
        if (Latest is { } latest && latest.Matches(first, second) && latest.LeavesAsTraced())
        {
            return latest;
        }
        foreach (Plan<T>? plan in plans)
        {
            if (plan is not null && plan.Matches(first, second) && plan.LeavesAsTraced())
            {
                return plan;
            }
        }
        return null;
    }

    private Plan<T> Trace(Tensor<T> first, Tensor<T>? second)
    {
        Tensor<T>[] inputs = second is null ? [first] : [first, second];
        Trace<T> trace = Compilation.Trace<T>.Record(api, function, inputs, withBackward);
        foreach (TracedGradWrites<T>.Write write in trace.GradWrites)
        {
            if (optimizer is not null && optimizer.Parameters.Any(p => ReferenceEquals(p, write.Target)))
            {
                throw new InvalidOperationException(
                    $"{api}: a Backward inside the function writes the Grad of {write.Target.Describe()}, which the optimizer compiled into the " +
                    "step sets to the loss's gradient alone (ZeroGrad, then Step) without that write; compile without the optimizer " +
                    "and call ZeroGrad and Step around Run, or use Autograd.Grad(…, createGraph: true) inside the function.");
            }
        }
        foreach (Tensor<T> target in trace.Parameters.Where(_ => withBackward).Concat(trace.GradWrites.Select(w => w.Target)))
        {
            if (!ownedGradients.ContainsKey(target))
            {
                ownedGradients[target] = new Tensor<T>(target.Shape, new T[target.Length]);
            }
        }
        Plan<T> plan = PlanBuilder.Build(trace, ownedGradients, options.Fuse, optimizer);
        plans[nextSlot] = plan; // the oldest plan makes room
        nextSlot = (nextSlot + 1) % plans.Length;
        TraceCount++;
        return plan;
    }

    /// <summary>
    /// A checked call, before the plan runs: the function, called eagerly on the same inputs, must record the traced
    /// operations. Returns its result, for <see cref="CheckResult"/>.
    /// </summary>
    private Tensor<T> CheckOperations(string method, Plan<T> plan, Tensor<T> first, Tensor<T>? second)
    {
        Tensor<T>[] inputs = second is null ? [first] : [first, second];
        Tensor<T> eager = Compilation.Trace<T>.CallRecorded(api, function, inputs);
        string[] now = Compilation.Trace<T>.Signature(eager);
        string[] traced = plan.Signature;
        for (int i = 0; i < Math.Max(now.Length, traced.Length); i++)
        {
            string? was = i < traced.Length ? traced[i] : null;
            string? isNow = i < now.Length ? now[i] : null;
            if (was != isNow)
            {
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"{method} (checked): operation {i} of this call is {isNow ?? "(none: this call recorded fewer operations)"} ") +
                    $"but the trace recorded {was ?? "(none: the trace recorded fewer operations)"}. The function's operations depend " +
                    "on the input values (data-dependent control flow), which a compiled function cannot follow; call it eagerly.");
            }
        }
        return eager;
    }

    /// <summary>A checked call, after the plan ran: its result must be the eager one, bit for bit.</summary>
    private static void CheckResult(string method, Plan<T> plan, Tensor<T> eager)
    {
        ReadOnlySpan<T> compiled = plan.Output.Array;
        ReadOnlySpan<T> expected = eager.Data;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!compiled[i].Equals(expected[i]))
            {
                throw new InvalidOperationException(
                    FormattableString.Invariant($"{method} (checked): the compiled result differs from the eager one at element {i} ({compiled[i]} vs {expected[i]}) ") +
                    "although the same operations were recorded. The function computes some value outside the tape (from Item, " +
                    "ToArray or AsSpan) or writes into a result, or makes one trainable, and the trace froze that value as a " +
                    "constant; call it eagerly.");
            }
        }
    }
}
