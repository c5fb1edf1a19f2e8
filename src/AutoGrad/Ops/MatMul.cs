using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Matrix product <c>C = A · B</c> of an m×k and a k×n tensor.
    /// Backward: ∂L/∂A = ∂L/∂C · Bᵀ, ∂L/∂B = Aᵀ · ∂L/∂C.
    /// </summary>
    public Tensor<T> MatMul(Tensor<T> other) => MatMul(this, other ?? throw new ArgumentNullException(nameof(other)), false, false);

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
        Gemm.Multiply(a.DataFor("MatMul"), a.Shape, transposeA, b.DataFor("MatMul"), b.Shape, transposeB, result.Data, shape);
        return Track(result, ShouldRecord(a, b) ? new MatMulOperation(a, b, transposeA, transposeB) : null, MatMulDeclaration.NameOf(transposeA, transposeB), a, b);
    }

    internal sealed class MatMulOperation(Tensor<T> a, Tensor<T> b, bool transposeA, bool transposeB) : Operation<T>(a, b), Compilation.IPlanStepSource<T>
    {
        public override string Name => MatMulDeclaration.NameOf(transposeA, transposeB);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.MatMulStep<T>(Name, inputs[0], shapes[0], transposeA, inputs[1], shapes[1], transposeB, output, shape);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> a = Inputs[0], b = Inputs[1], g = grad;
            (gradients[0], gradients[1]) = (transposeA, transposeB) switch
            {
                // C = A·B:   dA = G·Bᵀ,   dB = Aᵀ·G
                (false, false) => (Needs(0) ? MatMul(g, b, false, true) : null, Needs(1) ? MatMul(a, g, true, false) : null),
                // C = A·Bᵀ:  dA = G·B,    dB = Gᵀ·A
                (false, true) => (Needs(0) ? MatMul(g, b, false, false) : null, Needs(1) ? MatMul(g, a, true, false) : null),
                // C = Aᵀ·B:  dA = B·Gᵀ,   dB = A·G
                (true, false) => (Needs(0) ? MatMul(b, g, false, true) : null, Needs(1) ? MatMul(a, g, false, false) : null),
                // C = Aᵀ·Bᵀ: dA = Bᵀ·Gᵀ,  dB = Gᵀ·Aᵀ
                (true, true) => (Needs(0) ? MatMul(b, g, true, true) : null, Needs(1) ? MatMul(g, a, true, true) : null),
            };
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Infix("·", Notation.Transpose(inputs[0], transposeA), Notation.Transpose(inputs[1], transposeB));
    }
}

/// <summary>The four matrix products op(A)·op(B); a formula writes them A · B with ᵀ where transposed.</summary>
internal sealed class MatMulDeclaration(bool transposeA, bool transposeB) : OperationDeclaration
{
    private MatMulDeclaration()
        : this(false, false)
    {
    }

    public static string NameOf(bool transposeA, bool transposeB) => (transposeA, transposeB) switch
    {
        (false, false) => "MatMul",
        (true, false) => "MatMul(Aᵀ·B)",
        (false, true) => "MatMul(A·Bᵀ)",
        _ => "MatMul(Aᵀ·Bᵀ)",
    };

    public override string Name => NameOf(transposeA, transposeB);

    public override Type OperationType => typeof(Tensor<>.MatMulOperation);

    public override int Arity => 2;

    public override IReadOnlyList<Shape[]> ShapeCases =>
        [[Oriented(3, 4, transposeA), Oriented(4, 2, transposeB)], [Oriented(1, 5, transposeA), Oriented(5, 1, transposeB)]];

    public override IEnumerable<OperationDeclaration> Variants =>
        [new MatMulDeclaration(false, false), new MatMulDeclaration(true, false), new MatMulDeclaration(false, true), new MatMulDeclaration(true, true)];

    private static Shape Oriented(int rows, int cols, bool transposed) => transposed ? new(cols, rows) : new(rows, cols);

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => Tensor<T>.MatMul(inputs[0], inputs[1], transposeA, transposeB);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        symbol == "·" && arguments.Length == 2 && !transposeA && !transposeB ? arguments[0].MatMul(arguments[1]) : null;
}
