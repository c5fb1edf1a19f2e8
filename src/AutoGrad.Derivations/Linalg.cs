using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Derivations;

/// <summary>The few matrix helpers the notes' notation needs, on MathNet matrices.</summary>
public static class Linalg
{
    /// <summary>The builder for dense double matrices.</summary>
    public static MatrixBuilder<double> M => Matrix<double>.Build;

    /// <summary>f applied element-wise.</summary>
    public static Matrix<double> Apply(this Matrix<double> m, Func<double, double> f) => m.Map(f, Zeros.Include);

    /// <summary>The Hadamard product a ∘ b, refusing shapes that differ.</summary>
    public static Matrix<double> Hadamard(this Matrix<double> a, Matrix<double> b)
    {
        if (a.RowCount != b.RowCount || a.ColumnCount != b.ColumnCount)
        {
            throw new ShapeException(string.Create(CultureInfo.InvariantCulture, $"Hadamard: ({a.RowCount}×{a.ColumnCount}) ∘ ({b.RowCount}×{b.ColumnCount}): shapes differ."));
        }
        return a.PointwiseMultiply(b);
    }

    /// <summary>The matrix product a · b, refusing shapes that cannot multiply with a message naming both.</summary>
    public static Matrix<double> Times(this Matrix<double> a, Matrix<double> b)
    {
        if (a.ColumnCount != b.RowCount)
        {
            throw new ShapeException(string.Create(CultureInfo.InvariantCulture, $"Product: ({a.RowCount}×{a.ColumnCount}) · ({b.RowCount}×{b.ColumnCount}): inner dimensions differ."));
        }
        return a * b;
    }

    /// <summary>Product of a chain of factors, left to right, exactly as a note writes them: a scalar (1×1) factor scales, any other multiplies as a matrix.</summary>
    public static Matrix<double> Chain(params Matrix<double>[] factors)
    {
        Matrix<double> result = factors[0];
        for (int i = 1; i < factors.Length; i++)
        {
            Matrix<double> next = factors[i];
            result = result.RowCount == 1 && result.ColumnCount == 1 ? next * result[0, 0]
                : next.RowCount == 1 && next.ColumnCount == 1 ? result * next[0, 0]
                : result.Times(next);
        }
        return result;
    }

    /// <summary>The column [v; 1]: v with a 1 appended, as note 004 folds in a bias.</summary>
    public static Matrix<double> AppendOne(this Matrix<double> column) =>
        column.Stack(M.Dense(1, 1, 1.0));

    /// <summary>The matrix [m, 1]: a column of ones appended, as note 001 appends a bias column.</summary>
    public static Matrix<double> AppendOnesColumn(this Matrix<double> m) =>
        m.Append(M.Dense(m.RowCount, 1, 1.0));

    /// <summary>A matrix built element by element: entry (i, j) = <paramref name="entry"/>(i, j), every index visited.</summary>
    public static Matrix<double> Index(int rows, int cols, Func<int, int, double> entry)
    {
        var m = M.Dense(rows, cols);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                m[i, j] = entry(i, j);
            }
        }
        return m;
    }

    /// <summary>
    /// A three-index derivative ∂yᵢ/∂A_kl as a Jacobian matrix: row i, column k·cols + l (A flattened row-major),
    /// every (i, k, l) evaluated.
    /// </summary>
    public static Matrix<double> Index3(int outputs, int rows, int cols, Func<int, int, int, double> entry) =>
        Index(outputs, rows * cols, (i, c) => entry(i, c / cols, c % cols));

    /// <summary>Σ over i = 0..n−1 of term(i).</summary>
    public static double Sum(int n, Func<int, double> term)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += term(i);
        }
        return s;
    }

    /// <summary>The Kronecker delta δᵢⱼ.</summary>
    public static double Delta(int i, int j) => i == j ? 1.0 : 0.0;

    /// <summary>A 1×1 matrix.</summary>
    public static Matrix<double> Scalar(double value) => M.Dense(1, 1, value);

    /// <summary>diag(v) for a column v.</summary>
    public static Matrix<double> Diag(Matrix<double> column) => M.DenseOfDiagonalVector(column.Column(0));

    /// <summary>The identity matrix of size n.</summary>
    public static Matrix<double> Eye(int n) => M.DenseIdentity(n);

    /// <summary>
    /// d/dz of an expression the note writes, by a central difference (step 1e-5·max(1, |z|)): for the notes' steps that
    /// write a derivative operator (∂/∂a [½(a − y)²]) rather than its result. Accurate to about 1e-9 relative.
    /// </summary>
    public static double D(Func<double, double> expression, double z)
    {
        double h = 1e-5 * Math.Max(1, Math.Abs(z));
        return (expression(z + h) - expression(z - h)) / (2 * h);
    }
}
