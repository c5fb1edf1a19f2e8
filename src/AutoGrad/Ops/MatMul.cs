using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Matrix product <c>C = A · B</c> of an m×k and a k×n tensor.
    /// Backward: ∂L/∂A = ∂L/∂C · Bᵀ, ∂L/∂B = Aᵀ · ∂L/∂C.
    /// </summary>
    public Tensor<T> MatMul(Tensor<T> other) => MatMul(this, other, false, false);

    /// <summary>
    /// Matrix product <c>C = op(A) · op(B)</c> where op transposes its operand when asked, without
    /// materialising the transpose. Backward (for A·B, the others follow by transposing):
    /// ∂L/∂A = ∂L/∂C · Bᵀ, ∂L/∂B = Aᵀ · ∂L/∂C.
    /// </summary>
    public static Tensor<T> MatMul(Tensor<T> a, Tensor<T> b, bool transposeA, bool transposeB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Shape shape = Gemm.ResultShape(a.Shape, transposeA, b.Shape, transposeB);
        var result = Uninitialized(shape);
        Gemm.Multiply(a.Data, a.Shape, transposeA, b.Data, b.Shape, transposeB, result.Data, shape);
        return Track(result, ShouldRecord(a, b) ? new MatMulOperation(a, b, transposeA, transposeB) : null, MatMulName(transposeA, transposeB), a, b);
    }

    private static string MatMulName(bool transposeA, bool transposeB) => (transposeA, transposeB) switch
    {
        (false, false) => "MatMul",
        (true, false) => "MatMul(Aᵀ·B)",
        (false, true) => "MatMul(A·Bᵀ)",
        _ => "MatMul(Aᵀ·Bᵀ)",
    };

    internal sealed class MatMulOperation(Tensor<T> a, Tensor<T> b, bool transposeA, bool transposeB) : Operation<T>(a, b)
    {
        public override string Name => MatMulName(transposeA, transposeB);

        public bool TransposeA => transposeA;

        public bool TransposeB => transposeB;

        public override InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad)
        {
            Tensor<T> a = Inputs[0], b = Inputs[1], g = grad;
            return (transposeA, transposeB) switch
            {
                // C = A·B:   dA = G·Bᵀ,   dB = Aᵀ·G
                (false, false) => new(Needs(0) ? MatMul(g, b, false, true) : null, Needs(1) ? MatMul(a, g, true, false) : null),
                // C = A·Bᵀ:  dA = G·B,    dB = Gᵀ·A
                (false, true) => new(Needs(0) ? MatMul(g, b, false, false) : null, Needs(1) ? MatMul(g, a, true, false) : null),
                // C = Aᵀ·B:  dA = B·Gᵀ,   dB = A·G
                (true, false) => new(Needs(0) ? MatMul(b, g, false, true) : null, Needs(1) ? MatMul(a, g, false, false) : null),
                // C = Aᵀ·Bᵀ: dA = Bᵀ·Gᵀ,  dB = Gᵀ·Aᵀ
                (true, true) => new(Needs(0) ? MatMul(b, g, true, true) : null, Needs(1) ? MatMul(g, a, true, true) : null),
            };
        }
    }
}
