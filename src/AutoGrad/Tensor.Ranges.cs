using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

// Creation of evenly spaced values, and concatenation (which creates a tensor from several).
public static partial class Tensor
{
    /// <summary>
    /// <paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/>, both included,
    /// as a steps×1 column (<c>torch.linspace</c>). The first half is counted from start and the second from end, as
    /// PyTorch does (in T's precision), so both ends are exact.
    /// </summary>
    public static Tensor<T> Linspace<T>(double start, double end, int steps, bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSupported<T>("Tensor.Linspace");
        if (steps < 1 || !double.IsFinite(start) || !double.IsFinite(end))
        {
            throw new ArgumentException(FormattableString.Invariant($"Tensor.Linspace: need finite ends and at least one step; got start {start}, end {end}, steps {steps}."),
                steps < 1 ? nameof(steps) : !double.IsFinite(start) ? nameof(start) : nameof(end));
        }
        if (steps > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, FormattableString.Invariant($"Tensor.Linspace: {steps} steps would be a {steps}×1 tensor; the most a tensor can hold is {Array.MaxLength} elements."));
        }
        var data = new T[steps];
        T first = T.CreateChecked(start), last = T.CreateChecked(end);
        T step = steps == 1 ? T.Zero : (last - first) / T.CreateChecked(steps - 1);
        if (!T.IsFinite(first) || !T.IsFinite(last) || !T.IsFinite(step))
        {
            throw new ArgumentException(
                FormattableString.Invariant($"Tensor.Linspace: the values from {start} to {end} do not fit in {typeof(T).Name}: both ends and the spacing (end − start)/(steps − 1) must be finite there."),
                T.IsFinite(first) ? nameof(end) : nameof(start));
        }
        int half = steps / 2;
        for (int i = 0; i < steps; i++)
        {
            data[i] = i < half || steps == 1 ? first + step * T.CreateChecked(i) : last - step * T.CreateChecked(steps - 1 - i);
        }
        return Make(new Shape(steps, 1), data, requiresGrad, name);
    }

    /// <summary>
    /// The values start, start + step, … below <paramref name="end"/> (excluded), as a column (<c>torch.arange</c>);
    /// value i is start + i·step, computed in double.
    /// </summary>
    public static Tensor<T> Arange<T>(double start, double end, double step = 1, bool requiresGrad = false, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSupported<T>("Tensor.Arange");
        if (!double.IsFinite(start) || !double.IsFinite(end))
        {
            throw new ArgumentException(FormattableString.Invariant($"Tensor.Arange: need a finite start and end; got start {start}, end {end}."),
                !double.IsFinite(start) ? nameof(start) : nameof(end));
        }
        if (step == 0 || double.IsNaN(step))
        {
            throw new ArgumentException(FormattableString.Invariant($"Tensor.Arange: the step must be a nonzero number; got {step}."), nameof(step));
        }
        double count = Math.Ceiling((end - start) / step);
        if (count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(step), FormattableString.Invariant(
                $"Tensor.Arange: [{start}, {end}) in steps of {step} holds {count} values; the most a tensor can hold is {Array.MaxLength}."));
        }
        if (!(count >= 1)) // finite ends and a nonzero step: below 1 (the step points away from end), or an infinite step
        {
            throw new ArgumentException(
                FormattableString.Invariant($"Tensor.Arange: [{start}, {end}) in steps of {step} holds no values; ") +
                "a tensor needs at least one (and the step must point from start towards end).", nameof(step));
        }
        var data = new T[(int)count];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = T.CreateChecked(start + i * step);
        }
        if (!T.IsFinite(data[0]) || !T.IsFinite(data[^1])) // the values run from start towards end: the ends bound them
        {
            throw new ArgumentException(
                FormattableString.Invariant($"Tensor.Arange: the values from {start} in steps of {step} do not fit in {typeof(T).Name} ({data[^1]} at index {data.Length - 1})."),
                T.IsFinite(data[0]) ? nameof(end) : nameof(start));
        }
        return Make(new Shape(data.Length, 1), data, requiresGrad, name);
    }

    /// <summary>The values 0, 1, … below <paramref name="end"/> as a column (<c>torch.arange(end)</c>).</summary>
    public static Tensor<T> Arange<T>(double end) where T : unmanaged, IFloatingPointIeee754<T> => Arange<T>(0, end);

    /// <summary>
    /// Tensors joined along <paramref name="axis"/>, as <c>torch.cat(parts, dim)</c>: axis 0 stacks their rows (equal
    /// column counts), axis 1 puts their columns side by side (equal row counts). Keeps the graph: each part gets the
    /// matching block of the gradient.
    /// </summary>
    public static Tensor<T> Concat<T>(Tensor<T>[] parts, int axis = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
        {
            throw new ArgumentException("Concat: no tensors to join.", nameof(parts));
        }
        for (int k = 0; k < parts.Length; k++)
        {
            if (parts[k] is null)
            {
                throw new ArgumentNullException(nameof(parts), string.Create(CultureInfo.InvariantCulture, $"Concat: part {k} is null."));
            }
        }
        Lanes.CheckAxis(string.Create(CultureInfo.InvariantCulture, $"Concat(axis: {axis})"), axis, parts[0].Shape);
        for (int k = 1; k < parts.Length; k++)
        {
            bool fits = axis == 0 ? parts[k].Cols == parts[0].Cols : parts[k].Rows == parts[0].Rows;
            if (!fits)
            {
                throw new ArgumentException(axis == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"Concat(axis: 0): part {k} is {parts[k].Shape} but part 0 is {parts[0].Shape}; stacking rows needs equal column counts.")
                    : string.Create(CultureInfo.InvariantCulture, $"Concat(axis: 1): part {k} is {parts[k].Shape} but part 0 is {parts[0].Shape}; joining columns needs equal row counts."),
                    nameof(parts));
            }
        }
        long joined = 0, other = axis == 0 ? parts[0].Cols : parts[0].Rows; // parts (one, repeated) can add up past int
        foreach (Tensor<T> part in parts)
        {
            joined += axis == 0 ? part.Rows : part.Cols;
        }
        if (joined > Array.MaxLength || joined * other > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(parts), FormattableString.Invariant(
                $"Concat(axis: {axis}): a {(axis == 0 ? joined : other)}×{(axis == 0 ? other : joined)} result of {parts.Length} parts would have {(double)joined * other} elements; the most a tensor can hold is {Array.MaxLength}."));
        }
        return Tensor<T>.ConcatChecked(parts, axis); // a copy even of a single part, as torch.cat: never the part itself
    }
}
