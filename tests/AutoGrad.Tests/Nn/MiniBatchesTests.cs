using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>Shuffled mini-batches: every row once per epoch, rows and targets kept together, reproducible by seed.</summary>
public class MiniBatchesTests
{
    /// <summary>x row i is (i, −i), y row i is 10·i, label i is i mod 7: a batch row says where it came from.</summary>
    private static (Tensor<double> X, Tensor<double> Y, int[] Labels) Data(int n) => (
        Tensor.FromRowMajor<double>(n, 2, Enumerable.Range(0, n).SelectMany(i => new double[] { i, -i }).ToArray()),
        Tensor.FromRowMajor<double>(n, 1, Enumerable.Range(0, n).Select(i => 10.0 * i).ToArray()),
        Enumerable.Range(0, n).Select(i => i % 7).ToArray());

    [Fact]
    public void Each_epoch_visits_every_row_once_with_its_target_in_batches_of_the_given_size() =>
        Properties.Check(FsCheck.Fluent.Gen.Choose(1, 40).Zip(FsCheck.Fluent.Gen.Choose(1, 12)).Zip(FsCheck.Fluent.Gen.Choose(0, 1000)).ToArbitrary(), c =>
        {
            var ((n, batchSize), seed) = c;
            var (x, y, labels) = Data(n);
            var seen = new List<int>();
            var batches = MiniBatches.Shuffled(x, y, batchSize, new Random(seed)).ToList();
            Assert.Equal((n + batchSize - 1) / batchSize, batches.Count);
            foreach (var (xb, yb) in batches)
            {
                Assert.True(xb.Rows == batchSize || ReferenceEquals(xb, batches[^1].X));
                for (int r = 0; r < xb.Rows; r++)
                {
                    int row = (int)xb[r, 0];
                    Assert.Equal((-row, 10.0 * row), (xb[r, 1], yb[r, 0]));
                    seen.Add(row);
                }
            }
            Assert.Equal(Enumerable.Range(0, n), seen.Order());

            var labelled = MiniBatches.Shuffled(x, labels, batchSize, new Random(seed)).ToList();
            Assert.Equal(batches.Select(b => b.X.ToFlatArray()), labelled.Select(b => b.X.ToFlatArray()));
            Assert.All(labelled, b => Assert.Equal(Enumerable.Range(0, b.X.Rows).Select(r => (int)b.X[r, 0] % 7), b.Labels));
        });

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_the_next_epoch_another_order()
    {
        var (x, y, _) = Data(50);
        var first = new Random(4);
        double[][] epoch1 = MiniBatches.Shuffled(x, y, 8, first).Select(b => b.Y.ToFlatArray()).ToArray();
        double[][] epoch2 = MiniBatches.Shuffled(x, y, 8, first).Select(b => b.Y.ToFlatArray()).ToArray();
        Assert.Equal(epoch1, MiniBatches.Shuffled(x, y, 8, new Random(4)).Select(b => b.Y.ToFlatArray()).ToArray());
        Assert.NotEqual(epoch1, epoch2);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => 10.0 * i), y.ToFlatArray()); // the data set is untouched
    }

    [Fact]
    public void InOrder_gives_consecutive_row_ranges()
    {
        var (x, _, labels) = Data(10);
        var batches = MiniBatches.InOrder(x, labels, 4).ToList();
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 0], [1, 2]], batches.Select(b => b.Labels)); // labels are row mod 7
        Assert.Equal([8.0, -8, 9, -9], batches[2].X.ToFlatArray());
    }

    [Fact]
    public void Mismatched_targets_a_bad_batch_size_or_a_differentiable_x_are_refused_at_the_call()
    {
        var (x, y, labels) = Data(5);
        Assert.Equal("MiniBatches.Shuffled: x is 5×2 but y is 4×1; there must be one target per row of x. (Parameter 'y')",
            Assert.Throws<ArgumentException>(() => MiniBatches.Shuffled(x, Tensor.Zeros<double>(4, 1), 2, new Random(0))).Message);
        Assert.Equal("MiniBatches.InOrder: x is 5×2 but there are 3 labels; there must be one target per row of x. (Parameter 'labels')",
            Assert.Throws<ArgumentException>(() => MiniBatches.InOrder(x, new int[3], 2)).Message);
        Assert.StartsWith("MiniBatches.Shuffled: the batch size must be at least 1; got 0.",
            Assert.Throws<ArgumentOutOfRangeException>(() => MiniBatches.Shuffled(x, labels, 0, new Random(0))).Message);
        Assert.StartsWith("MiniBatches.Shuffled: x requires a gradient",
            Assert.Throws<ArgumentException>(() => MiniBatches.Shuffled(Tensor.Zeros<double>(5, 2, requiresGrad: true), y, 2, new Random(0))).Message);
    }
}
