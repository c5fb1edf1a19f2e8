using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Derivations;

/// <summary>
/// Note 000 (Tong Wu, "Backpropagation Derivation for a Two-Layer Neural Network"): one example as column vectors,
/// z[1] = W[1]x + b[1], a[1] = σ(z[1]), z[2] = W[2]a[1] + b[2], ŷ = f(z[2]), L = ½‖y − ŷ‖².
/// x ∈ ℝ^n0, W[1] ∈ ℝ^(n1×n0), b[1] ∈ ℝ^n1, W[2] ∈ ℝ^(n2×n1), b[2] ∈ ℝ^n2. The note numbers no equations,
/// so each formula cites its step.
/// </summary>
public static class Note000
{
    /// <summary>The forward pass's named quantities.</summary>
    public sealed record Forward(Matrix<double> Z1, Matrix<double> A1, Matrix<double> Z2, Matrix<double> YHat, double Loss);

    /// <summary>Forward propagation: z[1], a[1], z[2], ŷ and L = ½‖y − ŷ‖² ("Forward Propagation", "Loss Function").</summary>
    public static Forward Run(Matrix<double> x, Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2,
        Matrix<double> y, ScalarFunction sigma, ScalarFunction f)
    {
        var z1 = w1.Times(x) + b1;
        var a1 = z1.Apply(sigma.Value);
        var z2 = w2.Times(a1) + b2;
        var yHat = z2.Apply(f.Value);
        var r = y - yHat;
        return new Forward(z1, a1, z2, yHat, 0.5 * r.Column(0).DotProduct(r.Column(0)));
    }

    /// <summary>Step 1: ∂L/∂ŷ = ŷ − y.</summary>
    public static Matrix<double> DLossDYHat(Forward fw, Matrix<double> y) => fw.YHat - y;

    /// <summary>Step 1: ∂L/∂z[2] = (ŷ − y) ∘ f′(z[2]) (called δ[2] in step 2).</summary>
    public static Matrix<double> DLossDZ2(Forward fw, Matrix<double> y, ScalarFunction f) =>
        (fw.YHat - y).Hadamard(fw.Z2.Apply(f.Derivative));

    /// <summary>Step 1: ∂L/∂W[2] = ∂L/∂z[2] (a[1])ᵀ.</summary>
    public static Matrix<double> GradW2(Forward fw, Matrix<double> y, ScalarFunction f) =>
        DLossDZ2(fw, y, f).Times(fw.A1.Transpose());

    /// <summary>Step 1: ∂L/∂b[2] = ∂L/∂z[2].</summary>
    public static Matrix<double> GradB2(Forward fw, Matrix<double> y, ScalarFunction f) => DLossDZ2(fw, y, f);

    /// <summary>Step 2: ∂L/∂a[1] = (W[2])ᵀ ∂L/∂z[2] (the right-hand side of the step).</summary>
    public static Matrix<double> DLossDA1(Forward fw, Matrix<double> w2, Matrix<double> y, ScalarFunction f) =>
        w2.Transpose().Times(DLossDZ2(fw, y, f));

    /// <summary>
    /// Step 2, literally its middle: ∂L/∂a[1] = ∂L/∂z[2] · ∂z[2]/∂a[1] with ∂z[2]/∂a[1] = W[2], in that order.
    /// (n2×1)·(n2×n1) multiplies only when n2 = 1, and then gives a row, the transpose of ∂L/∂a[1]: see docs/errata.md.
    /// </summary>
    public static Matrix<double> DLossDA1AsChainRuleOrder(Forward fw, Matrix<double> w2, Matrix<double> y, ScalarFunction f) =>
        DLossDZ2(fw, y, f).Times(w2);

    /// <summary>Step 2: ∂L/∂z[1] = (W[2])ᵀ δ[2] ∘ σ′(z[1]), with δ[2] = ∂L/∂z[2].</summary>
    public static Matrix<double> DLossDZ1(Forward fw, Matrix<double> w2, Matrix<double> y, ScalarFunction sigma, ScalarFunction f) =>
        DLossDA1(fw, w2, y, f).Hadamard(fw.Z1.Apply(sigma.Derivative));

    /// <summary>Step 2: ∂L/∂W[1] = ∂L/∂z[1] (x)ᵀ.</summary>
    public static Matrix<double> GradW1(Forward fw, Matrix<double> x, Matrix<double> w2, Matrix<double> y, ScalarFunction sigma, ScalarFunction f) =>
        DLossDZ1(fw, w2, y, sigma, f).Times(x.Transpose());

    /// <summary>Step 2: ∂L/∂b[1] = ∂L/∂z[1].</summary>
    public static Matrix<double> GradB1(Forward fw, Matrix<double> w2, Matrix<double> y, ScalarFunction sigma, ScalarFunction f) =>
        DLossDZ1(fw, w2, y, sigma, f);

    /// <summary>Summary: ∂L/∂W[2] = [(ŷ − y) ∘ f′(z[2])] (a[1])ᵀ, written out in full.</summary>
    public static Matrix<double> SummaryGradW2(Forward fw, Matrix<double> y, ScalarFunction f) =>
        (fw.YHat - y).Hadamard(fw.Z2.Apply(f.Derivative)).Times(fw.A1.Transpose());

    /// <summary>Summary: ∂L/∂b[2] = (ŷ − y) ∘ f′(z[2]).</summary>
    public static Matrix<double> SummaryGradB2(Forward fw, Matrix<double> y, ScalarFunction f) =>
        (fw.YHat - y).Hadamard(fw.Z2.Apply(f.Derivative));

    /// <summary>Summary: ∂L/∂W[1] = [(W[2])ᵀ((ŷ − y) ∘ f′(z[2])) ∘ σ′(z[1])] (x)ᵀ.</summary>
    public static Matrix<double> SummaryGradW1(Forward fw, Matrix<double> x, Matrix<double> w2, Matrix<double> y, ScalarFunction sigma, ScalarFunction f) =>
        w2.Transpose().Times((fw.YHat - y).Hadamard(fw.Z2.Apply(f.Derivative))).Hadamard(fw.Z1.Apply(sigma.Derivative)).Times(x.Transpose());

    /// <summary>Summary: ∂L/∂b[1] = (W[2])ᵀ((ŷ − y) ∘ f′(z[2])) ∘ σ′(z[1]).</summary>
    public static Matrix<double> SummaryGradB1(Forward fw, Matrix<double> w2, Matrix<double> y, ScalarFunction sigma, ScalarFunction f) =>
        w2.Transpose().Times((fw.YHat - y).Hadamard(fw.Z2.Apply(f.Derivative))).Hadamard(fw.Z1.Apply(sigma.Derivative));
}
