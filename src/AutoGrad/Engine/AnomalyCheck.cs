using System.Numerics;

namespace AutoGrad;

/// <summary>Thrown in anomaly-detection mode when an operation produces NaN or ±∞.</summary>
public sealed class AnomalyException(string message) : ArithmeticException(message);

internal static class AnomalyCheck
{
    public static void ThrowIfNotFinite<T>(Tensor<T> values, string what, Tensor<T> a, Tensor<T>? b, string? createdAt)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> data = values.AsSpan();
        for (int i = 0; i < data.Length; i++)
        {
            if (!T.IsFinite(data[i]))
            {
                string inputs = b is null ? a.Describe() : $"{a.Describe()} and {b.Describe()}";
                throw new AnomalyException(
                    FormattableString.Invariant($"{what}: element [{i / values.Cols}, {i % values.Cols}] of the {values.Shape} result is {data[i]} ") +
                    $"(inputs {inputs}); the operation was created at {createdAt ?? "(unknown)"}.");
            }
        }
    }
}
