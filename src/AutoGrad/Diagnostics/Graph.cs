using System.Globalization;
using System.Numerics;
using System.Text;

namespace AutoGrad;

/// <summary>Exports a recorded graph for people to look at.</summary>
public static class Graph
{
    /// <summary>
    /// The graph behind <paramref name="root"/> as Graphviz DOT: one node per operation (its name and result
    /// shape, and the result's name if it has one), one node per leaf (its name and shape; filled when it requires
    /// a gradient, dashed when it is a constant), edges in data-flow order from inputs to results.
    /// Render with <c>dot -Tsvg graph.dot -o graph.svg</c>.
    /// </summary>
    public static string ToDot<T>(Tensor<T> root, string title = "autograd") where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(title);
        var ids = new Dictionary<Tensor<T>, int>(ReferenceEqualityComparer.Instance);
        var order = new List<Tensor<T>>();
        var stack = new Stack<Tensor<T>>();
        stack.Push(root);
        ids[root] = 0;
        while (stack.Count > 0)
        {
            var tensor = stack.Pop();
            order.Add(tensor);
            foreach (var input in tensor.Creator?.Inputs ?? [])
            {
                if (!ids.ContainsKey(input))
                {
                    ids[input] = ids.Count;
                    stack.Push(input);
                }
            }
        }

        var dot = new StringBuilder();
        dot.Append("digraph \"").Append(Escape(title)).AppendLine("\" {");
        dot.AppendLine("  rankdir=LR;");
        dot.Append("  labelloc=t; label=\"").Append(Escape(title)).AppendLine("\";");
        dot.AppendLine("  node [fontname=\"Helvetica\", fontsize=11];");
        foreach (var tensor in order.OrderBy(t => ids[t]))
        {
            dot.Append("  n").Append(ids[tensor].ToString(CultureInfo.InvariantCulture)).Append(" [");
            string shape = tensor.Shape.ToString();
            if (tensor.Creator is { } op)
            {
                string label = tensor.Name is null ? $"{op.Name}\\n{shape}" : $"{op.Name}\\n{Escape(tensor.Name)} {shape}";
                dot.Append("shape=ellipse, label=\"").Append(label).Append('"');
            }
            else
            {
                string label = tensor.Name is null
                    ? (tensor.Shape.IsScalar ? tensor.Item.ToString("G4", CultureInfo.InvariantCulture) : "const") + $"\\n{shape}"
                    : $"{Escape(tensor.Name)}\\n{shape}";
                dot.Append("shape=box, label=\"").Append(label).Append('"')
                   .Append(tensor.RequiresGrad ? ", style=filled, fillcolor=\"#cfe2ff\"" : ", style=dashed");
            }
            dot.AppendLine("];");
        }
        foreach (var tensor in order.OrderBy(t => ids[t]))
        {
            foreach (var input in tensor.Creator?.Inputs ?? [])
            {
                dot.Append("  n").Append(ids[input].ToString(CultureInfo.InvariantCulture))
                   .Append(" -> n").Append(ids[tensor].ToString(CultureInfo.InvariantCulture)).AppendLine(";");
            }
        }
        dot.AppendLine("}");
        return dot.ToString();
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
