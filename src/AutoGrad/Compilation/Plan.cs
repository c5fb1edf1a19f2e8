using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// A compiled function for one set of input shapes: a flat list of kernel calls over buffers allocated when it was
/// built. Running it binds the caller's input arrays and the parameters' arrays, runs the steps in order and, for a
/// training step, adds each parameter's gradient into its <see cref="Tensor{T}.Grad"/> as <c>Backward()</c> does (or,
/// with an optimizer, delivers it and updates the parameter in a step of its own, <see cref="ParameterUpdateStep{T}"/>).
/// </summary>
internal sealed class Plan<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PlanBuffer<T>[] inputs;
    private readonly Tensor<T>[] parameters;
    private readonly Tensor<T>[] constants;
    private readonly bool[] constantsRequireGrad;
    private readonly PlanBuffer<T>[] parameterBuffers;
    private readonly Tensor<T>[] liveLeaves;
    private readonly PlanBuffer<T>[] liveBuffers;
    private readonly PlanStep<T>[] steps;
    private readonly Delivery[] deliveries;
    private readonly PlanUpdate<T>? update;
    private readonly ParameterUpdateStep<T>[] updateSteps;
    private readonly PlanStep<T>[]? forwardSteps;
    private bool updatesDeferred;

    /// <summary>
    /// Where a parameter's gradient is found after the steps, and the tensor that holds it between calls. Accumulating
    /// (a step without an optimizer, or a parameter the optimizer does not update): Grad ← Grad + g, as Backward adds
    /// into an existing gradient. Otherwise the optimizer's ZeroGrad came first, so Grad ← g; <c>Direct</c> when the
    /// step computing g writes straight into the owned tensor's array (nothing to copy).
    /// </summary>
    internal readonly record struct Delivery(Tensor<T> Parameter, PlanBuffer<T> Gradient, Tensor<T> Owned, bool Accumulate, bool Direct);

    public Plan(Shape[] inputShapes, PlanBuffer<T>[] inputs, Tensor<T>[] parameters, Tensor<T>[] constants, bool[] constantsRequireGrad,
        PlanBuffer<T>[] parameterBuffers, Tensor<T>[] liveLeaves, PlanBuffer<T>[] liveBuffers, PlanStep<T>[] steps, PlanBuffer<T> output, Shape outputShape, Delivery[] deliveries, PlanUpdate<T>? update,
        string[] signature, int temporaryElements, PlanStep<T>[]? forwardSteps = null)
    {
        InputShapes = inputShapes;
        this.inputs = inputs;
        this.parameters = parameters;
        this.constants = constants;
        this.constantsRequireGrad = constantsRequireGrad;
        this.parameterBuffers = parameterBuffers;
        this.liveLeaves = liveLeaves;
        this.liveBuffers = liveBuffers;
        this.steps = steps;
        Output = output;
        OutputShape = outputShape;
        this.deliveries = deliveries;
        this.update = update;
        updateSteps = [.. steps.OfType<ParameterUpdateStep<T>>()];
        Signature = signature;
        TemporaryElements = temporaryElements;
        this.forwardSteps = forwardSteps;
    }

    /// <summary>The input shapes this plan was traced for.</summary>
    public Shape[] InputShapes { get; }

    /// <summary>The buffer holding the function's result after a run.</summary>
    public PlanBuffer<T> Output { get; }

    /// <summary>The result's shape.</summary>
    public Shape OutputShape { get; }

    /// <summary>The traced forward operations, for checked calls.</summary>
    public string[] Signature { get; }

    /// <summary>Elements in the temporaries (after reuse): the plan's own memory.</summary>
    public int TemporaryElements { get; }

    /// <summary>The parameters found in the trace.</summary>
    public IReadOnlyList<Tensor<T>> Parameters => parameters;

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<PlanStep<T>> Steps => steps;

    /// <summary>The optimizer update the plan's update steps run, if it has one.</summary>
    public PlanUpdate<T>? Update => update;

    /// <summary>True if these are the shapes the plan was traced for.</summary>
    public bool Matches(Shape first, Shape second) =>
        InputShapes[0] == first && (InputShapes.Length < 2 || InputShapes[1] == second);

    /// <summary>
    /// True while every traced parameter still requires a gradient and every other leaf the function reads still requires
    /// one exactly when it did: otherwise the eager tape would record and differentiate another graph (a layer frozen or
    /// unfrozen since the trace), so the function must be traced again.
    /// </summary>
    public bool LeavesAsTraced()
    {
        foreach (Tensor<T> p in parameters)
        {
            if (!p.RequiresGrad)
            {
                return false;
            }
        }
        Tensor<T>[] cs = constants;
        for (int i = 0; i < cs.Length; i++)
        {
            if (cs[i].RequiresGrad != constantsRequireGrad[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Runs the forward (and backward) steps on the inputs' current values and those of every tensor the function reads
    /// that lives outside it (parameters, frozen weights), then the optimizer update if any. <paramref name="beforeDeliveries"/>
    /// (an optimizer's ZeroGrad) runs once every step has run — a step may still refuse the call (a label that is not a
    /// class) — and before any gradient is delivered.
    /// </summary>
    public void Run(Tensor<T> first, Tensor<T>? second, Action? beforeDeliveries = null)
    {
        Bind(first, second);
        ParameterUpdateStep<T>[] us = updateSteps;
        bool defer = us.Length > 0 && SharesAParameterArray(first, second);
        if (defer != updatesDeferred)
        {
            foreach (ParameterUpdateStep<T> u in us)
            {
                u.Deferred = defer;
            }
            updatesDeferred = defer;
        }
        PlanStep<T>[] all = steps;
        for (int i = 0; i < all.Length; i++)
        {
            all[i].Run();
        }
        beforeDeliveries?.Invoke();
        Delivery[] ds = deliveries;
        for (int i = 0; i < ds.Length; i++)
        {
            Deliver(in ds[i]);
        }
        if (defer)
        {
            foreach (ParameterUpdateStep<T> u in us)
            {
                u.RunNow();
            }
        }
        else if (us.Length == 0)
        {
            update?.Begin(); // an optimizer none of whose parameters is traced: ZeroGrad's effect only
        }
    }

    /// <summary>
    /// Computes <see cref="Output"/> alone, changing nothing outside the plan's own buffers: the forward steps, unfused
    /// (the same bits), before any gradient is written or parameter updated — so a checked call can compare its result
    /// with the eager one and refuse before the call has changed anything. False if the plan cannot (a forward step
    /// writes a gradient's own array); then the result is known only after <see cref="Run"/>.
    /// </summary>
    public bool RunForward(Tensor<T> first, Tensor<T>? second)
    {
        if (forwardSteps is not { } fs)
        {
            return false;
        }
        Bind(first, second);
        foreach (PlanStep<T> step in fs)
        {
            step.Run();
        }
        return true;
    }

    /// <summary>True if an input's array is a parameter's (a <c>Detach()</c> of it): updates must then wait for the last step.</summary>
    private bool SharesAParameterArray(Tensor<T> first, Tensor<T>? second)
    {
        T[] x = first.Data;
        T[]? y = second?.Data;
        Tensor<T>[] ps = parameters;
        for (int i = 0; i < ps.Length; i++)
        {
            T[] p = ps[i].Data;
            if (ReferenceEquals(p, x) || ReferenceEquals(p, y))
            {
                return true;
            }
        }
        return false;
    }

    private void Bind(Tensor<T> first, Tensor<T>? second)
    {
        Rebind(inputs[0], first.Data);
        if (second is not null)
        {
            Rebind(inputs[1], second.Data);
        }
        Tensor<T>[] ps = parameters;
        PlanBuffer<T>[] pbs = parameterBuffers;
        for (int i = 0; i < ps.Length; i++)
        {
            Rebind(pbs[i], ps[i].Data);
        }
        // the other tensors living outside the function (a frozen weight): read now, as the eager function would
        Tensor<T>[] ls = liveLeaves;
        PlanBuffer<T>[] lbs = liveBuffers;
        for (int i = 0; i < ls.Length; i++)
        {
            Rebind(lbs[i], ls[i].Data);
        }
    }

    /// <summary>Points a buffer at an array; usually the one it already holds, and a read costs less than a stored reference (a GC write barrier).</summary>
    private static void Rebind(PlanBuffer<T> buffer, T[] array)
    {
        if (!ReferenceEquals(buffer.Array, array))
        {
            buffer.Array = array;
        }
    }

    /// <summary>
    /// Grad = g (copied unless the step wrote it in place), or Grad + g with the eager accumulation's own Add operator,
    /// into the tensor this plan owns, whose version is bumped as by any in-place write; under the parameter's lock, as the
    /// eager accumulation does, when Grad changes.
    /// </summary>
    internal static void Deliver(in Delivery d)
    {
        // Owned is written in place on every call (by the copy or the sum below, or by the step itself when Direct): a
        // graph recorded on an earlier Grad must see the write, as it sees any in-place write, and refuse to back-propagate
        // its old values (adv16: it returned the new ones, silently)
        d.Owned.BumpVersion();
        if (!d.Accumulate)
        {
            if (!d.Direct)
            {
                d.Gradient.Array.AsSpan().CopyTo(d.Owned.Data);
            }
            if (!ReferenceEquals(d.Parameter.Grad, d.Owned))
            {
                lock (d.Parameter.GradLock)
                {
                    d.Parameter.Grad = d.Owned;
                }
            }
            return;
        }
        lock (d.Parameter.GradLock)
        {
            T[] owned = d.Owned.Data;
            T[] gradient = d.Gradient.Array;
            Tensor<T>? existing = d.Parameter.Grad;
            if (existing is null)
            {
                gradient.AsSpan().CopyTo(owned);
            }
            else
            {
                AddOperator.Invoke<T>(existing.Data, gradient, owned);
            }
            if (!ReferenceEquals(existing, d.Owned))
            {
                d.Parameter.Grad = d.Owned;
            }
        }
    }

    /// <summary>
    /// A diagnostic, for a benchmark's per-step breakdown (never for a test): runs the plan once on these inputs, but
    /// runs each step (the optimizer's update steps too) and each gradient delivery <paramref name="repeats"/> times in a row where
    /// it stands, and returns the mean time of one run of each, in nanoseconds, with its plan line (negated for each link of a
    /// fused chain run alone, a detail of the fused step's time). A step never
    /// writes over its own inputs, so its repeats compute the same values; deliveries that accumulate and the update
    /// do change Grad and the parameters <paramref name="repeats"/> times over.
    /// </summary>
    internal (string Part, double Nanoseconds)[] MeasureParts(Tensor<T> first, Tensor<T>? second, int repeats)
    {
        var parts = new List<(string, double)>();
        double Time(Action action)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            for (int r = 0; r < repeats; r++)
            {
                action();
            }
            return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalNanoseconds / repeats;
        }
        parts.Add(("bind inputs and parameters", Time(() => Bind(first, second))));
        foreach (PlanStep<T> step in steps)
        {
            parts.Add((step.Describe().Split(Environment.NewLine)[0], Time(step.Run)));
            if (step is FusedStep<T> fused)
            {
                // each link of the chain alone over the whole result (not counted in the sum: the fused step is)
                foreach (PlanStep<T> link in fused.Chain)
                {
                    parts.Add(("    └ " + link.Describe(), -Time(() => link.RunRange(0, link.Shape.Length))));
                }
            }
        }
        foreach (Delivery d in deliveries)
        {
            parts.Add(($"deliver {d.Parameter.Describe()}.Grad{(d.Accumulate ? " +=" : d.Direct ? " (in place)" : " = copy")}", Time(() => Deliver(in d))));
        }
        return [.. parts];
    }

    /// <summary>
    /// For the benchmarks' profile: <paramref name="repeats"/> whole runs (as <see cref="Run"/> without an optimizer's
    /// ZeroGrad or deferred updates), each part timed where it stands in the run — binding, every step, the deliveries —
    /// by a timestamp between parts. Nanoseconds per run for each part, in <see cref="MeasureParts"/>'s order without the
    /// fused steps' links. Unlike <see cref="MeasureParts"/>, a part here finds the caches as the parts before it left them.
    /// </summary>
    internal double[] MeasureInRun(Tensor<T> first, Tensor<T>? second, int repeats)
    {
        var ticks = new long[steps.Length + 2];
        for (int r = 0; r < repeats; r++)
        {
            long before = System.Diagnostics.Stopwatch.GetTimestamp();
            Bind(first, second);
            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            ticks[0] += now - before;
            for (int i = 0; i < steps.Length; i++)
            {
                before = now;
                steps[i].Run();
                now = System.Diagnostics.Stopwatch.GetTimestamp();
                ticks[i + 1] += now - before;
            }
            before = now;
            for (int i = 0; i < deliveries.Length; i++)
            {
                Deliver(in deliveries[i]);
            }
            ticks[^1] += System.Diagnostics.Stopwatch.GetTimestamp() - before;
        }
        return [.. ticks.Select(t => t * 1e9 / System.Diagnostics.Stopwatch.Frequency / repeats)];
    }

    /// <summary>The plan as text: one line per step.</summary>
    public string Describe()
    {
        var lines = new List<string>
        {
            $"plan for inputs ({string.Join(", ", InputShapes)}): {steps.Length} steps, {TemporaryElements} elements of temporaries",
        };
        lines.AddRange(steps.Select(s => "  " + s.Describe()));
        lines.AddRange(deliveries.Select(d => d.Accumulate ? $"  {d.Parameter.Describe()}.Grad += {d.Gradient}"
            : d.Direct ? $"  {d.Parameter.Describe()}.Grad = {d.Gradient} (written in place)" : $"  {d.Parameter.Describe()}.Grad = {d.Gradient}"));
        if (update is not null)
        {
            lines.AddRange(update.DescribeCleared().Select(l => "  " + l));
        }
        return string.Join(Environment.NewLine, lines);
    }
}
