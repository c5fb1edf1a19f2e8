using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>True if an operation on <paramref name="a"/> must be recorded on this thread.</summary>
    internal static bool ShouldRecord(Tensor<T> a) => GradMode.IsEnabled && a.requiresGrad;

    /// <summary>True if an operation on <paramref name="a"/> and <paramref name="b"/> must be recorded on this thread.</summary>
    internal static bool ShouldRecord(Tensor<T> a, Tensor<T> b) => GradMode.IsEnabled && (a.requiresGrad || b.requiresGrad);

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

    /// <summary>
    /// A new tensor whose values are garbage until written: for a kernel that overwrites every element. Skipping the
    /// zeroing matters because every operation allocates its result (a 1024-element double result: ≈ 100 ns instead of
    /// ≈ 300 ns). Inside a backward pass the array may be a dead gradient's, from <see cref="GradientBufferPool{T}"/>.
    /// </summary>
    internal static Tensor<T> Uninitialized(Shape shape)
    {
        int pass = GradientBufferPool<T>.CurrentPass;
        T[] data = (pass != 0 ? GradientBufferPool<T>.Take(shape.Length) : null) ?? GC.AllocateUninitializedArray<T>(shape.Length);
        if (PoisonUninitializedMemory)
        {
            data.AsSpan().Fill(T.NaN);
        }
        return new(shape, data) { AllocatedInPass = pass };
    }

    /// <summary>
    /// Set by the test suite for its whole run: uninitialised results start as NaN, so a kernel that leaves any
    /// element unwritten fails every test that reads it, instead of passing on memory that happened to be zero.
    /// </summary>
    internal static bool PoisonUninitializedMemory { get; set; }
}
