using System.Numerics;

namespace AutoGrad;

/// <summary>
/// The reverse sweep: orders the graph behind a root with an explicit stack (no recursion, so a chain of
/// any length is safe), then walks it from the root back to the leaves, summing the contributions every
/// tensor receives before passing its gradient on.
/// </summary>
internal static class BackwardPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The collections one pass needs, kept per thread and reused, so a backward pass allocates nothing of its
    /// own: only the gradients. A pass that finds the workspace taken (a pass started from inside another
    /// pass's callback) makes its own.
    /// </summary>
    private sealed class Workspace
    {
        /// <summary>Graphs larger than this do not leave their (large) collections behind for the next pass.</summary>
        public const int MaxRetainedNodes = 4096;

        public readonly List<Tensor<T>> Order = [];
        public readonly HashSet<Tensor<T>> Visited = new(ReferenceEqualityComparer.Instance);
        public readonly Stack<(Tensor<T> Tensor, int NextInput)> Stack = new();
        public readonly Dictionary<Tensor<T>, Tensor<T>> Pending = new(ReferenceEqualityComparer.Instance);

        public void Clear()
        {
            Order.Clear();
            Visited.Clear();
            Stack.Clear();
            Pending.Clear();
        }
    }

    [ThreadStatic] private static Workspace? idle;

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
        int savedMode = GradMode.EnterBackwardPass(createGraph);
        try
        {
            TopologicalOrder(root, work);
            Sweep(work.Order, work.Pending, root, seed, wants, deliver);
        }
        finally
        {
            GradMode.ExitBackwardPass(savedMode);
            if (work.Order.Count <= Workspace.MaxRetainedNodes)
            {
                work.Clear();
                idle = work;
            }
        }
    }

    private static void Sweep(List<Tensor<T>> order, Dictionary<Tensor<T>, Tensor<T>> pending, Tensor<T> root, Tensor<T> seed,
        Func<Tensor<T>, bool> wants, Action<Tensor<T>, Tensor<T>> deliver)
    {
        pending[root] = seed;
        for (int n = order.Count - 1; n >= 0; n--)
        {
            Tensor<T> tensor = order[n];
            if (!pending.Remove(tensor, out Tensor<T>? grad))
            {
                continue;
            }
            if (wants(tensor))
            {
                deliver(tensor, grad);
            }
            Operation<T>? op = tensor.Creator;
            if (op is null)
            {
                continue;
            }
            op.CheckInputVersions();
            Tensor<T>?[] inputGrads = GradMode.AnomalyDetection ? BackwardInAnomalyMode(op, tensor, grad) : op.Backward(tensor, grad);
            for (int i = 0; i < inputGrads.Length; i++)
            {
                Tensor<T> input = op.Inputs[i];
                Tensor<T>? inputGrad = inputGrads[i];
                if (inputGrad is null || !input.RequiresGrad)
                {
                    continue;
                }
                if (inputGrad.Shape != input.Shape)
                {
                    throw new InvalidOperationException(
                        $"Backward: internal error in {op.Name}: gradient of input {i} is {inputGrad.Shape} but the input is {input.Shape}.");
                }
                if (GradMode.AnomalyDetection)
                {
                    AnomalyCheck.ThrowIfNotFinite(inputGrad, $"{op.Name} backward (gradient of input {i})", input, null, op.CreatedAt);
                }
                pending[input] = pending.TryGetValue(input, out Tensor<T>? sum) ? sum.Add(inputGrad) : inputGrad;
            }
        }
    }

    private static Tensor<T>?[] BackwardInAnomalyMode(Operation<T> op, Tensor<T> result, Tensor<T> grad)
    {
        using (GradMode.EnterBackwardRule())
        {
            return op.Backward(result, grad);
        }
    }

    /// <summary>Every tensor that needs a gradient behind <paramref name="root"/>, inputs before the results that use them.</summary>
    public static List<Tensor<T>> TopologicalOrder(Tensor<T> root)
    {
        var work = new Workspace();
        TopologicalOrder(root, work);
        return work.Order;
    }

    private static void TopologicalOrder(Tensor<T> root, Workspace work)
    {
        List<Tensor<T>> order = work.Order;
        HashSet<Tensor<T>> visited = work.Visited;
        var stack = work.Stack;
        visited.Add(root);
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (tensor, next) = stack.Pop();
            Tensor<T>[]? inputs = tensor.Creator?.Inputs;
            if (inputs is not null && next < inputs.Length)
            {
                stack.Push((tensor, next + 1));
                Tensor<T> input = inputs[next];
                if (input.RequiresGrad && visited.Add(input))
                {
                    stack.Push((input, 0));
                }
            }
            else
            {
                order.Add(tensor);
            }
        }
    }
}
