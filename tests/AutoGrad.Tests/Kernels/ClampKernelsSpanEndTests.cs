using System.Numerics;
using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Relu's and Clamp's span kernels write exactly the span they are given: the elements just before and just past the
/// destination (of the same array, as a pooled buffer or a slice has them) keep their values, and every element of the
/// span is written. Every length from 0 to three vectors and one, so that each path — the
/// two-vector steps, the one-vector step, the scalar tail — ends the span at least once. A tail loop that ran one step
/// too far (<c>i &lt;= length</c>) would overwrite the sentinel with relu or clamp of the source's next element; a vector
/// loop stepping backwards (<c>i -= count</c>) would write the vectors before the span and leave the rest unwritten.
/// </summary>
public class ClampKernelsSpanEndTests
{
    private static void Check<T>(Action<ReadOnlySpan<T>, Span<T>> kernel, T beyondSource, T sentinel, Func<T, T> expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Vector<T>.Count, guard = 4 * count; // guard elements before the spans: a loop stepping backwards lands there
        for (int length = 0; length <= 3 * count + 1; length++)
        {
            var x = new T[guard + length + 1];
            x.AsSpan().Fill(beyondSource);
            for (int i = 0; i < length; i++)
            {
                x[guard + i] = T.CreateTruncating(((i * 7) % 11) - 5.5); // −5.5 … 4.5, both signs in every vector
            }
            var y = new T[guard + length + 1];
            y.AsSpan().Fill(sentinel);
            kernel(x.AsSpan(guard, length), y.AsSpan(guard, length));
            for (int i = 0; i < guard; i++)
            {
                Assert.True(y[i].Equals(sentinel), $"length {length}: the element {guard - i} before the destination became {y[i]}, was {sentinel}");
            }
            Assert.True(y[guard + length].Equals(sentinel), $"length {length}: the element past the destination became {y[guard + length]}, was {sentinel}");
            for (int i = 0; i < length; i++)
            {
                T xi = x[guard + i], yi = y[guard + i];
                Assert.True(yi.Equals(expected(xi)), $"length {length}, element {i}: {yi} for x = {xi}, expected {expected(xi)}");
            }
        }
    }

    [Fact]
    public void Relu_writes_exactly_its_span_in_double() =>
        Check<double>((x, y) => ClampKernels.Relu(x, y), beyondSource: -3.0, sentinel: 42.0, v => v < 0 ? 0 : v);

    [Fact]
    public void Relu_writes_exactly_its_span_in_float() =>
        Check<float>((x, y) => ClampKernels.Relu(x, y), beyondSource: -3f, sentinel: 42f, v => v < 0 ? 0 : v);

    [Fact]
    public void Clamp_writes_exactly_its_span_in_double() =>
        Check<double>((x, y) => ClampKernels.Clamp(x, -1.5, 2.0, y), beyondSource: 100.0, sentinel: 42.0, v => Math.Clamp(v, -1.5, 2.0));

    [Fact]
    public void Clamp_writes_exactly_its_span_in_float() =>
        Check<float>((x, y) => ClampKernels.Clamp(x, -1.5f, 2f, y), beyondSource: 100f, sentinel: 42f, v => Math.Clamp(v, -1.5f, 2f));
}
