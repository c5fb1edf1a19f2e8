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
    /// Propagates <paramref name="seed"/> = ∂L/∂root back through the graph and hands the total gradient of every
    /// tensor for which <paramref name="wants"/> is true to <paramref name="deliver"/>.
    /// With <paramref name="createGraph"/> the sweep itself is recorded, so the gradients can be differentiated again.
    /// </summary>
    public static void Run(Tensor<T> root, Tensor<T> seed, bool createGraph,
        Func<Tensor<T>, bool> wants, Action<Tensor<T>, Tensor<T>> deliver)
    {
        List<Tensor<T>> order = TopologicalOrder(root);
        var pending = new Dictionary<Tensor<T>, Tensor<T>>(ReferenceEqualityComparer.Instance) { [root] = seed };
        using IDisposable mode = createGraph ? GradMode.ForceEnableGrad() : GradMode.DisableGrad();
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
            Tensor<T>?[] inputGrads;
            if (GradMode.AnomalyDetection)
            {
                using (GradMode.EnterBackwardRule())
                {
                    inputGrads = op.Backward(tensor, grad);
                }
            }
            else
            {
                inputGrads = op.Backward(tensor, grad);
            }
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

    /// <summary>Every tensor that needs a gradient behind <paramref name="root"/>, inputs before the results that use them.</summary>
    public static List<Tensor<T>> TopologicalOrder(Tensor<T> root)
    {
        var order = new List<Tensor<T>>();
        var visited = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance) { root };
        var stack = new Stack<(Tensor<T> Tensor, int NextInput)>();
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
        return order;
    }
}
