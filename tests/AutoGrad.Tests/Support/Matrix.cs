using System.Globalization;
using AutoGrad;

namespace AutoGrad.Tests.Support;

/// <summary>
/// Test data for one tensor: a shape and its row-major values. A record, so FsCheck prints a failing
/// (shrunk) counterexample as readable numbers rather than as a tensor's internals.
/// </summary>
public sealed record Matrix(int Rows, int Cols, double[] Values)
{
    public Shape Shape => new(Rows, Cols);

    public Tensor<double> ToTensor(bool requiresGrad = true, string? name = null) =>
        Tensor.FromRowMajor<double>(Rows, Cols, Values, requiresGrad, name);

    public Tensor<float> ToFloatTensor(bool requiresGrad = true, string? name = null) =>
        Tensor.FromRowMajor<float>(Rows, Cols, Values.Select(v => (float)v).ToArray(), requiresGrad, name);

    public double this[int i, int j] => Values[i * Cols + j];

    public override string ToString() =>
        $"{Rows}×{Cols} [" + string.Join("; ", Enumerable.Range(0, Rows).Select(i =>
            string.Join(", ", Values.Skip(i * Cols).Take(Cols).Select(v => v.ToString("G4", CultureInfo.InvariantCulture))))) + "]";

    /// <summary>Simpler versions of this matrix: one value set to 0, or rounded to one decimal.</summary>
    public IEnumerable<Matrix> ShrinkValues()
    {
        for (int i = 0; i < Values.Length; i++)
        {
            double v = Values[i];
            foreach (double simpler in new[] { 0.0, Math.Round(v), Math.Round(v, 1) }.Distinct())
            {
                if (simpler != v && Math.Abs(simpler) <= Math.Abs(v) + 0.5)
                {
                    var copy = (double[])Values.Clone();
                    copy[i] = simpler;
                    yield return this with { Values = copy };
                }
            }
        }
    }

    /// <summary>The top-left part of this matrix with one row or one column fewer.</summary>
    public IEnumerable<Matrix> ShrinkShape()
    {
        if (Rows > 1)
        {
            yield return Crop(Rows - 1, Cols);
        }
        if (Cols > 1)
        {
            yield return Crop(Rows, Cols - 1);
        }
    }

    public Matrix Crop(int rows, int cols)
    {
        var values = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                values[i * cols + j] = this[i, j];
            }
        }
        return new Matrix(rows, cols, values);
    }
}
