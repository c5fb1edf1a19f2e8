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
            throw new ArgumentException($"Hadamard: ({a.RowCount}×{a.ColumnCount}) ∘ ({b.RowCount}×{b.ColumnCount}): shapes differ.");
        }
        return a.PointwiseMultiply(b);
    }

    /// <summary>The matrix product a · b, refusing shapes that cannot multiply with a message naming both.</summary>
    public static Matrix<double> Times(this Matrix<double> a, Matrix<double> b)
    {
        if (a.ColumnCount != b.RowCount)
        {
            throw new ArgumentException($"Product: ({a.RowCount}×{a.ColumnCount}) · ({b.RowCount}×{b.ColumnCount}): inner dimensions differ.");
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
}
