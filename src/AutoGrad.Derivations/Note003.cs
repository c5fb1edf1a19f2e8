using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Derivations;

/// <summary>
/// Note 003 ("Backpropagation by hand", handwritten): ŷ = XW(1)W(2), then with biases
/// ŷ = (xw(1) + b(1))w(2) + b(2), then with activations ŷ = f₂(f₁(xw(1) + b(1))w(2) + b(2)), with
/// ∂L/∂ŷ = ŷ − y, i.e. L = ½ Σ (ŷ − y)². X is N×d (one example is a 1×d row x), W(1) is d×h, W(2) is h×1,
/// b(1) is 1×h, b(2) is 1×1. The note has no equation numbers; each formula names its line.
/// "·" between factors is a matrix product, a 1×1 factor scales (<see cref="Linalg.Chain"/>).
/// </summary>
public static class Note003
{
    /// <summary>ŷ = XW(1)W(2) ("Matrix form").</summary>
    public static Matrix<double> LinearForward(Matrix<double> x, Matrix<double> w1, Matrix<double> w2) => x.Times(w1).Times(w2);

    /// <summary>"Layer 2 … So": ∂L/∂w_j(2) = (ŷ − y) Σᵢ xᵢ w_ij(1), for one example (x a 1×d row); an h×1 column.</summary>
    public static Matrix<double> LinearGradW2Elementwise(Matrix<double> x, Matrix<double> w1, Matrix<double> w2, double y)
    {
        double yHat = LinearForward(x, w1, w2)[0, 0];
        return Linalg.M.Dense(w1.ColumnCount, 1, (j, _) =>
        {
            double sum = 0;
            for (int i = 0; i < x.ColumnCount; i++)
            {
                sum += x[0, i] * w1[i, j];
            }
            return (yHat - y) * sum;
        });
    }

    /// <summary>"∴ ∂L/∂W(2) = (ŷ − y) X W(1)", as written.</summary>
    public static Matrix<double> LinearGradW2AsWritten(Matrix<double> x, Matrix<double> w1, Matrix<double> w2, Matrix<double> y) =>
        Linalg.Chain(LinearForward(x, w1, w2) - y, x, w1);

    /// <summary>Corrected: ∂L/∂W(2) = (XW(1))ᵀ (ŷ − y), an h×1 column like W(2).</summary>
    public static Matrix<double> LinearGradW2Corrected(Matrix<double> x, Matrix<double> w1, Matrix<double> w2, Matrix<double> y) =>
        x.Times(w1).Transpose().Times(LinearForward(x, w1, w2) - y);

    /// <summary>"Layer 1: ∂L/∂W(1) = (ŷ − y) W(2)ᵀ X", as written.</summary>
    public static Matrix<double> LinearGradW1AsWritten(Matrix<double> x, Matrix<double> w1, Matrix<double> w2, Matrix<double> y) =>
        Linalg.Chain(LinearForward(x, w1, w2) - y, w2.Transpose(), x);

    /// <summary>Corrected: ∂L/∂W(1) = Xᵀ (ŷ − y) W(2)ᵀ, a d×h matrix like W(1).</summary>
    public static Matrix<double> LinearGradW1Corrected(Matrix<double> x, Matrix<double> w1, Matrix<double> w2, Matrix<double> y) =>
        x.Transpose().Times(LinearForward(x, w1, w2) - y).Times(w2.Transpose());

    /// <summary>"with bias terms": ŷ = (XW(1) + b(1))W(2) + b(2), the biases broadcast over the rows.</summary>
    public static Matrix<double> BiasForward(Matrix<double> x, Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2) =>
        AddRow(AddRow(x.Times(w1), b1).Times(w2), b2);

    /// <summary>"∂L/∂b(2) = ∂L/∂ŷ = ŷ − y", as written (one example: a 1×1).</summary>
    public static Matrix<double> BiasGradB2AsWritten(Matrix<double> x, Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2, Matrix<double> y) =>
        BiasForward(x, w1, b1, w2, b2) - y;

    /// <summary>For a batch, b(2) is shared by every row, so its gradient is the sum: ∂L/∂b(2) = Σᵢ (ŷᵢ − yᵢ).</summary>
    public static Matrix<double> BiasGradB2Batch(Matrix<double> x, Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2, Matrix<double> y) =>
        Linalg.M.Dense(1, 1, (BiasForward(x, w1, b1, w2, b2) - y).ColumnSums().Sum());

    /// <summary>"with activations", one example x (1×d): z₁ = x w(1) + b(1) (pre-activation), a₁ = f₁(z₁), z₂ = a₁w(2) + b(2), ŷ = f₂(z₂).</summary>
    public sealed record ActivationForward(Matrix<double> Z1, Matrix<double> A1, Matrix<double> Z2, Matrix<double> YHat);

    /// <summary>The forward pass with sigmoid f₁ = f₂ = σ ("assume both sigmoid").</summary>
    public static ActivationForward RunWithActivations(Matrix<double> x, Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2)
    {
        var z1 = x.Times(w1) + b1;
        var a1 = z1.Apply(ScalarFunction.SigmoidValue);
        var z2 = a1.Times(w2) + b2;
        return new ActivationForward(z1, a1, z2, z2.Apply(ScalarFunction.SigmoidValue));
    }

    /// <summary>"∂L/∂w(2) = (ŷ − y)(1) ∂f₂/∂z₂ f₁(xw(1) + b(1))", as written: a 1×h row.</summary>
    public static Matrix<double> ActivationGradW2AsWritten(ActivationForward fw, Matrix<double> y) =>
        Linalg.Chain(fw.YHat - y, Linalg.M.Dense(1, 1, 1.0), fw.Z2.Apply(ScalarFunction.Sigmoid.Derivative), fw.A1);

    /// <summary>Corrected: ∂L/∂w(2) = a₁ᵀ [(ŷ − y) σ′(z₂)], an h×1 column like w(2).</summary>
    public static Matrix<double> ActivationGradW2Corrected(ActivationForward fw, Matrix<double> y) =>
        fw.A1.Transpose().Times((fw.YHat - y).Hadamard(fw.Z2.Apply(ScalarFunction.Sigmoid.Derivative)));

    /// <summary>∂L/∂b(2) = (ŷ − y) σ′(z₂) (with activations; the note derives ∂L/∂b(2) only without them).</summary>
    public static Matrix<double> ActivationGradB2(ActivationForward fw, Matrix<double> y) =>
        (fw.YHat - y).Hadamard(fw.Z2.Apply(ScalarFunction.Sigmoid.Derivative));

    /// <summary>
    /// "∂L/∂w(1) = (ŷ − y) σ(z₂)(1 − σ(z₂)) w(2)ᵀ σ(z₁)(1 − σ(z₁)) x", as written, with z₁ read as the note's
    /// underbrace labels it: the activation f₁(xw(1) + b(1)).
    /// </summary>
    public static Matrix<double> ActivationGradW1AsWritten(ActivationForward fw, Matrix<double> x, Matrix<double> w2, Matrix<double> y)
    {
        Matrix<double> underbracedZ1 = fw.A1;
        return Linalg.Chain(fw.YHat - y, fw.Z2.Apply(ScalarFunction.Sigmoid.Derivative), w2.Transpose(),
            underbracedZ1.Apply(ScalarFunction.Sigmoid.Derivative), x);
    }

    /// <summary>Corrected: ∂L/∂w(1) = xᵀ [((ŷ − y) σ′(z₂)) w(2)ᵀ ∘ σ′(xw(1) + b(1))], a d×h matrix like w(1).</summary>
    public static Matrix<double> ActivationGradW1Corrected(ActivationForward fw, Matrix<double> x, Matrix<double> w2, Matrix<double> y) =>
        x.Transpose().Times(ActivationGradB2(fw, y).Times(w2.Transpose()).Hadamard(fw.Z1.Apply(ScalarFunction.Sigmoid.Derivative)));

    /// <summary>∂L/∂b(1) = ((ŷ − y) σ′(z₂)) w(2)ᵀ ∘ σ′(z₁) (not derived in the note).</summary>
    public static Matrix<double> ActivationGradB1(ActivationForward fw, Matrix<double> w2, Matrix<double> y) =>
        ActivationGradB2(fw, y).Times(w2.Transpose()).Hadamard(fw.Z1.Apply(ScalarFunction.Sigmoid.Derivative));

    private static Matrix<double> AddRow(Matrix<double> m, Matrix<double> row) =>
        Linalg.M.Dense(m.RowCount, m.ColumnCount, (i, j) => m[i, j] + row[0, j]);
}
