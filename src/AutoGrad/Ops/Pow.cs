using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise power with a constant exponent: <c>y = xᵖ</c>.
    /// Backward: ∂L/∂x = ∂L/∂y ⊙ p · xᵖ⁻¹ (zero for p = 0, as in PyTorch, rather than 0 · x⁻¹). A plain backward pass
    /// computes it in one loop (<c>PowKernel.Gradient</c>) that stays finite where xᵖ⁻¹ alone overflows or underflows
    /// but the gradient does not; a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> Pow(T exponent)
    {
        var result = Uninitialized(Shape);
        PowKernel.Pow<T>(Data, exponent, result.Data);
        return Track(result, ShouldRecord(this) ? new PowOperation(this, exponent) : null, PowDeclaration.NameOf(exponent), this);
    }

    /// <summary>Element-wise power with a constant exponent given as a double (converted to <typeparamref name="T"/>); see <see cref="Pow(T)"/>.</summary>
    public Tensor<T> Pow(double exponent) => Pow(T.CreateChecked(exponent));

    internal sealed class PowOperation(Tensor<T> x, T exponent) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => PowDeclaration.NameOf(exponent);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.PowStep<T>(Name, inputs[0], exponent, output, shape);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            if (exponent == T.Zero)
            {
                gradients[0] = Zeros(Inputs[0].Shape);
            }
            else if (!ShouldRecord(grad, Inputs[0]))
            {
                var gradient = Uninitialized(grad.Shape);
                PowKernel.Gradient<T>(grad.Data, Inputs[0].Data, exponent, gradient.Data);
                gradients[0] = gradient;
            }
            else if (Compilation.BackwardCapture.IsActive)
            {
                gradients[0] = Compilation.CapturedPowGradientOperation<T>.Record(grad, Inputs[0], exponent); // a compiled step runs the fused kernel too
            }
            else
            {
                gradients[0] = grad.Hadamard(Inputs[0].Pow(exponent - T.One)) * exponent;
            }
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(PowDeclaration.SymbolOf(exponent), "", inputs[0]);
    }
}

/// <summary>xᵖ for a constant p; the variants cover an integer, a fractional (on positive inputs) and a zero exponent.</summary>
internal sealed class PowDeclaration(double exponent) : OperationDeclaration
{
    private PowDeclaration()
        : this(3)
    {
    }

    public static string NameOf<T>(T exponent) where T : INumberBase<T> => $"Pow({exponent})";

    public static string SymbolOf<T>(T exponent) where T : unmanaged, IFloatingPointIeee754<T> =>
        "^" + double.CreateChecked(exponent).ToString(CultureInfo.InvariantCulture);

    public override string Name => NameOf(exponent);

    public override Type OperationType => typeof(Tensor<>.PowOperation);

    public override int Arity => 1;

    public override bool IsElementWise => true;

    public override TestDomain Domain(int input) => exponent == Math.Floor(exponent) ? TestDomain.Standard : TestDomain.Positive;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 1)]];

    public override IEnumerable<OperationDeclaration> Variants => [new PowDeclaration(3), new PowDeclaration(1.5), new PowDeclaration(0)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].Pow(T.CreateChecked(exponent));

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        symbol.StartsWith('^') && arguments.Length == 1
            ? arguments[0].Pow(T.Parse(symbol.AsSpan(1), CultureInfo.InvariantCulture))
            : null;
}
