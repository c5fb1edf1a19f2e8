using System.Numerics;

namespace AutoGrad;

/// <summary>
/// The reverse sweep: orders the graph behind a root with an explicit stack (no recursion, so a chain of
/// any length is safe), then walks it from the root back to the leaves, summing the contributions every
/// tensor receives before passing its gradient on.
/// </summary>
/// <remarks>
/// Each tensor of the graph gets a slot, a small integer, when the ordering first reaches it; the sweep then works
/// on arrays indexed by slot (pending gradients, the slots of each operation's inputs), kept in a per-thread
/// workspace reused from pass to pass. A tensor remembers its slot together with the number of the pass that gave
/// it (<see cref="Tensor{T}.BackwardSlot"/>, one atomic 64-bit field), so finding an input's slot costs one read
/// and no hashing. Passes on other threads through shared tensors may overwrite that field; the pass then simply
/// gives the tensor a second slot, and since every backward rule is linear in the incoming gradient, the two
/// slots' contributions add up to the same total — slower, never wrong.
/// An intermediate gradient is dead once its tensor's rule has run and no slot holds it any more; unless it was
/// handed to the caller, its array goes to <see cref="BufferPool{T}"/> for the next gradient of its length
/// (each tensor counts the slots holding it in <see cref="Tensor{T}.GradSlotHolds"/>).
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

        /// <summary>This pass's number, unique in the process, stamped on each tensor with its slot.</summary>
        public int Pass;
        public readonly List<Tensor<T>> Tensors = [];
        public readonly List<int> PostOrder = [];

        /// <summary>Gradients that died while one rule's results were summed in, recycled after the last of them.</summary>
        public readonly List<Tensor<T>> Dead = [];
        public Tensor<T>?[] Grads = new Tensor<T>?[16];
        public int[] InputSlots = new int[32];
        public (int Slot, int NextInput)[] Stack = new (int, int)[16];

        public int Count => Tensors.Count;

        public int AddSlot(Tensor<T> tensor)
        {
            int slot = Tensors.Count;
            Tensors.Add(tensor);
            tensor.BackwardSlot = (long)Pass << 32 | (uint)slot;
            if (slot == Grads.Length)
            {
                Array.Resize(ref Grads, 2 * slot);
                Array.Resize(ref InputSlots, 4 * slot);
            }
            InputSlots[2 * slot] = NoSlot;
            InputSlots[2 * slot + 1] = NoSlot;
            return slot;
        }

        public void Clear()
        {
            Array.Clear(Grads, 0, Count);
            Tensors.Clear();
            PostOrder.Clear();
            Dead.Clear();
        }
    }

    [ThreadStatic] private static Workspace? idle;
    private static int passCounter;

    /// <summary>
    /// Propagates <paramref name="seed"/> = ∂L/∂root back through the graph and hands the total gradient of every
    /// tensor for which <paramref name="wants"/> is true to <paramref name="deliver"/>.
    /// With <paramref name="createGraph"/> the sweep itself is recorded, so the gradients can be differentiated again.
    /// </summary>
    public static void Run(Tensor<T> root, Tensor<T> seed, bool createGraph,
        Func<Tensor<T>, bool> wants, Action<Tensor<T>, Tensor<T>> deliver)
    {
        Workspace work = idle ?? new Workspace();
        idle = null;
        work.Pass = Interlocked.Increment(ref passCounter);
        int savedMode = GradMode.EnterBackwardPass(createGraph);
        int savedPoolPass = BufferPool<T>.CurrentPass;
        // A recorded pass's gradients are part of a graph: none of them may be reused.
        BufferPool<T>.CurrentPass = createGraph || BufferPool<T>.DisabledOnThisThread ? 0 : work.Pass;
        try
        {
            Order(root, work);
            work.Grads[0] = seed; // the root has slot 0
            seed.GradSlotHolds++;
            Sweep(work, wants, deliver);
        }
        finally
        {
            BufferPool<T>.CurrentPass = savedPoolPass;
            GradMode.ExitBackwardPass(savedMode);
            if (work.Count <= Workspace.MaxRetainedSlots)
            {
                work.Clear();
                idle = work;
            }
        }
    }

    private static void Sweep(Workspace work, Func<Tensor<T>, bool> wants, Action<Tensor<T>, Tensor<T>> deliver)
    {
        List<int> postOrder = work.PostOrder;
        Tensor<T>?[] grads = work.Grads;
        int[] inputSlots = work.InputSlots;
        int pass = BufferPool<T>.CurrentPass; // 0 in a recorded pass: nothing is reused
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
            grad.GradSlotHolds--;
            Tensor<T> tensor = work.Tensors[slot];
            if (wants(tensor))
            {
                grad.AllocatedInPass = 0; // the caller keeps it: never reuse its array
                deliver(tensor, grad);
            }
            Operation<T>? op = tensor.Creator;
            if (op is null)
            {
                BufferPool<T>.Recycle(grad, pass);
                continue;
            }
            op.CheckInputVersions();
            InputGradients<T> inputGrads = GradMode.AnomalyDetection ? BackwardInAnomalyMode(op, tensor, grad) : op.Backward(tensor, grad);
            for (int i = 0; i < op.Inputs.Length; i++)
            {
                Tensor<T>? inputGrad = inputGrads[i];
                int target = inputSlots[2 * slot + i];
                if (inputGrad is null || target == NoSlot)
                {
                    continue;
                }
                Tensor<T> input = op.Inputs[i];
                if (inputGrad.Shape != input.Shape)
                {
                    throw new InvalidOperationException(
                        $"Backward: internal error in {op.Name}: gradient of input {i} is {inputGrad.Shape} but the input is {input.Shape}.");
                }
                if (GradMode.AnomalyDetection)
                {
                    AnomalyCheck.ThrowIfNotFinite(inputGrad, $"{op.Name} backward (gradient of input {i})", input, null, op.CreatedAt);
                }
                if (grads[target] is { } sum)
                {
                    Tensor<T> total = sum.Add(inputGrad);
                    sum.GradSlotHolds--;
                    dead.Add(sum);
                    dead.Add(inputGrad);
                    grads[target] = total;
                    total.GradSlotHolds++;
                }
                else
                {
                    grads[target] = inputGrad;
                    inputGrad.GradSlotHolds++;
                }
            }
            // Only now, once every input gradient is in place: a rule may return one tensor for both inputs, or
            // the incoming gradient itself, and an array reused before the last use would be overwritten.
            BufferPool<T>.Recycle(grad, pass);
            foreach (Tensor<T> candidate in dead)
            {
                BufferPool<T>.Recycle(candidate, pass);
            }
            dead.Clear();
        }
    }

    private static InputGradients<T> BackwardInAnomalyMode(Operation<T> op, Tensor<T> result, Tensor<T> grad)
    {
        using (GradMode.EnterBackwardRule())
        {
            return op.Backward(result, grad);
        }
    }

    /// <summary>
    /// Depth-first from the root (slot 0): gives every tensor that requires a gradient a slot, records the slots
    /// of each operation's inputs, and lists the slots in post-order (inputs before the results that use them).
    /// </summary>
    private static void Order(Tensor<T> root, Workspace work)
    {
        work.AddSlot(root);
        int depth = 0;
        work.Stack[depth++] = (0, 0);
        while (depth > 0)
        {
            var (slot, next) = work.Stack[--depth];
            Tensor<T>[]? inputs = work.Tensors[slot].Creator?.Inputs;
            if (inputs is null || next == inputs.Length)
            {
                work.PostOrder.Add(slot);
                continue;
            }
            work.Stack[depth++] = (slot, next + 1);
            Tensor<T> input = inputs[next];
            if (!input.RequiresGrad)
            {
                continue;
            }
            long stamp = Volatile.Read(ref input.BackwardSlot);
            int inputSlot = (int)stamp;
            if ((int)(stamp >> 32) != work.Pass || inputSlot >= work.Count || !ReferenceEquals(work.Tensors[inputSlot], input))
            {
                inputSlot = work.AddSlot(input);
                if (depth == work.Stack.Length)
                {
                    Array.Resize(ref work.Stack, 2 * depth);
                }
                work.Stack[depth++] = (inputSlot, 0);
            }
            work.InputSlots[2 * slot + next] = inputSlot;
        }
    }
}
