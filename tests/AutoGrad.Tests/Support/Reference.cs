using AutoGrad;
using Xunit;

namespace AutoGrad.Tests.Support;

/// <summary>Naive reference computations, written with plain loops, that the kernels are compared with.</summary>
public static class Reference
{
    /// <summary>Asserts result[i, j] = f(a[i or 0, j or 0], b[i or 0, j or 0]) exactly, over the broadcast shape.</summary>
    public static void AssertBroadcastValues(Matrix a, Matrix b, Tensor<double> result, Func<double, double, double> f)
    {
        int rows = Math.Max(a.Rows, b.Rows), cols = Math.Max(a.Cols, b.Cols);
        Assert.Equal(new Shape(rows, cols), result.Shape);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double expected = f(a[a.Rows == 1 ? 0 : i, a.Cols == 1 ? 0 : j], b[b.Rows == 1 ? 0 : i, b.Cols == 1 ? 0 : j]);
                Assert.Equal(expected, result[i, j]);
            }
        }
    }

    /// <summary>Asserts result[i, j] = f(x[i, j]) to within <paramref name="ulps"/>-ish relative error.</summary>
    public static void AssertUnaryValues(Matrix x, Tensor<double> result, Func<double, double> f, double relative = 1e-14)
    {
        Assert.Equal(x.Shape, result.Shape);
        for (int i = 0; i < x.Values.Length; i++)
        {
            double expected = f(x.Values[i]);
            double actual = result.AsSpan()[i];
            Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)),
                $"element {i}: f({x.Values[i]}) expected {expected}, got {actual}");
        }
    }

    /// <summary>
    /// C = op(A)·op(B) (m×n, inner dimension k) with each element the chain of k fused multiply-adds p = 0 … k−1 from +0,
    /// the order every GEMM kernel but the row kernel keeps within one slice; A is m×k (k×m if transposed), B k×n (n×k).
    /// </summary>
    public static T[] FusedMultiplyAddChains<T>(T[] a, bool transposeA, T[] b, bool transposeB, int m, int k, int n)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var c = new T[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    sum = T.FusedMultiplyAdd(a[transposeA ? p * m + i : i * k + p], b[transposeB ? j * k + p : p * n + j], sum);
                }
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    /// <summary>The product of two row-major matrices by the textbook triple loop.</summary>
    public static double[,] MatMul(Matrix a, Matrix b)
    {
        var c = new double[a.Rows, b.Cols];
        for (int i = 0; i < a.Rows; i++)
        {
            for (int j = 0; j < b.Cols; j++)
            {
                double sum = 0;
                for (int p = 0; p < a.Cols; p++)
                {
                    sum += a[i, p] * b[p, j];
                }
                c[i, j] = sum;
            }
        }
        return c;
    }
}
