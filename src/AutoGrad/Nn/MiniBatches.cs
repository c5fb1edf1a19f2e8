using System.Globalization;
using System.Numerics;

namespace AutoGrad.Nn;

/// <summary>
/// Splits a data set (rows of <c>x</c> with their targets) into mini-batches for one epoch, like PyTorch's
/// <c>DataLoader(…, batch_size, shuffle=True)</c>. Only an index permutation is shuffled (Fisher–Yates on the given
/// <see cref="Random"/>, so a seeded one gives the same batches every run, and the next epoch continues its sequence);
/// each batch copies just its own rows into new constant tensors (no gradient), the last batch may be shorter. The
/// data set itself is never copied or reordered.
/// </summary>
public static class MiniBatches
{
    /// <summary>The batches of one epoch in shuffled order: (rows of x, rows of y).</summary>
    public static IEnumerable<(Tensor<T> X, Tensor<T> Y)> Shuffled<T>(Tensor<T> x, Tensor<T> y, int batchSize, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(random);
        Check("MiniBatches.Shuffled", x, y.Rows, batchSize, string.Create(CultureInfo.InvariantCulture, $"y is {y.Shape}"), nameof(y));
        Tensor<T>.RefuseDisposed("MiniBatches.Shuffled", y); // here, not when the first batch is read
        return Tensors(x, y, batchSize, random);
    }

    /// <summary>The batches of one epoch in shuffled order: (rows of x, their class labels), for <c>Loss.CrossEntropy</c>.</summary>
    public static IEnumerable<(Tensor<T> X, int[] Labels)> Shuffled<T>(Tensor<T> x, int[] labels, int batchSize, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(random);
        Check("MiniBatches.Shuffled", x, labels.Length, batchSize, string.Create(CultureInfo.InvariantCulture, $"there are {labels.Length} labels"), nameof(labels));
        return Labelled(x, labels, batchSize, random);
    }

    /// <summary>The batches in row order (for evaluation): rows [0, b), [b, 2b), …</summary>
    public static IEnumerable<(Tensor<T> X, int[] Labels)> InOrder<T>(Tensor<T> x, int[] labels, int batchSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        Check("MiniBatches.InOrder", x, labels.Length, batchSize, string.Create(CultureInfo.InvariantCulture, $"there are {labels.Length} labels"), nameof(labels));
        return Labelled(x, labels, batchSize, random: null);
    }

    /// <summary>0, 1, …, n − 1 shuffled by Fisher–Yates with <paramref name="random"/> (or in order if it is null).</summary>
    public static int[] Permutation(int count, Random? random)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), FormattableString.Invariant($"MiniBatches.Permutation: the count must be at least 0; got {count}."));
        }
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        if (random is not null)
        {
            for (int i = count - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        return order;
    }

    private static void Check<T>(string op, Tensor<T> x, int targets, int batchSize, string targetsText, string targetsName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor<T>.RefuseDisposed(op, x); // here, not when the first batch is read
        if (targets != x.Rows)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{op}: x is {x.Shape} but {targetsText}; there must be one target per row of x."), targetsName);
        }
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), string.Create(CultureInfo.InvariantCulture, $"{op}: the batch size must be at least 1; got {batchSize}."));
        }
        if (x.RequiresGrad)
        {
            throw new ArgumentException($"{op}: x requires a gradient, but batches are copied rows and would be cut from its graph.", nameof(x));
        }
    }

    private static IEnumerable<(Tensor<T> X, Tensor<T> Y)> Tensors<T>(Tensor<T> x, Tensor<T> y, int batchSize, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] order = Permutation(x.Rows, random);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            ReadOnlySpan<int> rows = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
            yield return (Rows(x, rows), Rows(y, rows));
        }
    }

    private static IEnumerable<(Tensor<T> X, int[] Labels)> Labelled<T>(Tensor<T> x, int[] labels, int batchSize, Random? random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] order = Permutation(x.Rows, random);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int[] rows = order[start..Math.Min(start + batchSize, order.Length)];
            var batchLabels = new int[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                batchLabels[i] = labels[rows[i]];
            }
            yield return (Rows(x, rows), batchLabels);
        }
    }

    /// <summary>A new constant tensor holding the given rows of <paramref name="source"/>, in that order.</summary>
    private static Tensor<T> Rows<T>(Tensor<T> source, ReadOnlySpan<int> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = source.Cols;
        var batch = new T[rows.Length * cols];
        ReadOnlySpan<T> data = source.AsSpan();
        for (int i = 0; i < rows.Length; i++)
        {
            data.Slice(rows[i] * cols, cols).CopyTo(batch.AsSpan(i * cols, cols));
        }
        return new Tensor<T>(new Shape(rows.Length, cols), batch);
    }
}
