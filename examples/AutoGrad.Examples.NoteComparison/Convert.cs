using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Examples.NoteComparison;

/// <summary>Moves values between the notes' MathNet matrices and AutoGrad tensors of double or float.</summary>
public static class Convert
{
    public static Tensor<T> ToTensor<T>(this Matrix<double> m, string name, bool requiresGrad = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.FromRowMajor(m.RowCount, m.ColumnCount, m.ToRowMajorArray().Select(T.CreateChecked).ToArray(), requiresGrad, name);

    public static Matrix<double> ToMatrix<T>(this Tensor<T>? t)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        t is null ? Matrix<double>.Build.Dense(1, 1, double.NaN) : Matrix<double>.Build.Dense(t.Rows, t.Cols, (i, j) => double.CreateChecked(t[i, j]));

    public static Matrix<double> Random(this Random random, int rows, int cols, double scale = 1.0) =>
        Matrix<double>.Build.Dense(rows, cols, (_, _) => scale * (2 * random.NextDouble() - 1));
}
