using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// True if an operation on <paramref name="a"/> must be recorded on this thread: <paramref name="a"/> requires a
    /// gradient and recording is on, or a function is being traced for compilation (<see cref="GradMode.IsTracing"/>).
    /// </summary>
    internal static bool ShouldRecord(Tensor<T> a) => GradMode.Records(a.requiresGrad);

    /// <summary>True if an operation on <paramref name="a"/> and <paramref name="b"/> must be recorded on this thread (see <see cref="ShouldRecord(Tensor{T})"/>).</summary>
    internal static bool ShouldRecord(Tensor<T> a, Tensor<T> b) => GradMode.Records(a.requiresGrad || b.requiresGrad);

    /// <summary>
    /// Finishes an operation: links <paramref name="result"/> to <paramref name="op"/> (null when nothing is
    /// recorded) and, in anomaly-detection mode, refuses a result holding NaN or ±∞.
    /// </summary>
    internal static Tensor<T> Track(Tensor<T> result, Operation<T>? op, string opName, Tensor<T> a, Tensor<T>? b = null)
    {
        if (op is not null)
        {
            result.SetCreator(op);
        }
        if (GradMode.CheckForwardAnomalies)
        {
            AnomalyCheck.ThrowIfNotFinite(result, $"{opName} forward", a, b, op?.CreatedAt ?? UserCallSite.Find());
        }
        return result;
    }

    /// <summary>A new tensor of zeros.</summary>
    internal static Tensor<T> Zeros(Shape shape) => new(shape, new T[shape.Length]);

    /// <summary>A 1×1 constant holding <paramref name="value"/>, for the scalar forms of the operators.</summary>
    internal static Tensor<T> Constant(T value) => new(new Shape(1, 1), [value]);
}
