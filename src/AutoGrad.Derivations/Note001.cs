using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Derivations;

/// <summary>
/// Note 001 ("Backpropagation Gradient Derivations", March 2025): a batch of N rows, H = XW(1), Z = σ(H),
/// O = ZW(2), ŷ = σ(O), L = 1/(2N) Σᵢ (Yᵢ − ŷᵢ)², with a single output (W(2) is h×1) and no biases in the equations.
/// X is N×d, W(1) is d×h, Y and ŷ are N×1.
/// </summary>
public static class Note001
{
    /// <summary>The forward pass's named quantities.</summary>
    public sealed record Forward(Matrix<double> H, Matrix<double> Z, Matrix<double> O, Matrix<double> YHat, double Loss);

    /// <summary>Eq. (1)–(5).</summary>
    public static Forward Run(Matrix<double> x, Matrix<double> w1, Matrix<double> w2, Matrix<double> y)
    {
        var h = x.Times(w1);                                  // (2)
        var z = h.Apply(ScalarFunction.SigmoidValue);          // (3)
        var o = z.Times(w2);                                  // (4)
        var yHat = o.Apply(ScalarFunction.SigmoidValue);       // (5)
        int n = x.RowCount;
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            loss += (y[i, 0] - yHat[i, 0]) * (y[i, 0] - yHat[i, 0]);
        }
        return new Forward(h, z, o, yHat, loss / (2.0 * n));   // (1)
    }

    /// <summary>The first bullet under eq. (6): ∂L/∂ŷᵢ = −(1/N)(Yᵢ − ŷᵢ), as an N×1 column.</summary>
    public static Matrix<double> DLossDYHat(Forward fw, Matrix<double> y)
    {
        int n = y.RowCount;
        return Linalg.M.Dense(n, 1, (i, _) => -(1.0 / n) * (y[i, 0] - fw.YHat[i, 0]));
    }

    /// <summary>∂L/∂Oᵢ = ∂L/∂ŷᵢ · ŷᵢ(1 − ŷᵢ): the first two factors of eq. (6), as an N×1 column.</summary>
    public static Matrix<double> DLossDO(Forward fw, Matrix<double> y)
    {
        int n = y.RowCount;
        return Linalg.M.Dense(n, 1, (i, _) => -(1.0 / n) * (y[i, 0] - fw.YHat[i, 0]) * fw.YHat[i, 0] * (1 - fw.YHat[i, 0]));
    }

    /// <summary>Eq. (7), element by element: ∂L/∂W(2)ₖ₁ = Σᵢ −(1/N)(Yᵢ − ŷᵢ) ŷᵢ(1 − ŷᵢ) Zᵢₖ.</summary>
    public static Matrix<double> GradW2Elementwise(Forward fw, Matrix<double> y)
    {
        int n = y.RowCount, hidden = fw.Z.ColumnCount;
        var grad = Linalg.M.Dense(hidden, 1);
        for (int k = 0; k < hidden; k++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += -(1.0 / n) * (y[i, 0] - fw.YHat[i, 0]) * fw.YHat[i, 0] * (1 - fw.YHat[i, 0]) * fw.Z[i, k];
            }
            grad[k, 0] = sum;
        }
        return grad;
    }

    /// <summary>
    /// Eq. (9), element by element:
    /// ∂L/∂W(1)ₖₗ = Σᵢ −(1/N)(Yᵢ − ŷᵢ) ŷᵢ(1 − ŷᵢ) W(2)ₗ₁ σ(Hᵢₗ)(1 − σ(Hᵢₗ)) Xᵢₖ.
    /// </summary>
    public static Matrix<double> GradW1Elementwise(Forward fw, Matrix<double> x, Matrix<double> w2, Matrix<double> y)
    {
        int n = y.RowCount, d = x.ColumnCount, hidden = fw.H.ColumnCount;
        var grad = Linalg.M.Dense(d, hidden);
        for (int k = 0; k < d; k++)
        {
            for (int l = 0; l < hidden; l++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    double s = ScalarFunction.SigmoidValue(fw.H[i, l]);
                    sum += -(1.0 / n) * (y[i, 0] - fw.YHat[i, 0]) * fw.YHat[i, 0] * (1 - fw.YHat[i, 0]) * w2[l, 0] * s * (1 - s) * x[i, k];
                }
                grad[k, l] = sum;
            }
        }
        return grad;
    }

    /// <summary>Eq. (7) in matrix form: ∂L/∂W(2) = Zᵀ δ with δᵢ = −(1/N)(Yᵢ − ŷᵢ)ŷᵢ(1 − ŷᵢ) (= ∂L/∂O).</summary>
    public static Matrix<double> GradW2Matrix(Forward fw, Matrix<double> y) => fw.Z.Transpose().Times(DLossDO(fw, y));

    /// <summary>Eq. (9) in matrix form: ∂L/∂W(1) = Xᵀ [(δ W(2)ᵀ) ∘ σ(H) ∘ (1 − σ(H))].</summary>
    public static Matrix<double> GradW1Matrix(Forward fw, Matrix<double> x, Matrix<double> w2, Matrix<double> y)
    {
        var sigmaPrime = fw.H.Apply(ScalarFunction.Sigmoid.Derivative);
        return x.Transpose().Times(DLossDO(fw, y).Times(w2.Transpose()).Hadamard(sigmaPrime));
    }

    /// <summary>
    /// The bias the text mentions under eq. (3) ("Appending a bias column to Z") but eq. (4) leaves out:
    /// with Z̃ = [Z, 1] and W̃(2) of (h+1)×1, eq. (7) run over k = 1..h+1 gives the bias gradient
    /// Σᵢ −(1/N)(Yᵢ − ŷᵢ)ŷᵢ(1 − ŷᵢ) · 1 as its last entry.
    /// </summary>
    public static Matrix<double> GradW2WithBiasColumn(Matrix<double> x, Matrix<double> w1, Matrix<double> w2WithBias, Matrix<double> y)
    {
        var z = x.Times(w1).Apply(ScalarFunction.SigmoidValue).AppendOnesColumn();
        var yHat = z.Times(w2WithBias).Apply(ScalarFunction.SigmoidValue);
        int n = y.RowCount;
        var delta = Linalg.M.Dense(n, 1, (i, _) => -(1.0 / n) * (y[i, 0] - yHat[i, 0]) * yHat[i, 0] * (1 - yHat[i, 0]));
        return z.Transpose().Times(delta);
    }
}
