using System.Numerics;
using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Relu's and Clamp's span kernels write exactly the span they are given: an element just past the destination's end
/// (the next element of the same array, as a pooled buffer or a slice has one) keeps its value, and the element past the
/// source's end is not read into the result. Every length from 0 to three vectors and one, so that each path — the
/// two-vector steps, the one-vector step, the scalar tail — ends the span at least once. A tail loop that ran one step
/// too far (<c>i &lt;= length</c>) would overwrite the sentinel with relu or clamp of the source's next element.
/// </summary>
public class ClampKernelsSpanEndTests
{
    private static void Check<T>(Action<ReadOnlySpan<T>, Span<T>> kernel, T beyondSource, T sentinel, Func<T, T> expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Vector<T>.Count;
        for (int length = 0; length <= 3 * count + 1; length++)
        {
            var x = new T[length + 1];
            for (int i = 0; i < length; i++)
            {
                x[i] = T.CreateTruncating(((i * 7) % 11) - 5.5); // −5.5 … 4.5, both signs in every vector
            }
            x[length] = beyondSource;
            var y = new T[length + 1];
            y[length] = sentinel;
            kernel(x.AsSpan(0, length), y.AsSpan(0, length));
            Assert.True(y[length].Equals(sentinel), $"length {length}: the element past the destination became {y[length]}, was {sentinel}");
            for (int i = 0; i < length; i++)
            {
                Assert.True(y[i].Equals(expected(x[i])), $"length {length}, element {i}: {y[i]} for x = {x[i]}, expected {expected(x[i])}");
            }
        }
    }

    [Fact]
    public void Relu_writes_no_element_past_the_span_in_double() =>
        Check<double>((x, y) => ClampKernels.Relu(x, y), beyondSource: -3.0, sentinel: 42.0, v => v < 0 ? 0 : v);

    [Fact]
    public void Relu_writes_no_element_past_the_span_in_float() =>
        Check<float>((x, y) => ClampKernels.Relu(x, y), beyondSource: -3f, sentinel: 42f, v => v < 0 ? 0 : v);

    [Fact]
    public void Clamp_writes_no_element_past_the_span_in_double() =>
        Check<double>((x, y) => ClampKernels.Clamp(x, -1.5, 2.0, y), beyondSource: 100.0, sentinel: 42.0, v => Math.Clamp(v, -1.5, 2.0));

    [Fact]
    public void Clamp_writes_no_element_past_the_span_in_float() =>
        Check<float>((x, y) => ClampKernels.Clamp(x, -1.5f, 2f, y), beyondSource: 100f, sentinel: 42f, v => Math.Clamp(v, -1.5f, 2f));
}
