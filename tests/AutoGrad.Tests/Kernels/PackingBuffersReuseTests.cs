using System.Buffers;
using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="PackingBuffers{T}"/> keeps two arrays per thread: a returned array is handed out again (the same
/// instance) when it is long enough, the shorter one is dropped when a third comes back, and arrays longer than
/// <see cref="PackingBuffers{T}.MaxKeptLength"/> go back to <c>ArrayPool.Shared</c>. Each case runs on a new thread,
/// whose two places start empty.
/// </summary>
public class PackingBuffersReuseTests
{
    private static void OnNewThread(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    [Fact]
    public void A_returned_array_is_handed_out_again_when_long_enough_and_a_new_one_when_not() => OnNewThread(() =>
    {
        float[] a = PackingBuffers<float>.Rent(10);
        Assert.Equal(10, a.Length);
        PackingBuffers<float>.Return(a);
        Assert.Same(a, PackingBuffers<float>.Rent(7));
        PackingBuffers<float>.Return(a);
        float[] longer = PackingBuffers<float>.Rent(11);
        Assert.NotSame(a, longer);
        Assert.Equal(11, longer.Length);
        Assert.Same(a, PackingBuffers<float>.Rent(10)); // a was kept while the longer one was made
    });

    [Fact]
    public void Two_arrays_are_kept_and_a_third_longer_one_replaces_the_shorter() => OnNewThread(() =>
    {
        double[] ten = new double[10], twenty = new double[20], thirty = new double[30];
        PackingBuffers<double>.Return(ten);
        PackingBuffers<double>.Return(twenty);
        PackingBuffers<double>.Return(thirty); // replaces ten (first place)
        Assert.Same(thirty, PackingBuffers<double>.Rent(5)); // the first place is looked at first
        Assert.Same(twenty, PackingBuffers<double>.Rent(5));
        Assert.NotSame(ten, PackingBuffers<double>.Rent(5)); // dropped
    });

    [Fact]
    public void A_third_array_replaces_the_shorter_one_when_it_is_in_the_second_place() => OnNewThread(() =>
    {
        double[] twenty = new double[20], ten = new double[10], thirty = new double[30];
        PackingBuffers<double>.Return(twenty);
        PackingBuffers<double>.Return(ten);
        PackingBuffers<double>.Return(thirty); // replaces ten (second place)
        Assert.Same(twenty, PackingBuffers<double>.Rent(5));
        Assert.Same(thirty, PackingBuffers<double>.Rent(5));
        Assert.NotSame(ten, PackingBuffers<double>.Rent(5));
    });

    [Fact]
    public void Of_two_kept_arrays_of_equal_length_the_second_place_is_replaced() => OnNewThread(() =>
    {
        double[] first = new double[10], second = new double[10], longer = new double[20];
        PackingBuffers<double>.Return(first);
        PackingBuffers<double>.Return(second);
        PackingBuffers<double>.Return(longer);
        Assert.Same(first, PackingBuffers<double>.Rent(5));
        Assert.Same(longer, PackingBuffers<double>.Rent(5));
    });

    [Theory]
    [InlineData(10)] // as long as the shorter kept array: kept arrays stay
    [InlineData(5)]  // shorter: dropped
    [InlineData(15)] // between the two: replaces the shorter
    public void A_third_array_is_kept_only_when_longer_than_the_shorter_kept_one(int length) => OnNewThread(() =>
    {
        double[] ten = new double[10], twenty = new double[20], third = new double[length];
        PackingBuffers<double>.Return(ten);
        PackingBuffers<double>.Return(twenty);
        PackingBuffers<double>.Return(third);
        double[] firstOut = PackingBuffers<double>.Rent(1), secondOut = PackingBuffers<double>.Rent(1);
        Assert.Same(length > 10 ? third : ten, firstOut);
        Assert.Same(twenty, secondOut);
    });

    [Fact]
    public void Arrays_longer_than_the_limit_go_back_to_the_shared_pool_and_are_not_kept() => OnNewThread(() =>
    {
        int length = PackingBuffers<float>.MaxKeptLength + 1;
        float[] large = PackingBuffers<float>.Rent(length);
        Assert.True(large.Length >= length);
        PackingBuffers<float>.Return(large);
        Assert.NotSame(large, PackingBuffers<float>.Rent(8)); // not kept in a place of this thread
        Assert.Same(large, ArrayPool<float>.Shared.Rent(length)); // the shared pool's per-thread cache has it back
    });
}
