using System.Globalization;
using System.Numerics;
using AutoGrad.Nn;

namespace AutoGrad.Compilation;

/// <summary>
/// Builds a <see cref="Plan{T}"/> from a <see cref="Trace{T}"/>: orders the graph (forward and captured backward)
/// inputs-first, lowers each operation to the step running its kernel, gives each result a buffer by liveness (a
/// buffer whose value has had its last reader is reused for the next result of the same length), and fuses runs of
/// element-wise steps of one shape into one banded loop.
/// </summary>
internal static class PlanBuilder
{
    /// <param name="trace">The recorded function.</param>
    /// <param name="ownedGradients">The tensor the step delivers as each parameter's Grad.</param>
    /// <param name="fuse">Fuse runs of element-wise steps.</param>
    /// <param name="optimizer">
    /// An optimizer whose update runs inside the plan, each parameter right after its gradient (<see cref="PlanUpdate{T}"/>), or null. Its parameters'
    /// gradients start from zero (ZeroGrad) at each call, so the steps computing them write straight into the owned
    /// Grad arrays where they can.
    /// </param>
    public static Plan<T> Build<T>(Trace<T> trace, IReadOnlyDictionary<Tensor<T>, Tensor<T>> ownedGradients, bool fuse, Optimizer<T>? optimizer = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var roots = new List<Tensor<T>> { trace.Output };
        roots.AddRange(trace.Gradients.OfType<Tensor<T>>());
        roots.AddRange(trace.GradWrites.Select(w => w.Gradient));
        List<Tensor<T>> order = GraphOrder.PostOrder(roots);
        HashSet<Tensor<T>> folded = TraceConstants(order, trace);

        var updated = new Dictionary<Tensor<T>, int>(ReferenceEqualityComparer.Instance); // parameter → optimizer index
        for (int i = 0; optimizer is not null && i < optimizer.Parameters.Count; i++)
        {
            updated[optimizer.Parameters[i]] = i;
        }
        // Gradients computed by a step of their own for one updated parameter only: that step writes the Grad array.
        var direct = new Dictionary<Tensor<T>, (Tensor<T> Owned, string Label)>(ReferenceEqualityComparer.Instance);
        for (int j = 0; j < trace.Gradients.Length; j++)
        {
            if (trace.Gradients[j] is { Creator: not null } g && !folded.Contains(g) && updated.ContainsKey(trace.Parameters[j]) && !ReferenceEquals(g, trace.Output)
                && trace.Gradients.Count(other => ReferenceEquals(other, g)) == 1)
            {
                direct[g] = (ownedGradients[trace.Parameters[j]], $"{trace.Parameters[j].Name ?? string.Create(CultureInfo.InvariantCulture, $"p{j}")}.Grad");
            }
        }

        var position = new Dictionary<Tensor<T>, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < order.Count; i++)
        {
            position[order[i]] = i;
        }

        // The last step that reads each value; the roots are read after the last step.
        var lastUse = new int[order.Count];
        for (int i = 0; i < order.Count; i++)
        {
            foreach (Tensor<T> input in order[i].Creator?.Inputs ?? [])
            {
                lastUse[position[input]] = i;
            }
        }
        foreach (Tensor<T> root in roots)
        {
            lastUse[position[root]] = int.MaxValue;
        }

        var readByStep = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        foreach (Tensor<T> node in order)
        {
            if (!folded.Contains(node))
            {
                readByStep.UnionWith(node.Creator?.Inputs ?? []);
            }
        }

        var inputBuffers = new PlanBuffer<T>[trace.Inputs.Length];
        for (int i = 0; i < inputBuffers.Length; i++)
        {
            inputBuffers[i] = new PlanBuffer<T>([], trace.Inputs[i].Name ?? string.Create(CultureInfo.InvariantCulture, $"x{i}"));
        }
        var parameterBuffers = new PlanBuffer<T>[trace.Parameters.Length];
        for (int i = 0; i < parameterBuffers.Length; i++)
        {
            parameterBuffers[i] = new PlanBuffer<T>([], trace.Parameters[i].Name ?? string.Create(CultureInfo.InvariantCulture, $"p{i}"));
        }

        var buffers = new PlanBuffer<T>[order.Count];
        var isTemporary = new bool[order.Count];
        var free = new Dictionary<int, Stack<PlanBuffer<T>>>();
        var steps = new List<PlanStep<T>>();
        var producedBy = new List<Tensor<T>>();
        var live = new List<(Tensor<T> Leaf, PlanBuffer<T> Buffer)>();
        int temporaries = 0, temporaryElements = 0, constants = 0;
        var held = new List<PlanBuffer<T>>();
        var pinned = new HashSet<int>();
        void Release(PlanBuffer<T> buffer)
        {
            if (!free.TryGetValue(buffer.Array.Length, out var pool))
            {
                free[buffer.Array.Length] = pool = new Stack<PlanBuffer<T>>();
            }
            pool.Push(buffer);
        }
        for (int i = 0; i < order.Count; i++)
        {
            Tensor<T> node = order[i];
            if (folded.Contains(node))
            {
                // a value of the trace's own constants: every eager call computes it again, the same (named, and
                // copied out of a scope that will recycle it, only if a step or the caller reads it)
                bool read = lastUse[i] == int.MaxValue || readByStep.Contains(node);
                T[] values = node.StorageScope is null || !read ? node.Data : (T[])node.Data.Clone();
                buffers[i] = new PlanBuffer<T>(values, read ? node.Name ?? string.Create(CultureInfo.InvariantCulture, $"c{constants++}") : "");
                continue;
            }
            if (node.Creator is not { } op)
            {
                buffers[i] = LeafBuffer(node, trace, inputBuffers, parameterBuffers, live, ref constants);
                continue;
            }
            int length = node.Shape.Length;
            if (direct.TryGetValue(node, out var owned))
            {
                buffers[i] = new PlanBuffer<T>(owned.Owned.Data, owned.Label);
            }
            else if (free.TryGetValue(length, out var stack) && stack.Count > 0)
            {
                buffers[i] = stack.Pop();
                isTemporary[i] = true;
            }
            else
            {
                buffers[i] = new PlanBuffer<T>(NewTemporary<T>(length), string.Create(CultureInfo.InvariantCulture, $"t{temporaries++}"));
                temporaryElements += length;
                isTemporary[i] = true;
            }
            Tensor<T>[] inputs = op.Inputs;
            var inputBuffersOfOp = new PlanBuffer<T>[inputs.Length];
            var inputShapes = new Shape[inputs.Length];
            for (int k = 0; k < inputs.Length; k++)
            {
                inputBuffersOfOp[k] = buffers[position[inputs[k]]];
                inputShapes[k] = inputs[k].Shape;
            }
            steps.Add(StepLowering.Lower(op, inputBuffersOfOp, inputShapes, buffers[i], node.Shape));
            producedBy.Add(node);
            // Only after the result has its buffer: a step never writes over its own inputs. A value a step that cannot
            // run by rows reads (a loss's sum) keeps its buffer until the next such step: the row-by-row steps in between
            // may then run on bands of rows before that step (RowBands) without overwriting what it reads.
            bool byRows = steps[^1].RunsByRows;
            if (!byRows)
            {
                held.ForEach(Release);
                held.Clear();
                pinned.Clear();
            }
            foreach (Tensor<T> input in inputs.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor<T>>())
            {
                int p = position[input];
                if (!byRows)
                {
                    pinned.Add(p);
                }
                if (isTemporary[p] && lastUse[p] == i)
                {
                    (pinned.Contains(p) ? held.Add : (Action<PlanBuffer<T>>)Release)(buffers[p]);
                }
            }
        }

        // a Backward inside the function adds into its targets' Grads first, as the eager call does before the loss's pass
        var deliveries = new List<Plan<T>.Delivery>(trace.GradWrites.Select(w =>
            new Plan<T>.Delivery(w.Target, buffers[position[w.Gradient]], ownedGradients[w.Target], Accumulate: true, Direct: false)));
        var updates = new SortedDictionary<int, (Plan<T>.Delivery Delivery, int Slot)>(); // optimizer index → delivery, parameter slot
        for (int j = 0; j < trace.Gradients.Length; j++)
        {
            if (trace.Gradients[j] is { } gradient)
            {
                Tensor<T> parameter = trace.Parameters[j];
                bool isUpdated = updated.TryGetValue(parameter, out int index);
                var delivery = new Plan<T>.Delivery(parameter, buffers[position[gradient]], ownedGradients[parameter], Accumulate: !isUpdated, Direct: direct.ContainsKey(gradient));
                if (isUpdated)
                {
                    updates[index] = (delivery, j);
                }
                else
                {
                    deliveries.Add(delivery);
                }
            }
        }
        PlanUpdate<T>? update = optimizer is null ? null : new PlanUpdate<T>(optimizer, [.. updates.Keys], [.. updates.Values.Select(u => u.Delivery.Owned)],
            [.. optimizer.Parameters.Where((_, i) => !updates.ContainsKey(i))]);
        if (fuse)
        {
            FuseProductEpilogues(steps, producedBy, order, folded, roots);
        }
        Verify(trace, inputBuffers, parameterBuffers, steps, producedBy);
        List<(int Start, int End)> groups = fuse ? FusedGroups(steps) : [.. steps.Select((_, i) => (i, i + 1))];
        var updateSteps = new List<(int After, int Index, Plan<T>.Delivery Delivery, int Slot)>();
        int u = 0;
        foreach (var (_, (delivery, slot)) in updates)
        {
            updateSteps.Add((UpdatePlace(steps, producedBy, trace.Gradients[slot]!, parameterBuffers[slot]), u++, delivery, slot));
        }
        var finalSteps = new List<PlanStep<T>>();
        bool begun = false;
        void AddUpdatesAfter(int last)
        {
            foreach (var s in updateSteps.Where(s => s.After == last))
            {
                finalSteps.Add(new ParameterUpdateStep<T>(update!, s.Index, s.Delivery, begins: !begun, parameterBuffers[s.Slot]));
                begun = true;
            }
        }
        AddUpdatesAfter(-1);
        foreach (var (start, end) in groups)
        {
            finalSteps.Add(end - start >= 2 ? new FusedStep<T>([.. steps.Skip(start).Take(end - start)]) : steps[start]);
            for (int i = start; i < end; i++)
            {
                AddUpdatesAfter(i);
            }
        }
        if (fuse)
        {
            finalSteps = RowBands.Group(finalSteps);
        }
        // The steps computing the result come first (the output's graph is ordered before the gradients'); a checked call
        // runs them alone to compare the result before anything outside the plan changes — unless one writes a gradient's array.
        int outputStep = producedBy.FindIndex(t => ReferenceEquals(t, trace.Output));
        PlanStep<T>[]? forwardSteps = direct.Keys.Any(g => producedBy.FindIndex(t => ReferenceEquals(t, g)) <= outputStep)
            ? null
            : [.. steps.Take(outputStep + 1)];
        return new Plan<T>([.. trace.Inputs.Select(t => t.Shape)], inputBuffers, trace.Parameters, trace.Constants, trace.ConstantsRequireGrad,
            parameterBuffers, [.. live.Select(l => l.Leaf)], [.. live.Select(l => l.Buffer)], [.. finalSteps],
            buffers[position[trace.Output]], trace.Output.Shape, [.. deliveries], update, Trace<T>.Signature(trace.Output), temporaryElements,
            forwardSteps);
    }

    /// <summary>
    /// The last step a parameter's update must follow (−1: none): the step finishing its gradient, the last step reading
    /// the parameter, and the last step that may refuse the call. The optimizer's update reads only the gradient and the
    /// parameter and writes only the parameter (and its own state), so running it there gives the bits of running it
    /// after every step, as the eager Step does.
    /// </summary>
    private static int UpdatePlace<T>(List<PlanStep<T>> steps, List<Tensor<T>> producedBy, Tensor<T> gradient, PlanBuffer<T> parameter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int after = producedBy.FindIndex(t => ReferenceEquals(t, gradient));
        for (int s = 0; s < steps.Count; s++)
        {
            if (steps[s].MayRefuse || Array.IndexOf(steps[s].Reads, parameter) >= 0)
            {
                after = Math.Max(after, s);
            }
        }
        return after;
    }

    /// <summary>
    /// Runs the steps once on the traced inputs and checks each result against the value the trace computed, bit for
    /// bit: a plan step whose kernel is not its operation's eager kernel is refused here, naming the operation, instead
    /// of being compiled with the wrong answer.
    /// </summary>
    private static void Verify<T>(Trace<T> trace, PlanBuffer<T>[] inputBuffers, PlanBuffer<T>[] parameterBuffers,
        List<PlanStep<T>> steps, List<Tensor<T>> producedBy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < inputBuffers.Length; i++)
        {
            inputBuffers[i].Array = trace.Inputs[i].Data;
        }
        for (int i = 0; i < parameterBuffers.Length; i++)
        {
            parameterBuffers[i].Array = trace.Parameters[i].Data;
        }
        for (int s = 0; s < steps.Count; s++)
        {
            steps[s].Run();
            Tensor<T> expected = producedBy[s];
            int differs = Trace<T>.FirstDifference(steps[s].Writes.Array, expected.Data);
            if (differs >= 0)
            {
                throw new NotSupportedException(
                    $"Tensor.Compile: the plan step of {expected.Creator!.Name} ({expected.Shape}) does not reproduce the eager result " +
                    FormattableString.Invariant($"(element {differs}: {steps[s].Writes.Array[differs]} vs {expected.Data[differs]}), so this function is not compiled ") +
                    "(an internal error in that operation's plan step); run it eagerly.");
            }
        }
    }

    /// <summary>A temporary's array; NaN-filled when the test suite poisons uninitialised memory, as eager results are.</summary>
    private static T[] NewTemporary<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var array = new T[length];
        if (Tensor<T>.PoisonUninitializedMemory)
        {
            array.AsSpan().Fill(T.NaN);
        }
        return array;
    }

    /// <summary>
    /// The values the plan keeps as traced: the trace's own constants (<see cref="Trace{T}.IsTraceConstant"/>) and every
    /// result computed from nothing else — the seed's broadcasts, a one-hot matrix scaled, a constant built in the
    /// function. Everything that depends on a tensor living outside the function is computed on every call.
    /// </summary>
    private static HashSet<Tensor<T>> TraceConstants<T>(List<Tensor<T>> order, Trace<T> trace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var folded = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        foreach (Tensor<T> node in order) // inputs first
        {
            bool constant = node.Creator is { } op
                ? op.Inputs.All(folded.Contains)
                : Trace<T>.IsTraceConstant(node) && Array.IndexOf(trace.Inputs, node) < 0;
            if (constant)
            {
                folded.Add(node);
            }
        }
        return folded;
    }

    /// <summary>
    /// The buffer of a leaf: an input, a parameter, or a tensor living outside the function (a frozen weight, a
    /// detached parameter, data captured by the function), which is bound to the leaf's array on every call, as the
    /// eager function reads it then. A leaf sharing an input's or a parameter's array (a <c>Detach()</c> of it) reads
    /// that array.
    /// </summary>
    private static PlanBuffer<T> LeafBuffer<T>(Tensor<T> leaf, Trace<T> trace, PlanBuffer<T>[] inputBuffers, PlanBuffer<T>[] parameterBuffers,
        List<(Tensor<T> Leaf, PlanBuffer<T> Buffer)> live, ref int constants)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < trace.Inputs.Length; i++)
        {
            if (ReferenceEquals(leaf, trace.Inputs[i]) || ReferenceEquals(leaf.Data, trace.Inputs[i].Data))
            {
                return inputBuffers[i];
            }
        }
        for (int i = 0; i < trace.Parameters.Length; i++)
        {
            if (ReferenceEquals(leaf, trace.Parameters[i]) || ReferenceEquals(leaf.Data, trace.Parameters[i].Data))
            {
                return parameterBuffers[i];
            }
        }
        var buffer = new PlanBuffer<T>(leaf.Data, leaf.Name ?? string.Create(CultureInfo.InvariantCulture, $"c{constants++}"));
        live.Add((leaf, buffer));
        return buffer;
    }

    /// <summary>
    /// A product followed at once by an element-wise operation with a row that is the only reader of its result (a bias
    /// add after X·Wᵀ) becomes one step running the operation in the product's epilogue
    /// (<see cref="BinaryStep{T, TOp}.AfterProduct"/>); the pair's result is the operation's, checked by
    /// <see cref="Verify"/> like every other step.
    /// </summary>
    private static void FuseProductEpilogues<T>(List<PlanStep<T>> steps, List<Tensor<T>> producedBy, List<Tensor<T>> order,
        HashSet<Tensor<T>> folded, List<Tensor<T>> roots)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var readers = new Dictionary<Tensor<T>, int>(ReferenceEqualityComparer.Instance);
        foreach (Tensor<T> node in order)
        {
            foreach (Tensor<T> input in folded.Contains(node) ? [] : node.Creator?.Inputs ?? [])
            {
                readers[input] = readers.GetValueOrDefault(input) + 1;
            }
        }
        for (int s = 0; s + 1 < steps.Count; s++)
        {
            if (steps[s] is MatMulStep<T> product && steps[s + 1] is IProductEpilogue<T> next
                && readers.GetValueOrDefault(producedBy[s]) == 1 && !roots.Any(r => ReferenceEquals(r, producedBy[s]))
                && next.AfterProduct(product) is { } merged)
            {
                steps[s] = merged;
                steps.RemoveAt(s + 1);
                producedBy.RemoveAt(s);
            }
        }
    }

    /// <summary>The plan's steps as runs [Start, End): each run of two or more consecutive element-wise steps of one shape becomes one <see cref="FusedStep{T}"/>.</summary>
    private static List<(int Start, int End)> FusedGroups<T>(List<PlanStep<T>> steps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var groups = new List<(int, int)>();
        int i = 0;
        while (i < steps.Count)
        {
            int end = i + 1;
            if (steps[i].IsElementwise)
            {
                while (end < steps.Count && steps[end].IsElementwise && steps[end].Shape == steps[i].Shape)
                {
                    end++;
                }
            }
            groups.Add((i, end));
            i = end;
        }
        return groups;
    }
}
