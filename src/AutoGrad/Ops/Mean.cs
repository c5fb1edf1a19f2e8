using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Mean of all elements: <c>m = (1/n) Σᵢⱼ xᵢⱼ</c> with n = Rows · Cols, a 1×1 tensor, computed as (Σ x) · (1/n); where
    /// that sum overflows though every element is finite (the mean of [1e308, 1e308]), as ((Σ x · 2⁻ᵏ) · (1/n)) · 2ᵏ
    /// with 2ᵏ ≥ n, so the mean of finite elements is always finite. Backward: ∂L/∂x = ∂L/∂m · (1/n) everywhere.
    /// </summary>
    public Tensor<T> Mean()
    {
        var result = Uninitialized(new Shape(1, 1));
        result.Data[0] = MeanKernel(DataFor(MeanDeclaration.OpName));
        return Track(result, ShouldRecord(this) ? new MeanOperation(this) : null, MeanDeclaration.OpName, this);
    }

    /// <summary>1/n rounded to T: the factor of the mean and of its gradient.</summary>
    private static T Reciprocal(int n) => T.One / T.CreateChecked(n);

    /// <summary>(Σ x) · (1/n), and the scaled form where only the sum overflows (see <see cref="Mean"/>).</summary>
    internal static T MeanKernel(ReadOnlySpan<T> x)
    {
        T sum = Kernels.Summation.Sum(x), reciprocal = Reciprocal(x.Length);
        if (T.IsFinite(sum))
        {
            return sum * reciprocal;
        }
        // (an infinite or NaN element gives ∞ or NaN here as in the sum: scaling keeps them)
        int k = 1 + (int)Math.Ceiling(Math.Log2(x.Length)); // the scaled terms sum to at most MaxValue · n / 2ᵏ ≤ MaxValue / 2
        T down = T.ScaleB(T.One, -k), scaledSum = T.Zero;
        foreach (T v in x)
        {
            scaledSum += v * down;
        }
        return T.ScaleB(scaledSum * reciprocal, k);
    }

    internal sealed class MeanOperation(Tensor<T> x) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => MeanDeclaration.OpName;

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.MeanStep<T>(inputs[0], output);

        // ∂L/∂m · (1/n) repeated over x, recorded as the product and the broadcast (as Σ x · (1/n) recorded them)
        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) =>
            gradients[0] = grad.Hadamard(Constant(Reciprocal(Inputs[0].Length))).BroadcastTo(Inputs[0].Shape);

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Infix("⊙", Notation.Function("Σ", "\\sum", inputs[0]), new SymbolConstant(double.CreateTruncating(Reciprocal(Inputs[0].Length))));
    }
}

/// <summary>(1/n) Σ x over every element; a formula writes it Σ(x) ⊙ 1/n.</summary>
internal sealed class MeanDeclaration : OperationDeclaration
{
    public const string OpName = "Mean";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.MeanOperation);

    public override int Arity => 1;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].Mean();

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
}
