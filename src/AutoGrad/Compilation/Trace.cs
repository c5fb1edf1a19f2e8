using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// One recording of a function for the compiler: the forward graph it built on copies of the inputs, the parameters
/// it reached (leaves that require a gradient and are not inputs), and — for a training step — the graph of the
/// eager backward pass itself, captured kernel for kernel (<see cref="BackwardCapture"/>).
/// </summary>
internal sealed class Trace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Trace(Tensor<T>[] inputs, Tensor<T> output, Tensor<T>[] parameters, Tensor<T>?[] gradients)
    {
        Inputs = inputs;
        Output = output;
        Parameters = parameters;
        Gradients = gradients;
    }

    /// <summary>The tensors the function was called with (copies of the caller's, requiring a gradient so that every
    /// operation on them is recorded).</summary>
    public Tensor<T>[] Inputs { get; }

    /// <summary>What the function returned.</summary>
    public Tensor<T> Output { get; }

    /// <summary>The leaves requiring a gradient that the output depends on, other than the inputs, in graph order.</summary>
    public Tensor<T>[] Parameters { get; }

    /// <summary>The captured gradient of each parameter (empty for a forward-only trace).</summary>
    public Tensor<T>?[] Gradients { get; }

    /// <summary>Calls <paramref name="function"/> on copies of <paramref name="inputs"/> with recording on.</summary>
    public static Trace<T> Record(string api, Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, bool withBackward)
    {
        var traced = new Tensor<T>[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            traced[i] = new Tensor<T>(inputs[i].Shape, (T[])inputs[i].Data.Clone(), inputs[i].Name) { RequiresGrad = true };
        }
        Tensor<T> output = CallRecorded(api, function, traced);
        Tensor<T>[] parameters = FindParameters(output, traced);
        if (!withBackward)
        {
            return new Trace<T>(traced, output, parameters, []);
        }
        if (!output.Shape.IsScalar)
        {
            throw new InvalidOperationException(
                $"{api}: the function returned {output.Describe()}; a compiled training step needs a 1×1 loss (reduce it with Sum() or Mean()).");
        }
        if (parameters.Length == 0)
        {
            throw new InvalidOperationException(
                $"{api}: nothing the loss depends on requires a gradient besides the inputs, so there is nothing to train. " +
                "Create the parameters with requiresGrad: true, or compile a forward function with Tensor.CompileForward.");
        }
        return new Trace<T>(traced, output, parameters, CaptureBackward(output, parameters));
    }

    /// <summary>Calls the function with recording forced on (also inside <c>Tensor.NoGrad()</c>).</summary>
    public static Tensor<T> CallRecorded(string api, Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs)
    {
        int saved = GradMode.EnterBackwardPass(createGraph: true);
        try
        {
            return function(inputs) ?? throw new InvalidOperationException($"{api}: the function returned null instead of a tensor.");
        }
        finally
        {
            GradMode.ExitBackwardPass(saved);
        }
    }

    private static Tensor<T>?[] CaptureBackward(Tensor<T> loss, Tensor<T>[] parameters)
    {
        var slots = new Dictionary<Tensor<T>, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < parameters.Length; i++)
        {
            slots[parameters[i]] = i;
        }
        var gradients = new Tensor<T>?[parameters.Length];
        using (BackwardCapture.Begin())
        {
            BackwardPass<T>.Run(loss, Tensor<T>.Constant(T.One), createGraph: true,
                t => slots.ContainsKey(t),
                (t, g) => gradients[slots[t]] = gradients[slots[t]] is { } earlier ? earlier.Add(g) : g);
        }
        return gradients;
    }

    /// <summary>The leaves behind <paramref name="output"/> that require a gradient and are not inputs, in depth-first order.</summary>
    private static Tensor<T>[] FindParameters(Tensor<T> output, Tensor<T>[] inputs)
    {
        var found = new List<Tensor<T>>();
        foreach (Tensor<T> node in GraphOrder.PostOrder([output]))
        {
            if (node.IsLeaf && node.RequiresGrad && Array.IndexOf(inputs, node) < 0)
            {
                found.Add(node);
            }
        }
        return [.. found];
    }

    /// <summary>The recorded operations behind the output, as "Name shape" in graph order: what checked calls compare.</summary>
    public static string[] Signature(Tensor<T> output) =>
        [.. GraphOrder.PostOrder([output]).Where(t => t.Creator is not null).Select(t => $"{t.Creator!.Name} → {t.Shape}")];
}

/// <summary>Orders a graph inputs-first, without recursion.</summary>
internal static class GraphOrder
{
    /// <summary>Every tensor reachable from <paramref name="roots"/> through recorded operations, each once, inputs before results.</summary>
    public static List<Tensor<T>> PostOrder<T>(IEnumerable<Tensor<T>> roots) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var order = new List<Tensor<T>>();
        var seen = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor<T> Node, int Next)>();
        foreach (Tensor<T> root in roots)
        {
            if (!seen.Add(root))
            {
                continue;
            }
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                Tensor<T>[]? inputs = node.Creator?.Inputs;
                if (inputs is null || next == inputs.Length)
                {
                    order.Add(node);
                    continue;
                }
                stack.Push((node, next + 1));
                if (seen.Add(inputs[next]))
                {
                    stack.Push((inputs[next], 0));
                }
            }
        }
        return order;
    }
}
