using System.Globalization;
using System.Numerics;
using System.Text;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    private const int ShownEdge = 3;

    /// <summary>
    /// Shape, name, how it was made, and the values, e.g. <c>Tensor&lt;Double&gt; 2×2 'W1' requiresGrad [[1, 2], [3, 4]]</c>.
    /// Large tensors show their first and last three rows and columns around an ellipsis.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("Tensor<").Append(typeof(T).Name).Append("> ").Append(Shape);
        if (Name is not null)
        {
            text.Append(" '").Append(Name).Append('\'');
        }
        if (Creator is not null)
        {
            text.Append(" from ").Append(Creator.Name);
        }
        else if (RequiresGrad)
        {
            text.Append(" requiresGrad");
        }
        if (IsDisposed)
        {
            return text.Append(" (disposed)").ToString();
        }
        text.Append(Rows == 1 ? " " : "\n").Append('[');
        foreach (int i in ShownIndices(Rows))
        {
            if (i < 0)
            {
                text.Append(" ...,\n");
                continue;
            }
            text.Append(i == 0 ? "[" : " [");
            foreach (int j in ShownIndices(Cols))
            {
                text.Append(j < 0 ? "..." : Data[i * Cols + j].ToString("G6", CultureInfo.InvariantCulture));
                if (j != Cols - 1)
                {
                    text.Append(", ");
                }
            }
            text.Append(']').Append(i == Rows - 1 ? "" : ",\n");
        }
        return text.Append(']').ToString();
    }

    private static IEnumerable<int> ShownIndices(int count)
    {
        if (count <= 2 * ShownEdge + 1)
        {
            for (int i = 0; i < count; i++)
            {
                yield return i;
            }
            yield break;
        }
        for (int i = 0; i < ShownEdge; i++)
        {
            yield return i;
        }
        yield return -1;
        for (int i = count - ShownEdge; i < count; i++)
        {
            yield return i;
        }
    }
}
