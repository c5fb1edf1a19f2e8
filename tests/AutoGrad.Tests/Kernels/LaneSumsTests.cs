using System.Numerics;
using AutoGrad.Kernels;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Sums and inner products whose order does not depend on the machine (<see cref="LaneSums"/>): element i into partial
/// i mod 16, each partial in index order from +0, then the partials in index order. Sum(),
/// Sum(axis: 1), Mean() and Σx² in double, and the row kernel's products with a transposed right operand, used
/// <c>TensorPrimitives.Sum</c>/<c>SumOfSquares</c>/<c>Dot</c>, whose order follows the widest accelerated vector: on an
/// AVX-512 machine these gave other last bits than on an AVX2 one (a probe running the same program with
/// <c>DOTNET_PreferredVectorBitWidth=256</c> and without: every own kernel, product and training run agreed to the bit
/// except these). Each property failed before the change: the entry points did not give the fixed order's bits.
/// </summary>
public class LaneSumsTests
{
    /// <summary>The fixed order written out with scalars: the reference.</summary>
    internal static T FixedOrder<T>(T[] x, T[] y, Func<T, T, T, T> term) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var partials = new T[16]; // +0
        for (int i = 0; i < x.Length; i++)
        {
            partials[i % 16] = term(partials[i % 16], x[i], y[i]);
        }
        T total = partials[0];
        for (int l = 1; l < 16; l++)
        {
            total += partials[l];
        }
        return total;
    }

    private static T Plus<T>(T p, T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => p + x;

    private static T PlusSquare<T>(T p, T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => p + x * x;

    private static T PlusProduct<T>(T p, T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => T.FusedMultiplyAdd(x, y, p);

    /// <summary>Lengths 0–300 (every remainder of 16 partials and of every vector, and the left-to-right spans up to 16), with 0, 1 or 5 % of ±0, ±∞, NaN, subnormals, huge values, or signed zeros.</summary>
    private static readonly Arbitrary<(int Length, int Values, int Seed)> Spans = Arb.From(
        from length in Gen.Frequency((3, Gen.Choose(0, 300)), (1, from c in Gen.Choose(0, 18) from r in Gen.Choose(0, 15) select 16 * c + r))
        from values in Gen.Elements(0, 1, 2, 3) from seed in Gen.Choose(0, 10_000)
        select (length, values, seed));

    private static void Same<T>(T expected, T actual, string what) where T : unmanaged, IFloatingPointIeee754<T> =>
        Assert.True(Wide512SweepTests.SameBits(expected, actual), FormattableString.Invariant($"{what}: {actual:R}, the fixed order gives {expected:R}"));

    /// <summary>The reduction of <typeparamref name="TTerm"/> run at 512, 256 and 128 bits, each against <paramref name="expected"/>.</summary>
    private static void AtEveryWidth<T, TTerm>(T[] x, T[] y, T expected, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : LaneSums.ILaneTerm
    {
        Same(expected, LaneSums.Reduce<T, Math512<T>, TTerm>(x, y), what + " at 512 bits");
        Same(expected, LaneSums.Reduce<T, Math256<T>, TTerm>(x, y), what + " at 256 bits");
        Same(expected, LaneSums.Reduce<T, Math128<T>, TTerm>(x, y), what + " at 128 bits");
    }

    [Fact]
    public void Sum_in_double_has_the_fixed_orders_bits_at_every_width_and_through_the_entry_point() =>
        Properties.Check(Spans, c =>
        {
            double[] x = Wide512SweepTests.Values<double>(c.Length, c.Values, new Random(c.Seed));
            double expected = FixedOrder(x, x, Plus);
            string what = $"Σ of {c.Length} (values {c.Values}, seed {c.Seed})";
            AtEveryWidth<double, LaneSums.SumTerm>(x, x, expected, what);
            // Sum(): the fixed order, summed again scaled down where it is not finite
            Same(double.IsFinite(expected) ? expected : Summation.ScaledSum<double>(x, 0, 1, x.Length), Summation.Sum<double>(x), what + ", Summation.Sum");
            var tensor = Tensor.FromRowMajor(1, Math.Max(1, c.Length), c.Length == 0 ? [0.0] : x);
            Same(c.Length == 0 ? 0.0 : Summation.Sum<double>(x), tensor.Sum().Item, what + ", Tensor.Sum()");
        }, cases: 200);

    [Fact]
    public void Sum_of_squares_in_double_has_the_fixed_orders_bits_at_every_width_and_through_the_entry_point() =>
        Properties.Check(Spans, c =>
        {
            double[] x = Wide512SweepTests.Values<double>(c.Length, c.Values, new Random(c.Seed));
            double expected = FixedOrder(x, x, PlusSquare);
            string what = $"Σx² of {c.Length} (values {c.Values}, seed {c.Seed})";
            AtEveryWidth<double, LaneSums.SquareTerm>(x, x, expected, what);
            Same(expected, Summation.SumOfSquares<double>(x), what + ", Summation.SumOfSquares");
        }, cases: 200);

    private static void DotAtEveryWidth<T>((int Length, int Values, int Seed) c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        T[] x = Wide512SweepTests.Values<T>(c.Length, c.Values, random), y = Wide512SweepTests.Values<T>(c.Length, c.Values, random);
        T expected = FixedOrder(x, y, PlusProduct);
        string what = $"{typeof(T).Name} Σxy of {c.Length} (values {c.Values}, seed {c.Seed})";
        AtEveryWidth<T, LaneSums.ProductTerm>(x, y, expected, what);
        Same(expected, LaneSums.Dot<T>(x, y), what + ", LaneSums.Dot");
    }

    [Fact]
    public void Inner_products_have_the_fixed_orders_bits_at_every_width_in_double() =>
        Properties.Check(Spans, DotAtEveryWidth<double>, cases: 150);

    [Fact]
    public void Inner_products_have_the_fixed_orders_bits_at_every_width_in_float() =>
        Properties.Check(Spans, DotAtEveryWidth<float>, cases: 150);

    /// <summary>
    /// The row kernel with a transposed right operand (products too narrow to vectorise: m·n &lt; 32, with k &gt; 32, as a
    /// batch-1 layer's x·Wᵀ): each element the fixed-order inner product of A's row and B's row.
    /// </summary>
    private static void RowKernelProducts<T>((int M, int K, int N, int Values, int Seed) c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        var sa = new Shape(c.M, c.K);
        var sb = new Shape(c.N, c.K);
        var sc = new Shape(c.M, c.N);
        Assert.Equal(GemmKernel.Rows, Gemm.Choose<T>(sa, false, sc).Kernel);
        T[] a = Wide512SweepTests.Values<T>(sa.Length, c.Values, random), b = Wide512SweepTests.Values<T>(sb.Length, c.Values, random);
        var product = Enumerable.Repeat(T.NaN, sc.Length).ToArray();
        Gemm.Multiply(a, sa, false, b, sb, true, product, sc);
        for (int i = 0; i < c.M; i++)
        {
            for (int j = 0; j < c.N; j++)
            {
                T expected = FixedOrder(a[(i * c.K)..((i + 1) * c.K)], b[(j * c.K)..((j + 1) * c.K)], PlusProduct);
                Same(expected, product[i * c.N + j], $"{typeof(T).Name} A·Bᵀ {c}: C[{i},{j}]");
            }
        }
    }

    private static readonly Arbitrary<(int M, int K, int N, int Values, int Seed)> RowKernelCases = Arb.From(
        from m in Gen.Choose(1, 6) from n in Gen.Choose(1, 31 / m) from k in Gen.Frequency((3, Gen.Choose(33, 300)), (1, Gen.Choose(257, 1000)))
        from values in Gen.Elements(0, 1, 2, 3) from seed in Gen.Choose(0, 10_000)
        select (m, k, n, values, seed));

    [Fact]
    public void The_row_kernel_gives_a_product_with_a_transposed_operand_the_fixed_order_in_double() =>
        Properties.Check(RowKernelCases, RowKernelProducts<double>, cases: 100);

    [Fact]
    public void The_row_kernel_gives_a_product_with_a_transposed_operand_the_fixed_order_in_float() =>
        Properties.Check(RowKernelCases, RowKernelProducts<float>, cases: 100);
}
