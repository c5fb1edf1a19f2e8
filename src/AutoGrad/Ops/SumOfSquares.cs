using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// s · Σᵢⱼ xᵢⱼ² for a constant s, a 1×1 tensor: the squared-error losses' reduction (s = 1, ½, 1/n, 1/(2N)) in one
    /// operation, computed as (Σ x²) · s and, where that sum overflows or loses digits to underflow but the result need
    /// not, as ((Σ (x · 2⁻ᵉ)²) · s) · 2²ᵉ with 2ᵉ the largest |x|'s power of two: the mean of [1.5e154, 0]² is 1.125e308,
    /// not ∞. Backward: ∂L/∂x = ((∂L/∂y · s) ⊙ x) · 2, the bits of Σ(x²) ⊙ s recorded op by op.
    /// </summary>
    internal Tensor<T> ScaledSumOfSquares(T scale)
    {
        var result = Uninitialized(new Shape(1, 1));
        result.Data[0] = SumOfSquaresKernel(Data, scale);
        return Track(result, ShouldRecord(this) ? new SumOfSquaresOperation(this, scale) : null, SumOfSquaresDeclaration.NameOf(scale), this);
    }

    /// <summary>
    /// (Σ x²) · s, or the scaled form (see <see cref="ScaledSumOfSquares"/>) where Σ x² is not finite or is below
    /// n · (smallest normal) / ε, the size under which squares rounded into the subnormals could matter.
    /// </summary>
    internal static T SumOfSquaresKernel(ReadOnlySpan<T> x, T scale)
    {
        T sum = Kernels.Summation.SumOfSquares(x);
        if (T.IsFinite(sum) && sum >= T.CreateTruncating(x.Length) * UnderflowFloor)
        {
            return sum * scale;
        }
        T largest = T.Abs(TensorPrimitives.MaxMagnitude(x));
        if (!T.IsFinite(largest) || largest == T.Zero)
        {
            return sum * scale; // ∞ or NaN in x gives ∞ or NaN as the sum did; all zeros give 0
        }
        int e = T.ILogB(largest); // each x · 2⁻ᵉ is below 2, so the scaled sum is below 4n
        T scaledSum = T.Zero;
        foreach (T v in x)
        {
            T scaled = T.ScaleB(v, -e);
            scaledSum += scaled * scaled;
        }
        return T.ScaleB(scaledSum * scale, 2 * e);
    }

    /// <summary>
    /// The smallest normal number over the machine epsilon (2⁻⁹⁷⁰ in double, 2⁻¹⁰³ in float): a sum of n squares above n
    /// times this loses less than an ulp to squares rounded into the subnormals. (T.Epsilon is the smallest subnormal,
    /// 2^(minimum exponent − (p − 1)); the machine epsilon is 2^−(p − 1).)
    /// </summary>
    private static readonly T UnderflowFloor = T.ScaleB(T.One, T.ILogB(T.Epsilon) - 2 * T.ILogB(T.BitIncrement(T.One) - T.One));

    internal sealed class SumOfSquaresOperation(Tensor<T> x, T scale) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => SumOfSquaresDeclaration.NameOf(scale);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.SumOfSquaresStep<T>(Name, inputs[0], scale, output);

        // what Σ(x²) ⊙ s recorded: Hadamard's g ⊙ s (none for s = 1), Sum's broadcast, Square's (g ⊙ x) · 2
        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> x = Inputs[0];
            Tensor<T> scaled = scale == T.One ? grad : grad.Hadamard(Constant(scale));
            if (!ShouldRecord(scaled, x))
            {
                var d = Uninitialized(x.Shape);
                TensorPrimitives.Multiply(x.Data, scaled.Data[0], d.Data);
                TensorPrimitives.Multiply(d.Data, T.One + T.One, d.Data);
                gradients[0] = d;
                return;
            }
            gradients[0] = scaled.BroadcastTo(x.Shape).Hadamard(x) * (T.One + T.One);
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs)
        {
            SymbolicExpression sum = Notation.Function("Σ", "\\sum", Notation.Function("²", SquareLatex<SquareOperator>(), inputs[0]));
            return scale == T.One ? sum : Notation.Infix("⊙", sum, new SymbolConstant(double.CreateTruncating(scale)));
        }

        private static string SquareLatex<TOp>() where TOp : struct, IUnaryOperator<TOp> => TOp.LatexSymbol;
    }
}

/// <summary>s · Σ x² over every element; a formula writes it Σ(x²) ⊙ s. The variants are the losses' factors 1, ½ and ¼.</summary>
internal sealed class SumOfSquaresDeclaration(double scale) : OperationDeclaration
{
    private SumOfSquaresDeclaration()
        : this(1)
    {
    }

    public static string NameOf<T>(T scale) where T : INumberBase<T> =>
        scale == T.One ? "SumOfSquares" : string.Create(CultureInfo.InvariantCulture, $"SumOfSquares·{scale}");

    public override string Name => NameOf(scale);

    public override Type OperationType => typeof(Tensor<>.SumOfSquaresOperation);

    public override int Arity => 1;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 1)]];

    public override IEnumerable<OperationDeclaration> Variants => [new SumOfSquaresDeclaration(1), new SumOfSquaresDeclaration(0.5), new SumOfSquaresDeclaration(0.25)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].ScaledSumOfSquares(T.CreateChecked(scale));

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
}
