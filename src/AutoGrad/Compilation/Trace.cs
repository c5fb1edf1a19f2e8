using System.Globalization;
using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// One recording of a function for the compiler: the forward graph it built on copies of the inputs, the parameters
/// it reached (leaves that require a gradient and are not inputs), and — for a training step — the graph of the
/// eager backward pass itself, captured kernel for kernel (<see cref="BackwardCapture"/>).
/// </summary>
internal sealed class Trace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Trace(Tensor<T>[] inputs, Tensor<T> output, Tensor<T>[] parameters, Tensor<T>[] constants, Tensor<T>?[] gradients,
        TracedGradWrites<T>.Write[] gradWrites)
    {
        GradWrites = gradWrites;
        Inputs = inputs;
        Output = output;
        Parameters = parameters;
        Constants = constants;
        ConstantsRequireGrad = [.. constants.Select(c => c.RequiresGrad)];
        Gradients = gradients;
    }

    /// <summary>The tensors the function was called with (copies of the caller's, requiring no gradient, as the caller's do).</summary>
    public Tensor<T>[] Inputs { get; }

    /// <summary>What the function returned.</summary>
    public Tensor<T> Output { get; }

    /// <summary>
    /// The leaves other than the inputs that the backward pass reaches from the output (through results that require a
    /// gradient), in graph order: they require a gradient, and the step computes theirs.
    /// </summary>
    public Tensor<T>[] Parameters { get; }

    /// <summary>
    /// The other leaves behind the output that the function did not create (a frozen weight, a tensor built outside
    /// it, a parameter read only under <c>NoGrad</c>), other than the inputs. The plan reads them on every call; it holds
    /// only while each still requires a gradient exactly when it did (and every parameter still does), since the eager
    /// tape would otherwise record and differentiate another graph.
    /// </summary>
    public Tensor<T>[] Constants { get; }

    /// <summary>Whether each of <see cref="Constants"/> required a gradient when traced.</summary>
    public bool[] ConstantsRequireGrad { get; }

    /// <summary>The captured gradient of each parameter (empty for a forward-only trace).</summary>
    public Tensor<T>?[] Gradients { get; }

    /// <summary>
    /// The <c>Grad</c> writes a <c>Backward</c> inside the function made into tensors living outside it, in order: the
    /// plan adds each gradient into its target's Grad on every call, before the parameters' (undone after the trace).
    /// </summary>
    public TracedGradWrites<T>.Write[] GradWrites { get; }

    /// <summary>
    /// True for a leaf whose value the plan may keep as it was traced: created while tracing (by the function or the
    /// backward pass — a scalar constant, the seed, one-hot labels), so every eager call creates it again with the same
    /// values; not a view of another tensor's storage (<c>Detach</c>), and requiring no gradient.
    /// </summary>
    public static bool IsTraceConstant(Tensor<T> leaf) => !leaf.IsRecorded && leaf.CreatedWhileTracing && !leaf.RequiresGrad && !leaf.IsView;

    /// <summary>Calls <paramref name="function"/> on copies of <paramref name="inputs"/> with every operation recorded.</summary>
    public static Trace<T> Record(string api, Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, bool withBackward)
    {
        var traced = new Tensor<T>[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            traced[i] = new Tensor<T>(inputs[i].Shape, (T[])inputs[i].Data.Clone(), inputs[i].Name);
        }
        Tensor<T> output = CallRecorded(api, function, traced, out TracedGradWrites<T>.Write[] writes);
        RefuseReadingWrittenGrads(api, output, writes);
        var (parameters, constants) = FindLeaves(output, traced);
        if (!withBackward)
        {
            return new Trace<T>(traced, output, parameters, constants, [], writes);
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
        Tensor<T>?[] gradients = CaptureBackward(api, output, parameters);
        CheckAgainstEagerBackward(api, output, parameters, gradients);
        return new Trace<T>(traced, output, parameters, constants, gradients, writes);
    }

    /// <summary>
    /// Refuses a function whose result depends on a <c>Grad</c> a <c>Backward</c> inside it wrote into a tensor living
    /// outside it: eagerly that Grad holds every earlier call's gradients too, which a plan replaying this trace cannot
    /// follow (the gradient returned by <c>Autograd.Grad(…, createGraph: true)</c> can be used instead).
    /// </summary>
    private static void RefuseReadingWrittenGrads(string api, Tensor<T> output, TracedGradWrites<T>.Write[] writes)
    {
        if (writes.Length == 0)
        {
            return;
        }
        var graph = new HashSet<Tensor<T>>(GraphOrder.PostOrder([output]), ReferenceEqualityComparer.Instance);
        foreach (TracedGradWrites<T>.Write write in writes)
        {
            if (graph.Contains(write.Written))
            {
                throw new InvalidOperationException(
                    $"{api}: the function reads the Grad of {write.Target.Describe()} after a Backward inside it wrote it. Eagerly that Grad " +
                    "also holds every earlier call's gradients, which the compiled function cannot follow; use the gradient " +
                    "Autograd.Grad(…, createGraph: true) returns instead, or call the function eagerly.");
            }
        }
    }

    /// <summary>
    /// The safety net of the capture: a plain <c>Backward()</c> of the same graph must give every parameter the bits
    /// the captured pass gave it. A rule that computes its derivative one way when recorded and another (a fused
    /// kernel) when not, without capturing the fused kernel, would otherwise be compiled with the wrong rounding.
    /// </summary>
    private static void CheckAgainstEagerBackward(string api, Tensor<T> loss, Tensor<T>[] parameters, Tensor<T>?[] captured)
    {
        var slots = new Dictionary<Tensor<T>, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < parameters.Length; i++)
        {
            slots[parameters[i]] = i;
        }
        var eager = new T[]?[parameters.Length];
        BackwardPass<T>.Run(loss, Tensor<T>.Constant(T.One), createGraph: false,
            t => slots.ContainsKey(t),
            (t, g) => eager[slots[t]] = eager[slots[t]] is { } earlier ? Sum(earlier, g.Data) : g.ToFlatArray(), api);
        for (int i = 0; i < parameters.Length; i++)
        {
            ReadOnlySpan<T> compiled = captured[i] is { } c ? c.Data : [];
            ReadOnlySpan<T> expected = eager[i] ?? [];
            int differs = FirstDifference(compiled, expected);
            if (differs >= 0)
            {
                string operations = string.Join(", ", GraphOrder.PostOrder([loss]).Where(t => t.Creator is not null).Select(t => t.Creator!.Name).Distinct());
                throw new NotSupportedException(
                    $"{api}: the backward pass recorded for compilation gives {parameters[i].Describe()} a gradient that is not the " +
                    string.Create(CultureInfo.InvariantCulture, $"eager Backward()'s bit for bit (element {differs}: {At(compiled, differs)} vs {At(expected, differs)}): an operation ") +
                    $"of this function ({operations}) computes its derivative differently when recorded, and its fused kernel is " +
                    "not captured (BackwardCapture). The function is not compiled; run it eagerly.");
            }
        }
    }

    /// <summary>The first index where two spans differ (NaN equals NaN), the shorter length if one is a prefix, or −1.</summary>
    public static int FirstDifference(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (!a[i].Equals(b[i]))
            {
                return i;
            }
        }
        return a.Length == b.Length ? -1 : Math.Min(a.Length, b.Length);
    }

    private static string At(ReadOnlySpan<T> values, int index) => index < values.Length ? values[index].ToString(null, System.Globalization.CultureInfo.InvariantCulture) : "(none)";

    private static T[] Sum(T[] a, ReadOnlySpan<T> b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] += b[i];
        }
        return a;
    }

    /// <summary>
    /// Calls the function tracing (<see cref="GradMode.IsTracing"/>): recording on even if the caller is inside
    /// <c>Tensor.NoGrad()</c>, and every operation recorded — also one on tensors that require no gradient, and one inside a
    /// <c>NoGrad</c> block of the function, whose result then requires no gradient, as outside the trace.
    /// </summary>
    public static Tensor<T> CallRecorded(string api, Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs) =>
        CallRecorded(api, function, inputs, out _);

    /// <summary>
    /// <see cref="CallRecorded(string, Func{Tensor{T}[], Tensor{T}}, Tensor{T}[])"/>, returning the Grad writes a
    /// <c>Backward</c> inside the function made into tensors living outside it; each is undone when the call ends
    /// (returning or throwing), so a trace or a checked call leaves every Grad as it found it.
    /// </summary>
    public static Tensor<T> CallRecorded(string api, Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, out TracedGradWrites<T>.Write[] writes)
    {
        GradMode.SavedMode saved = GradMode.EnterTracing(api);
        List<TracedGradWrites<T>.Write>? outer = TracedGradWrites<T>.Begin(out List<TracedGradWrites<T>.Write> collected);
        try
        {
            Tensor<T> output = function(inputs) ?? throw new InvalidOperationException($"{api}: the function returned null instead of a tensor.");
            writes = [.. collected];
            return output;
        }
        finally
        {
            TracedGradWrites<T>.End(outer);
            TracedGradWrites<T>.Undo(collected);
            GradMode.ExitTracing(saved);
        }
    }

    private static Tensor<T>?[] CaptureBackward(string api, Tensor<T> loss, Tensor<T>[] parameters)
    {
        var slots = new Dictionary<Tensor<T>, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < parameters.Length; i++)
        {
            slots[parameters[i]] = i;
        }
        var gradients = new Tensor<T>?[parameters.Length];
        // Tracing, as the forward was: a gradient computed from tensors that require none (g ⊙ w for a frozen w) is
        // recorded too, so the plan computes it from each call's values.
        GradMode.SavedMode saved = GradMode.EnterTracing(api);
        try
        {
            using (BackwardCapture.Begin())
            {
                BackwardPass<T>.Run(loss, Tensor<T>.Constant(T.One), createGraph: true,
                    t => slots.ContainsKey(t),
                    (t, g) => gradients[slots[t]] = gradients[slots[t]] is { } earlier ? earlier.Add(g) : g, api);
            }
        }
        finally
        {
            GradMode.ExitTracing(saved);
        }
        return gradients;
    }

    /// <summary>
    /// The leaves behind <paramref name="output"/> other than the inputs, in depth-first order: those the backward pass
    /// reaches (the parameters) and the others the function did not create (the constants read on every call).
    /// </summary>
    private static (Tensor<T>[] Parameters, Tensor<T>[] Constants) FindLeaves(Tensor<T> output, Tensor<T>[] inputs)
    {
        var reached = Differentiable(output);
        var parameters = new List<Tensor<T>>();
        var constants = new List<Tensor<T>>();
        foreach (Tensor<T> node in GraphOrder.PostOrder([output]))
        {
            if (!node.IsRecorded && Array.IndexOf(inputs, node) < 0)
            {
                if (reached.Contains(node))
                {
                    parameters.Add(node);
                }
                else if (!IsTraceConstant(node))
                {
                    constants.Add(node);
                }
            }
        }
        return ([.. parameters], [.. constants]);
    }

    /// <summary>The tensors a backward pass from <paramref name="output"/> reaches: through results that require a gradient.</summary>
    private static HashSet<Tensor<T>> Differentiable(Tensor<T> output)
    {
        var reached = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor<T>>();
        if (output.RequiresGrad)
        {
            reached.Add(output);
            stack.Push(output);
        }
        while (stack.Count > 0)
        {
            foreach (Tensor<T> input in stack.Pop().Creator?.Inputs ?? [])
            {
                if (input.RequiresGrad && reached.Add(input))
                {
                    stack.Push(input);
                }
            }
        }
        return reached;
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
