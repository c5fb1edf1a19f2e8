using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// Creates tensors and opens the per-thread scopes of the tape (<see cref="NoGrad"/>, <see cref="DetectAnomaly"/>,
/// <see cref="Scope"/>).
/// </summary>
public static partial class Tensor
{
    /// <summary>A tensor holding a copy of <paramref name="values"/> (rows × columns).</summary>
    public static Tensor<T> From<T>(T[,] values, bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (rows == 0 || cols == 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Tensor.From: the array is {rows}×{cols}; a tensor needs at least one row and one column."), nameof(values));
        }
        var data = new T[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                data[i * cols + j] = values[i, j];
            }
        }
        return Make(new Shape(rows, cols), data, requiresGrad, name);
    }

    /// <summary>A column vector (n×1) holding a copy of <paramref name="values"/>.</summary>
    public static Tensor<T> From<T>(T[] values, bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException("Tensor.From: the array is empty; a tensor needs at least one element.", nameof(values));
        }
        return Make(new Shape(values.Length, 1), (T[])values.Clone(), requiresGrad, name);
    }

    /// <summary>A tensor from rows given as a jagged array; every row must have the same length.</summary>
    public static Tensor<T> From<T>(T[][] rows, bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0 || rows[0] is null || rows[0].Length == 0)
        {
            throw new ArgumentException("Tensor.From: no rows, or an empty first row; a tensor needs at least one element.", nameof(rows));
        }
        int cols = rows[0].Length;
        var data = new T[rows.Length * cols];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null || rows[i].Length != cols)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Tensor.From: the rows are jagged: row 0 has {cols} values but row {i} has {rows[i]?.Length ?? 0}."), nameof(rows));
            }
            rows[i].CopyTo(data, i * cols);
        }
        return Make(new Shape(rows.Length, cols), data, requiresGrad, name);
    }

    /// <summary>A tensor of the given shape from row-major values (copied).</summary>
    public static Tensor<T> FromRowMajor<T>(int rows, int cols, ReadOnlySpan<T> values, bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = CheckShape("Tensor.FromRowMajor", rows, cols);
        if (values.Length != shape.Length)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Tensor.FromRowMajor: a {shape} tensor needs {shape.Length} values; got {values.Length}."), nameof(values));
        }
        return Make(shape, values.ToArray(), requiresGrad, name);
    }

    /// <summary>A 1×1 tensor.</summary>
    public static Tensor<T> Scalar<T>(T value, bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T> => Make(new Shape(1, 1), [value], requiresGrad, name);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor<T> Zeros<T>(int rows, int cols, bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T> => Full("Tensor.Zeros", rows, cols, T.Zero, requiresGrad, name);

    /// <summary>A tensor of ones.</summary>
    public static Tensor<T> Ones<T>(int rows, int cols, bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T> => Full("Tensor.Ones", rows, cols, T.One, requiresGrad, name);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor<T> Full<T>(int rows, int cols, T value, bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T> => Full("Tensor.Full", rows, cols, value, requiresGrad, name);

    /// <summary><see cref="Full{T}(int, int, T, bool, string?)"/> whose refusals name <paramref name="op"/>, the method the caller called.</summary>
    private static Tensor<T> Full<T>(string op, int rows, int cols, T value, bool requiresGrad, string? name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = CheckShape(op, rows, cols);
        var data = new T[shape.Length];
        data.AsSpan().Fill(value);
        return Make(shape, data, requiresGrad, name);
    }

    /// <summary>
    /// Normal samples with the given mean and standard deviation (Box–Muller on <paramref name="random"/>,
    /// so a seeded <see cref="Random"/> gives the same tensor every run).
    /// </summary>
    public static Tensor<T> RandomNormal<T>(int rows, int cols, Random random, double mean = 0, double std = 1,
        bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        var shape = CheckShape("Tensor.RandomNormal", rows, cols);
        if (!double.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), FormattableString.Invariant($"Tensor.RandomNormal: the mean must be finite; got {mean}."));
        }
        if (!(std >= 0) || !double.IsFinite(std))
        {
            throw new ArgumentOutOfRangeException(nameof(std), FormattableString.Invariant($"Tensor.RandomNormal: the standard deviation must be finite and at least 0; got {std}."));
        }
        // every sample is mean ± std·r·(cos or sin) with r = √(−2 ln u1) ≤ √(−2 ln 2⁻⁵³) < 8.58: it must fit in T
        if (!T.IsFinite(T.CreateChecked(mean)))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), FormattableString.Invariant($"Tensor.RandomNormal: the mean {mean} does not fit in {typeof(T).Name}."));
        }
        if (!T.IsFinite(T.CreateChecked(Math.Abs(mean) + 8.58 * std)))
        {
            throw new ArgumentOutOfRangeException(nameof(std),
                FormattableString.Invariant($"Tensor.RandomNormal: samples of mean {mean} and standard deviation {std} (up to 8.58 deviations from the mean) do not fit in {typeof(T).Name}."));
        }
        var data = new T[shape.Length];
        for (int i = 0; i < data.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(); // in (0, 1], so the logarithm is finite
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            data[i] = T.CreateChecked(mean + std * radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < data.Length)
            {
                data[i + 1] = T.CreateChecked(mean + std * radius * Math.Sin(2 * Math.PI * u2));
            }
        }
        return Make(shape, data, requiresGrad, name);
    }

    /// <summary>Uniform samples in [<paramref name="low"/>, <paramref name="high"/>) from <paramref name="random"/>.</summary>
    public static Tensor<T> RandomUniform<T>(int rows, int cols, Random random, double low = 0, double high = 1,
        bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        var shape = CheckShape("Tensor.RandomUniform", rows, cols);
        if (!(low < high))
        {
            throw new ArgumentException(FormattableString.Invariant($"Tensor.RandomUniform: need low < high; got [{low}, {high})."), nameof(high));
        }
        if (!double.IsFinite(low) || !double.IsFinite(high) || !double.IsFinite(high - low))
        {
            throw new ArgumentException(FormattableString.Invariant($"Tensor.RandomUniform: the bounds and their difference must be finite; got [{low}, {high})."),
                double.IsFinite(low) ? nameof(high) : nameof(low));
        }
        T lowT = T.CreateChecked(low), highT = T.CreateChecked(high);
        if (!T.IsFinite(lowT) || !T.IsFinite(highT) || !T.IsFinite(highT - lowT) || !(lowT < highT))
        {
            throw new ArgumentException(
                FormattableString.Invariant($"Tensor.RandomUniform: the bounds [{low}, {high}) do not fit in {typeof(T).Name}: each bound and their difference must be finite there, and the bounds distinct."),
                T.IsFinite(lowT) ? nameof(high) : nameof(low));
        }
        var data = new T[shape.Length];
        T below = T.BitDecrement(highT);
        for (int i = 0; i < data.Length; i++)
        {
            T v = T.CreateChecked(low + (high - low) * random.NextDouble());
            data[i] = v < highT ? v : below; // half-open in T too: rounding to T may reach high
        }
        return Make(shape, data, requiresGrad, name);
    }

    /// <summary>
    /// Opens a scope in which nothing is recorded on this thread: results are constants that require no
    /// gradient. Dispose the scope (a <c>using</c> block) to resume recording.
    /// </summary>
    public static IDisposable NoGrad() => GradMode.DisableGrad();

    /// <summary>
    /// Opens a scope in which, on this thread, the first operation whose forward result or backward gradient
    /// holds NaN or ±∞ throws an <see cref="AnomalyException"/> naming the operation, the shapes and where in
    /// the calling code it was created. Off by default; costs nothing when off.
    /// </summary>
    public static IDisposable DetectAnomaly() => GradMode.EnableAnomalyDetection();

    /// <summary>
    /// Opens a <see cref="TensorScope"/> on this thread: the results of operations created until it is disposed give
    /// their arrays back for reuse when it ends — typically one per training step. Tensors created outside it, and
    /// gradients stored in them, are not affected; <see cref="TensorScope.Keep{T}"/> hands out anything else.
    /// </summary>
    public static TensorScope Scope() => new();

    private static Shape CheckShape(string op, int rows, int cols)
    {
        if (rows < 1 || cols < 1)
        {
            throw new ArgumentOutOfRangeException(rows < 1 ? nameof(rows) : nameof(cols), FormattableString.Invariant($"{op}: a tensor needs at least one row and one column; got {rows}×{cols}."));
        }
        return Shape.CheckSize(op, rows, cols, operands: null, paramName: nameof(rows)); // the rows × cols the caller passed
    }

    private static Tensor<T> Make<T>(Shape shape, T[] data, bool requiresGrad, string? name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSupported<T>("Tensor");
        return new(shape, data, name) { RequiresGrad = requiresGrad };
    }

    /// <summary>
    /// Refuses an element type other than double and float before <see cref="Tensor{T}"/> is touched: its static
    /// constructor would otherwise throw, and .NET wraps that in a bare <see cref="TypeInitializationException"/>.
    /// </summary>
    internal static void CheckSupported<T>(string op)
    {
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float))
        {
            throw new NotSupportedException(
                $"{op}: Tensor<{typeof(T).Name}> is not supported; AutoGrad computes in double or float only " +
                $"(Tensor<double>, Tensor<float>). Convert the values first, e.g. (float)value.");
        }
    }
}
