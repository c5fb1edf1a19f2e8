using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Derivations;

/// <summary>
/// Note 002 ("Backpropagation", chain rule decomposition): z^(L−1) = W^(L−1)x + b^(L−1), a^(L−1) = σ(z^(L−1)),
/// z^L = W^L a^(L−1) + b^L, a^L = σ(z^L), C₀ = ½(a^L − y)², σ the sigmoid. The note writes its results as
/// products of scalar factors. Here each factor is computed element-wise (a(1 − a) means a ∘ (1 − a)) and "·"
/// between factors is a matrix product (a 1×1 factor scales), which is exactly the note when every layer has
/// width 1. The <c>…VectorForm</c> methods are the same chains for wider layers, where the products become
/// outer products, transposes and Hadamard products.
/// </summary>
public static class Note002
{
    /// <summary>The forward pass's named quantities.</summary>
    public sealed record Forward(Matrix<double> ZLm1, Matrix<double> ALm1, Matrix<double> ZL, Matrix<double> AL, double Cost);

    /// <summary>Eq. (1)–(5): note 000's forward pass (<see cref="Note000.Run"/>) with σ = f = the sigmoid; C₀ = ½‖a^L − y‖² = L.</summary>
    public static Forward Run(Matrix<double> x, Matrix<double> wLm1, Matrix<double> bLm1, Matrix<double> wL, Matrix<double> bL, Matrix<double> y)
    {
        var fw = Note000.Run(x, wLm1, bLm1, wL, bL, y, ScalarFunction.Sigmoid, ScalarFunction.Sigmoid);
        return new Forward(fw.Z1, fw.A1, fw.Z2, fw.YHat, fw.Loss);
    }

    /// <summary>Eq. (17): dσ/dz = e^−z / (1 + e^−z)². Right, but e^−z overflows for z below about −709, giving ∞/∞ = NaN.</summary>
    public static double SigmoidDerivativeEq17(double z) => Math.Exp(-z) / ((1 + Math.Exp(-z)) * (1 + Math.Exp(-z)));

    /// <summary>Eq. (20): dσ/dz = σ(z) · e^−z / (1 + e^−z).</summary>
    public static double SigmoidDerivativeEq20(double z) => ScalarFunction.SigmoidValue(z) * (Math.Exp(-z) / (1 + Math.Exp(-z)));

    /// <summary>Eq. (24): dσ/dz = σ(z)(1 − σ(z)).</summary>
    public static double SigmoidDerivativeEq24(double z) => ScalarFunction.SigmoidValue(z) * (1 - ScalarFunction.SigmoidValue(z));

    /// <summary>Eq. (12): ∂C₀/∂a^L = a^L − y.</summary>
    public static Matrix<double> DCostDAL(Forward fw, Matrix<double> y) => fw.AL - y;

    /// <summary>Eq. (28): ∂a^L/∂z^L = a^L(1 − a^L).</summary>
    public static Matrix<double> DALDZL(Forward fw) => fw.AL.Hadamard(1 - fw.AL);

    /// <summary>∂C₀/∂z^L = a^L(1 − a^L) · (a^L − y): the factors eq. (36) and (40) share (δ^L).</summary>
    public static Matrix<double> DCostDZL(Forward fw, Matrix<double> y) => Linalg.Chain(DALDZL(fw), DCostDAL(fw, y));

    /// <summary>Eq. (36): ∂C₀/∂W^L = a^(L−1) · a^L(1 − a^L) · (a^L − y), as written.</summary>
    public static Matrix<double> GradWLEq36(Forward fw, Matrix<double> y) => Linalg.Chain(fw.ALm1, DALDZL(fw), DCostDAL(fw, y));

    /// <summary>Eq. (40): ∂C₀/∂b^L = a^L(1 − a^L) · (a^L − y), as written.</summary>
    public static Matrix<double> GradBLEq40(Forward fw, Matrix<double> y) => Linalg.Chain(DALDZL(fw), DCostDAL(fw, y));

    /// <summary>Eq. (48): ∂C₀/∂W^(L−1) = x · a^(L−1)(1 − a^(L−1)) · W^L · a^L(1 − a^L) · (a^L − y), as written.</summary>
    public static Matrix<double> GradWLm1Eq48(Forward fw, Matrix<double> x, Matrix<double> wL, Matrix<double> y) =>
        Linalg.Chain(x, fw.ALm1.Hadamard(1 - fw.ALm1), wL, DALDZL(fw), DCostDAL(fw, y));

    /// <summary>Eq. (51): ∂C₀/∂b^(L−1) = a^(L−1)(1 − a^(L−1)) · W^L · a^L(1 − a^L) · (a^L − y), as written.</summary>
    public static Matrix<double> GradBLm1Eq51(Forward fw, Matrix<double> wL, Matrix<double> y) =>
        Linalg.Chain(fw.ALm1.Hadamard(1 - fw.ALm1), wL, DALDZL(fw), DCostDAL(fw, y));

    /// <summary>δ^L = a^L(1 − a^L) ∘ (a^L − y), for layers of any width.</summary>
    public static Matrix<double> DeltaLVectorForm(Forward fw, Matrix<double> y) => DALDZL(fw).Hadamard(DCostDAL(fw, y));

    /// <summary>Eq. (36) for vector layers: ∂C₀/∂W^L = δ^L (a^(L−1))ᵀ, an outer product.</summary>
    public static Matrix<double> GradWLVectorForm(Forward fw, Matrix<double> y) => DeltaLVectorForm(fw, y).Times(fw.ALm1.Transpose());

    /// <summary>Eq. (40) for vector layers: ∂C₀/∂b^L = δ^L.</summary>
    public static Matrix<double> GradBLVectorForm(Forward fw, Matrix<double> y) => DeltaLVectorForm(fw, y);

    /// <summary>Eq. (51) for vector layers: ∂C₀/∂b^(L−1) = (W^L)ᵀ δ^L ∘ a^(L−1)(1 − a^(L−1)).</summary>
    public static Matrix<double> GradBLm1VectorForm(Forward fw, Matrix<double> wL, Matrix<double> y) =>
        wL.Transpose().Times(DeltaLVectorForm(fw, y)).Hadamard(fw.ALm1.Hadamard(1 - fw.ALm1));

    /// <summary>Eq. (48) for vector layers: ∂C₀/∂W^(L−1) = [(W^L)ᵀ δ^L ∘ a^(L−1)(1 − a^(L−1))] xᵀ.</summary>
    public static Matrix<double> GradWLm1VectorForm(Forward fw, Matrix<double> x, Matrix<double> wL, Matrix<double> y) =>
        GradBLm1VectorForm(fw, wL, y).Times(x.Transpose());
}
