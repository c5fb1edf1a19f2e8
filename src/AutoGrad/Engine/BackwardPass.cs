using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoGrad;

/// <summary>
/// The reverse sweep: orders the graph behind a root with an explicit stack (no recursion, so a chain of
/// any length is safe), then walks it from the root back to the leaves, summing the contributions every
/// tensor receives before passing its gradient on.
/// </summary>
/// <remarks>
/// <para>Each tensor of the graph gets a slot, a small integer, when the ordering first reaches it; the sweep works on
/// arrays indexed by slot (pending gradients, the slots of each operation's inputs), kept with a slot table (open addressing on
/// <see cref="Tensor{T}.HashId"/>) in a per-thread workspace reused from pass to pass. Nothing is written on the tensors: passes on several threads through
/// shared tensors (a model evaluated on many threads) never see each other's state.</para>
/// <para>All or nothing: the ordering checks every operation's input versions before any rule runs, and gradients are
/// handed to <c>deliver</c> only after the whole sweep has succeeded. A refused pass (an input changed in place, a
/// disposed tensor, a rule that throws, an anomaly) leaves every <c>Grad</c> as it was.</para>
/// <para>Broadcasting: a rule may return the gradient of an input in the shape the input was broadcast to; the sweep
/// sums it back to the input's shape (<see cref="Tensor{T}.SumTo"/>, recorded in a recorded pass), once, here.</para>
/// <para>An intermediate gradient is dead once its tensor's rule has run and no slot holds it any more; unless it was
/// handed to the caller, its array goes to <see cref="BufferPool{T}"/> (<see cref="PassAllocations{T}"/>).</para>
/// </remarks>
internal static class BackwardPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Marks an input that needs no gradient (it has no slot).</summary>
    private const int NoSlot = -1;

    /// <summary>
    /// The collections one pass needs, kept per thread and reused, so a backward pass allocates little of its
    /// own beyond the gradients. A pass started from inside another pass's callback makes its own.
    /// </summary>
    private sealed class Workspace
    {
        /// <summary>Graphs larger than this do not leave their (large) arrays behind for the next pass.</summary>
        public const int MaxRetainedSlots = 4096;

        public readonly List<Tensor<T>> Tensors = [];
        /// <summary>
        /// Tensor → slot, by open addressing on <see cref="Tensor{T}.HashId"/>: each entry is a slot + 1 (0: empty), the
        /// tensor itself is <see cref="Tensors"/>[slot]. A power of two, at most half full. Cheaper than a Dictionary
        /// (no comparer interface calls, no identity hash to generate for each new tensor), and cleared entry by entry
        /// (<see cref="tablePosition"/>).
        /// </summary>
        private int[] table = new int[32];

        /// <summary>Where slot s's entry is in <see cref="table"/>.</summary>
        private int[] tablePosition = new int[16];
        public readonly List<int> PostOrder = [];
        public readonly PassAllocations<T> Allocations = new();

        /// <summary>Gradients that died while one rule's results were summed in, recycled after the last of them.</summary>
        public readonly List<Tensor<T>> Dead = [];

        /// <summary>Gradients for the caller, handed over once the sweep has succeeded.</summary>
        public readonly List<(Tensor<T> Tensor, Tensor<T> Gradient)> Deliveries = [];

        /// <summary>The gradients handed over so far, when there are many deliveries (see <c>distinctDeliveries</c>).</summary>
        public readonly HashSet<Tensor<T>> Delivered = new(ReferenceEqualityComparer.Instance);

        public Tensor<T>?[] Grads = new Tensor<T>?[16];

        /// <summary>Where slot s's input slots start in <see cref="InputSlots"/> (operations with any number of inputs).</summary>
        public int[] FirstInput = new int[16];
        public int[] InputSlots = new int[32];
        public int InputSlotCount;

        /// <summary>The gradients one rule returns, one per input.</summary>
        public Tensor<T>?[] RuleGradients = new Tensor<T>?[4];
        public (int Slot, int NextInput)[] Stack = new (int, int)[16];

        public int Count => Tensors.Count;

        public int AddSlot(Tensor<T> tensor)
        {
            int slot = Tensors.Count;
            int inputs = tensor.Creator is { } op ? op.Inputs.Length : 0;
            if (slot == Grads.Length || 2 * (slot + 1) > table.Length || InputSlotCount + inputs > InputSlots.Length || inputs > RuleGradients.Length)
            {
                Grow(slot, inputs);
            }
            Tensors.Add(tensor);
            Insert(tensor, slot);
            int first = InputSlotCount;
            FirstInput[slot] = first;
            int[] inputSlots = InputSlots;
            for (int i = first; i < first + inputs; i++)
            {
                inputSlots[i] = NoSlot;
            }
            InputSlotCount = first + inputs;
            return slot;
        }

        /// <summary>Makes room for slot <paramref name="slot"/>, a tensor made by an operation with <paramref name="inputs"/> inputs.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Grow(int slot, int inputs)
        {
            if (slot == Grads.Length)
            {
                Array.Resize(ref Grads, 2 * slot);
                Array.Resize(ref FirstInput, 2 * slot);
                Array.Resize(ref tablePosition, 2 * slot);
            }
            if (2 * (slot + 1) > table.Length)
            {
                table = new int[2 * table.Length];
                for (int s = 0; s < slot; s++)
                {
                    Insert(Tensors[s], s);
                }
            }
            if (InputSlotCount + inputs > InputSlots.Length)
            {
                Array.Resize(ref InputSlots, Math.Max(2 * InputSlots.Length, InputSlotCount + inputs));
            }
            if (inputs > RuleGradients.Length)
            {
                RuleGradients = new Tensor<T>?[inputs];
            }
        }

        /// <summary>The slot of <paramref name="tensor"/>, or <see cref="NoSlot"/> if it has none yet.</summary>
        public int FindSlot(Tensor<T> tensor)
        {
            int[] entries = table;
            int mask = entries.Length - 1;
            for (int i = tensor.HashId & mask; ; i = (i + 1) & mask)
            {
                int entry = entries[i];
                if (entry == 0)
                {
                    return NoSlot;
                }
                if (ReferenceEquals(Tensors[entry - 1], tensor))
                {
                    return entry - 1;
                }
            }
        }

        private void Insert(Tensor<T> tensor, int slot)
        {
            int[] entries = table;
            int mask = entries.Length - 1;
            int i = tensor.HashId & mask;
            while (entries[i] != 0)
            {
                i = (i + 1) & mask;
            }
            entries[i] = slot + 1;
            tablePosition[slot] = i;
        }

        /// <summary>
        /// Forgets the pass, for the next one. After a sweep that ran to the end, every pending gradient and rule result
        /// has been taken out already (<paramref name="swept"/>); a refused pass may leave some behind.
        /// </summary>
        public void Clear(bool swept)
        {
            for (int s = 0; s < Count; s++)
            {
                table[tablePosition[s]] = 0;
            }
            if (!swept)
            {
                Array.Clear(Grads, 0, Count);
                Array.Clear(RuleGradients);
            }
            Tensors.Clear();
            PostOrder.Clear();
            Dead.Clear();
            Deliveries.Clear();
            Delivered.Clear();
            Allocations.Clear();
            InputSlotCount = 0;
        }
    }

    /// <summary>
    /// Propagates <paramref name="seed"/> = ∂L/∂root back through the graph and hands the total gradient of every
    /// tensor for which <paramref name="wants"/> is true to <paramref name="deliver"/>, after the whole sweep succeeded.
    /// With <paramref name="createGraph"/> the sweep itself is recorded, so the gradients can be differentiated again.
    /// A refusal (an input changed in place, a value a rule reads disposed with its scope) names <paramref name="caller"/>, the public method the caller called.
    /// With <c>distinctDeliveries</c> each tensor is handed a gradient no one else holds: one that is the caller's seed,
    /// or that a rule passed on unchanged to several wanted tensors (Add's g to both operands), is copied for every
    /// delivery after the first (the seed for every one); in a recorded pass, only one that requires no gradient (a
    /// constant). <c>Backward</c> asks for it, as its gradients become
    /// <c>Grad</c>s a caller may write into or a later seed may be; <c>Autograd.Grad</c> does not (it returns the seed
    /// itself for an identity, as <c>torch.autograd.grad</c> does).
    /// </summary>
    public static void Run(Tensor<T> root, Tensor<T> seed, bool createGraph,
        Func<Tensor<T>, bool> wants, Action<Tensor<T>, Tensor<T>> deliver, string caller = "Backward", bool distinctDeliveries = false)
    {
        RefuseUnrecordedWhileTracing(root, createGraph, caller);
        EngineThread<T> thread = EngineThread.Current.Of<T>();
        Workspace work = thread.IdleWorkspace as Workspace ?? new Workspace();
        thread.IdleWorkspace = null; // a pass started from a callback of this one makes its own
        GradMode.SavedMode savedMode = GradMode.EnterBackwardPass(createGraph);
        // A recorded pass's gradients are part of a graph: none of them may be reused.
        PassAllocations<T>? reuse = createGraph || thread.Pool.Disabled ? null : work.Allocations;
        PassAllocations<T>? savedAllocations = PassAllocations<T>.Enter(thread, reuse);
        bool swept = false;
        try
        {
            Order(root, work, caller);
            work.Grads[0] = seed; // the root has slot 0
            Sweep(work, wants, reuse, caller);
            swept = true;
            List<(Tensor<T> Tensor, Tensor<T> Gradient)> deliveries = work.Deliveries;
            HashSet<Tensor<T>>? delivered = distinctDeliveries && deliveries.Count > LinearScanDeliveries ? work.Delivered : null;
            for (int i = 0; i < deliveries.Count; i++)
            {
                var (tensor, gradient) = deliveries[i];
                // a recorded pass copies only constants (a copy of a recorded gradient would cut it from its graph; a
                // recorded result can never be written into anyway)
                if (distinctDeliveries && (!createGraph || !gradient.RequiresGrad)
                    && (delivered is null ? IsHeldElsewhere(deliveries, i, seed) : ReferenceEquals(gradient, seed) || !delivered.Add(gradient)))
                {
                    gradient = new Tensor<T>(gradient.Shape, (T[])gradient.Data.Clone());
                }
                deliver(tensor, gradient);
            }
        }
        finally
        {
            PassAllocations<T>.Exit(thread, savedAllocations);
            GradMode.ExitBackwardPass(savedMode);
            if (work.Count <= Workspace.MaxRetainedSlots)
            {
                work.Clear(swept);
                thread.IdleWorkspace = work;
            }
        }
    }

    /// <summary>
    /// Refuses a plain (not <c>createGraph</c>) pass while a function is being traced for compilation (issue 13): such a
    /// pass records nothing, so its gradients would enter the trace as constants and the compiled function would return
    /// (or add) the traced call's gradient on every later call. Whether the function goes on to use them cannot be told
    /// soundly (a value read out with <c>Item</c> or <c>ToFlatArray</c>, a <c>Grad</c> written into a parameter that
    /// lives outside), so every such pass is refused — before it has changed anything. The compiler's own plain pass
    /// (<c>Trace.CheckAgainstEagerBackward</c>) runs after the trace has ended.
    /// </summary>
    private static void RefuseUnrecordedWhileTracing(Tensor<T> root, bool createGraph, string caller)
    {
        if (!createGraph && GradMode.TracingApi is { } api)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"{caller}: a backward pass without createGraph inside a function that {api} is tracing, from {root.Describe()}. ") +
                "Such a pass records nothing, so the compiled function would keep this call's gradient as a constant and " +
                "return it on every later call; " + (caller is "Backward" or "Autograd.Grad"
                    ? "pass createGraph: true so the trace records the gradient, or compute it outside the compiled function."
                    : $"{caller} has no recorded form: compute it outside the compiled function."));
        }
    }

    /// <summary>Up to this many deliveries, <see cref="IsHeldElsewhere"/> compares pointers; beyond, a set does.</summary>
    private const int LinearScanDeliveries = 32;

    /// <summary>
    /// True if delivery <paramref name="index"/>'s gradient is the caller's seed or was already handed to an earlier
    /// delivery (pointer compares: a pass delivers to its leaves and retained results, usually a few).
    /// </summary>
    private static bool IsHeldElsewhere(List<(Tensor<T> Tensor, Tensor<T> Gradient)> deliveries, int index, Tensor<T> seed)
    {
        Tensor<T> gradient = deliveries[index].Gradient;
        if (ReferenceEquals(gradient, seed))
        {
            return true;
        }
        for (int j = 0; j < index; j++)
        {
            if (ReferenceEquals(deliveries[j].Gradient, gradient))
            {
                return true;
            }
        }
        return false;
    }

    private static void Sweep(Workspace work, Func<Tensor<T>, bool> wants, PassAllocations<T>? reuse, string caller)
    {
        List<int> postOrder = work.PostOrder;
        Tensor<T>?[] grads = work.Grads;
        List<Tensor<T>> dead = work.Dead;
        bool anomaly = GradMode.AnomalyDetection;
        for (int n = postOrder.Count - 1; n >= 0; n--)
        {
            int slot = postOrder[n];
            Tensor<T>? grad = grads[slot];
            if (grad is null)
            {
                continue;
            }
            grads[slot] = null;
            // Reuse bookkeeping only once the pass has allocated an array the pool would keep (never, for small graphs).
            if (reuse is { IsTracking: true })
            {
                reuse.Release(grad);
            }
            Tensor<T> tensor = work.Tensors[slot];
            if (wants(tensor))
            {
                if (reuse is { IsTracking: true })
                {
                    reuse.Keep(grad);
                }
                work.Deliveries.Add((tensor, grad));
            }
            Operation<T>? op = tensor.Creator;
            if (op is null)
            {
                if (reuse is { IsTracking: true })
                {
                    reuse.Recycle(grad);
                }
                continue;
            }
            Tensor<T>[] inputs = op.Inputs;
            Tensor<T>?[] inputGrads = work.RuleGradients;
            for (int i = 0; i < inputs.Length; i++)
            {
                inputGrads[i] = null;
            }
            RunRule(op, tensor, grad, inputGrads.AsSpan(0, inputs.Length), anomaly, caller);
            bool track = reuse is { IsTracking: true };
            int firstInput = work.FirstInput[slot];
            for (int i = 0; i < inputs.Length; i++)
            {
                Tensor<T>? inputGrad = inputGrads[i];
                inputGrads[i] = null;
                int target = work.InputSlots[firstInput + i];
                if (inputGrad is null || target == NoSlot)
                {
                    continue;
                }
                Tensor<T> input = inputs[i];
                if (inputGrad.Shape != input.Shape)
                {
                    Tensor<T> broadcast = inputGrad;
                    inputGrad = SumToInput(op, i, broadcast, input.Shape);
                    // The sum may be the pass's first array the pool would keep: from here on it must be held and
                    // released like every later one (a stale "not tracking" left it unheld, and a rule passing it on
                    // recycled it while it was still pending — an ObjectDisposedException in a later rule or the caller).
                    track = reuse is { IsTracking: true };
                    if (track)
                    {
                        dead.Add(broadcast);
                    }
                }
                if (anomaly)
                {
                    AnomalyCheck.ThrowIfNotFinite(inputGrad, string.Create(CultureInfo.InvariantCulture, $"{op.Name} backward (gradient of input {i})"), input, null, op.CreatedAt);
                }
                if (grads[target] is { } sum)
                {
                    Tensor<T> total = sum.Add(inputGrad);
                    grads[target] = total;
                    track = reuse is { IsTracking: true }; // the sum may be the pass's first large array
                    if (track)
                    {
                        reuse!.Release(sum);
                        dead.Add(sum);
                        dead.Add(inputGrad);
                        reuse.Hold(total);
                    }
                }
                else
                {
                    grads[target] = inputGrad;
                    if (track)
                    {
                        reuse!.Hold(inputGrad);
                    }
                }
            }
            // Only now, once every input gradient is in place: a rule may return one tensor for both inputs, or
            // the incoming gradient itself, and an array reused before the last use would be overwritten.
            if (track)
            {
                reuse!.Recycle(grad);
                foreach (Tensor<T> candidate in dead)
                {
                    reuse.Recycle(candidate);
                }
                dead.Clear();
            }
        }
    }

    private static void RunRule(Operation<T> op, Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> inputGrads, bool anomaly, string caller)
    {
        try
        {
            if (!anomaly)
            {
                op.Backward(result, grad, inputGrads);
                return;
            }
            using (GradMode.EnterBackwardRule())
            {
                op.Backward(result, grad, inputGrads);
            }
        }
        catch (ObjectDisposedException e) when (!e.Message.Contains(DisposedInRule, StringComparison.Ordinal))
        {
            // a value the rule reads was recycled by a scope that has ended: typically the caller kept only the result
            Tensor<T>? gone = result.IsDisposed ? result : Array.Find(op.Inputs, input => input.IsDisposed);
            string what = gone is null ? e.Message : $"{gone.Describe()}{(gone.Creator is { } maker ? $" from {maker.Name}" : "")}, which was created inside a TensorScope that has ended (its memory has been reused).";
            throw new ObjectDisposedException(
                $"{caller}{DisposedInRule} {op.Name} reads {what} TensorScope.Keep hands out a tensor's values and gradient, " +
                $"not the graph it was computed from: call {caller} before the scope ends (or Keep every result the rules read). " +
                "No gradient was changed.", e);
        }
    }

    /// <summary>How a refusal for a disposed value read by a rule goes on after the caller's method (so a nested pass does not say it twice).</summary>
    private const string DisposedInRule = ": the rule of";

    /// <summary>The engine's one broadcast reduction: a gradient of the shape an input was broadcast to, summed back to the input's.</summary>
    private static Tensor<T> SumToInput(Operation<T> op, int input, Tensor<T> gradient, Shape shape)
    {
        bool broadcast = (shape.Rows == gradient.Rows || shape.Rows == 1) && (shape.Cols == gradient.Cols || shape.Cols == 1);
        if (!broadcast)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"Backward: internal error in {op.Name}: gradient of input {input} is {gradient.Shape} but the input is {shape}."));
        }
        return gradient.SumTo(shape);
    }

    /// <summary>
    /// Depth-first from the root (slot 0): gives every tensor that requires a gradient a slot, checks each operation's
    /// input versions (so a refused pass has run no rule), records the slots of each operation's inputs, and lists the
    /// slots in post-order (inputs before the results that use them).
    /// </summary>
    private static void Order(Tensor<T> root, Workspace work, string caller)
    {
        work.AddSlot(root);
        int depth = 0;
        work.Stack[depth++] = (0, 0);
        while (depth > 0)
        {
            var (slot, next) = work.Stack[--depth];
            Operation<T>? op = work.Tensors[slot].Creator;
            if (op is null || next == op.Inputs.Length)
            {
                work.PostOrder.Add(slot);
                continue;
            }
            if (next == 0)
            {
                op.CheckInputVersions(caller);
            }
            work.Stack[depth++] = (slot, next + 1);
            Tensor<T> input = op.Inputs[next];
            if (!input.RequiresGrad)
            {
                continue;
            }
            int inputSlot = work.FindSlot(input);
            if (inputSlot == NoSlot)
            {
                inputSlot = work.AddSlot(input);
                if (depth == work.Stack.Length)
                {
                    Array.Resize(ref work.Stack, 2 * depth);
                }
                work.Stack[depth++] = (inputSlot, 0);
            }
            work.InputSlots[work.FirstInput[slot] + next] = inputSlot;
        }
    }
}
