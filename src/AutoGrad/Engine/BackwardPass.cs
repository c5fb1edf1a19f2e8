using System.Numerics;

namespace AutoGrad;

/// <summary>
/// The reverse sweep: orders the graph behind a root with an explicit stack (no recursion, so a chain of
/// any length is safe), then walks it from the root back to the leaves, summing the contributions every
/// tensor receives before passing its gradient on.
/// </summary>
/// <remarks>
/// <para>Each tensor of the graph gets a slot, a small integer, when the ordering first reaches it; the sweep works on
/// arrays indexed by slot (pending gradients, the slots of each operation's inputs), kept with a slot dictionary in a
/// per-thread workspace reused from pass to pass. Nothing is written on the tensors: passes on several threads through
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
        public readonly Dictionary<Tensor<T>, int> Slots = new(ReferenceEqualityComparer.Instance);
        public readonly List<int> PostOrder = [];
        public readonly PassAllocations<T> Allocations = new();

        /// <summary>Gradients that died while one rule's results were summed in, recycled after the last of them.</summary>
        public readonly List<Tensor<T>> Dead = [];

        /// <summary>Gradients for the caller, handed over once the sweep has succeeded.</summary>
        public readonly List<(Tensor<T> Tensor, Tensor<T> Gradient)> Deliveries = [];

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
            Tensors.Add(tensor);
            Slots.Add(tensor, slot);
            if (slot == Grads.Length)
            {
                Array.Resize(ref Grads, 2 * slot);
                Array.Resize(ref FirstInput, 2 * slot);
            }
            int inputs = tensor.Creator?.Inputs.Length ?? 0;
            FirstInput[slot] = InputSlotCount;
            if (InputSlotCount + inputs > InputSlots.Length)
            {
                Array.Resize(ref InputSlots, Math.Max(2 * InputSlots.Length, InputSlotCount + inputs));
            }
            InputSlots.AsSpan(InputSlotCount, inputs).Fill(NoSlot);
            InputSlotCount += inputs;
            if (inputs > RuleGradients.Length)
            {
                RuleGradients = new Tensor<T>?[inputs];
            }
            return slot;
        }

        public void Clear()
        {
            Array.Clear(Grads, 0, Count);
            Tensors.Clear();
            Slots.Clear();
            PostOrder.Clear();
            Dead.Clear();
            Deliveries.Clear();
            Allocations.Clear();
            InputSlotCount = 0;
        }
    }

    [ThreadStatic] private static Workspace? idle;

    /// <summary>
    /// Propagates <paramref name="seed"/> = ∂L/∂root back through the graph and hands the total gradient of every
    /// tensor for which <paramref name="wants"/> is true to <paramref name="deliver"/>, after the whole sweep succeeded.
    /// With <paramref name="createGraph"/> the sweep itself is recorded, so the gradients can be differentiated again.
    /// </summary>
    public static void Run(Tensor<T> root, Tensor<T> seed, bool createGraph,
        Func<Tensor<T>, bool> wants, Action<Tensor<T>, Tensor<T>> deliver)
    {
        Workspace work = idle ?? new Workspace();
        idle = null;
        int savedMode = GradMode.EnterBackwardPass(createGraph);
        // A recorded pass's gradients are part of a graph: none of them may be reused.
        PassAllocations<T>? reuse = createGraph || BufferPool<T>.DisabledOnThisThread ? null : work.Allocations;
        PassAllocations<T>? savedAllocations = PassAllocations<T>.Enter(reuse);
        try
        {
            Order(root, work);
            work.Grads[0] = seed; // the root has slot 0
            Sweep(work, wants, reuse);
            foreach (var (tensor, gradient) in work.Deliveries)
            {
                deliver(tensor, gradient);
            }
        }
        finally
        {
            PassAllocations<T>.Exit(savedAllocations);
            GradMode.ExitBackwardPass(savedMode);
            if (work.Count <= Workspace.MaxRetainedSlots)
            {
                work.Clear();
                idle = work;
            }
        }
    }

    private static void Sweep(Workspace work, Func<Tensor<T>, bool> wants, PassAllocations<T>? reuse)
    {
        List<int> postOrder = work.PostOrder;
        Tensor<T>?[] grads = work.Grads;
        List<Tensor<T>> dead = work.Dead;
        for (int n = postOrder.Count - 1; n >= 0; n--)
        {
            int slot = postOrder[n];
            Tensor<T>? grad = grads[slot];
            if (grad is null)
            {
                continue;
            }
            grads[slot] = null;
            reuse?.Release(grad);
            Tensor<T> tensor = work.Tensors[slot];
            if (wants(tensor))
            {
                reuse?.Keep(grad);
                work.Deliveries.Add((tensor, grad));
            }
            Operation<T>? op = tensor.Creator;
            if (op is null)
            {
                reuse?.Recycle(grad);
                continue;
            }
            int inputCount = op.Inputs.Length;
            Span<Tensor<T>?> inputGrads = work.RuleGradients.AsSpan(0, inputCount);
            inputGrads.Clear();
            RunRule(op, tensor, grad, inputGrads);
            int firstInput = work.FirstInput[slot];
            for (int i = 0; i < inputCount; i++)
            {
                Tensor<T>? inputGrad = inputGrads[i];
                int target = work.InputSlots[firstInput + i];
                if (inputGrad is null || target == NoSlot)
                {
                    continue;
                }
                Tensor<T> input = op.Inputs[i];
                if (inputGrad.Shape != input.Shape)
                {
                    inputGrad = SumToInput(op, i, inputGrad, input.Shape);
                    dead.Add(inputGrads[i]!);
                }
                if (GradMode.AnomalyDetection)
                {
                    AnomalyCheck.ThrowIfNotFinite(inputGrad, $"{op.Name} backward (gradient of input {i})", input, null, op.CreatedAt);
                }
                if (grads[target] is { } sum)
                {
                    Tensor<T> total = sum.Add(inputGrad);
                    reuse?.Release(sum);
                    dead.Add(sum);
                    dead.Add(inputGrad);
                    grads[target] = total;
                    reuse?.Hold(total);
                }
                else
                {
                    grads[target] = inputGrad;
                    reuse?.Hold(inputGrad);
                }
            }
            inputGrads.Clear();
            // Only now, once every input gradient is in place: a rule may return one tensor for both inputs, or
            // the incoming gradient itself, and an array reused before the last use would be overwritten.
            if (reuse is not null)
            {
                reuse.Recycle(grad);
                foreach (Tensor<T> candidate in dead)
                {
                    reuse.Recycle(candidate);
                }
            }
            dead.Clear();
        }
    }

    private static void RunRule(Operation<T> op, Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> inputGrads)
    {
        if (!GradMode.AnomalyDetection)
        {
            op.Backward(result, grad, inputGrads);
            return;
        }
        using (GradMode.EnterBackwardRule())
        {
            op.Backward(result, grad, inputGrads);
        }
    }

    /// <summary>The engine's one broadcast reduction: a gradient of the shape an input was broadcast to, summed back to the input's.</summary>
    private static Tensor<T> SumToInput(Operation<T> op, int input, Tensor<T> gradient, Shape shape)
    {
        bool broadcast = (shape.Rows == gradient.Rows || shape.Rows == 1) && (shape.Cols == gradient.Cols || shape.Cols == 1);
        if (!broadcast)
        {
            throw new InvalidOperationException(
                $"Backward: internal error in {op.Name}: gradient of input {input} is {gradient.Shape} but the input is {shape}.");
        }
        return gradient.SumTo(shape);
    }

    /// <summary>
    /// Depth-first from the root (slot 0): gives every tensor that requires a gradient a slot, checks each operation's
    /// input versions (so a refused pass has run no rule), records the slots of each operation's inputs, and lists the
    /// slots in post-order (inputs before the results that use them).
    /// </summary>
    private static void Order(Tensor<T> root, Workspace work)
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
                op.CheckInputVersions();
            }
            work.Stack[depth++] = (slot, next + 1);
            Tensor<T> input = op.Inputs[next];
            if (!input.RequiresGrad)
            {
                continue;
            }
            if (!work.Slots.TryGetValue(input, out int inputSlot))
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
