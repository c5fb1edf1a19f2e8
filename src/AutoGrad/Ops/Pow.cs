using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise power with a constant exponent: <c>y = xᵖ</c>.
    /// Backward: ∂L/∂x = ∂L/∂y ⊙ p · xᵖ⁻¹ (zero for p = 0, as in PyTorch, rather than 0 · x⁻¹), computed in one loop
    /// (<c>PowKernel.Gradient</c>) that stays finite where xᵖ⁻¹ alone overflows or underflows but the gradient does not.
    /// A recorded pass (createGraph) records that same kernel as one operation (<c>PowGradientOperation</c>), so a plain
    /// and a recorded pass give the same bits, and its own derivatives are that kernel again.
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
                double p = double.CreateTruncating(exponent);
                gradients[0] = PowGradient(grad, Inputs[0], p, p - 1);
            }
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(PowDeclaration.SymbolOf(exponent), "", inputs[0]);
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>
    /// g ⊙ c · x^q element-wise (g and x of one shape), by <c>PowKernel.Gradient</c>; recorded when g or x requires a
    /// gradient. Pow's gradient is c = p, q = p − 1; the derivatives of this one are this again: ∂/∂g gives
    /// ḡ ⊙ c · x^q and ∂/∂x gives (ḡ ⊙ g) ⊙ cq · x^(q−1), zero when cq = 0.
    /// </summary>
    internal static Tensor<T> PowGradient(Tensor<T> g, Tensor<T> x, double c, double q)
    {
        var result = Uninitialized(x.Shape);
        PowKernel.Gradient<T>(g.Data, x.Data, c, q, result.Data);
        return Track(result, ShouldRecord(g, x) ? new PowGradientOperation(g, x, c, q) : null, PowGradientDeclaration.NameOf(c, q), g, x);
    }

    /// <summary>The recorded gradient of <see cref="Pow(T)"/> and of itself: d = g ⊙ c · x^q (see <see cref="PowGradient"/>).</summary>
    internal sealed class PowGradientOperation(Tensor<T> g, Tensor<T> x, double c, double q) : Operation<T>(g, x), Compilation.IPlanStepSource<T>
    {
        public override string Name => PowGradientDeclaration.NameOf(c, q);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.PowGradientStep<T>(Name, inputs[0], inputs[1], c, q, output, shape);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> g = Inputs[0], x = Inputs[1];
            gradients[0] = Needs(0) ? PowGradient(grad, x, c, q) : null;
            if (Needs(1))
            {
                double cq = c * q;
                gradients[1] = cq == 0 ? Zeros(x.Shape) : PowGradient(grad.Hadamard(g), x, cq, q - 1);
            }
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Infix("⊙", Notation.Infix("⊙", inputs[0], Notation.Function(PowDeclaration.SymbolOf(q), "", inputs[1])), new SymbolConstant(c));
    }
}

/// <summary>
/// g ⊙ c · x^q, Pow's recorded gradient (c = p, q = p − 1) and its own derivatives; inputs g and x of one shape.
/// The variants are the first and second derivatives of x³ and x^1.5.
/// </summary>
internal sealed class PowGradientDeclaration(double c, double q) : OperationDeclaration
{
    private PowGradientDeclaration()
        : this(3, 2)
    {
    }

    public static string NameOf(double c, double q) => string.Create(CultureInfo.InvariantCulture, $"Pow′({c}·x^{q})");

    public override string Name => NameOf(c, q);

    public override Type OperationType => typeof(Tensor<>.PowGradientOperation);

    public override int Arity => 2;

    public override bool IsElementWise => true;

    public override TestDomain Domain(int input) => input == 1 && q != Math.Floor(q) ? TestDomain.Positive : TestDomain.Standard;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4), new(3, 4)], [new(1, 1), new(1, 1)]];

    public override IEnumerable<OperationDeclaration> Variants =>
        [new PowGradientDeclaration(3, 2), new PowGradientDeclaration(6, 1), new PowGradientDeclaration(1.5, 0.5), new PowGradientDeclaration(0.75, -0.5)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => Tensor<T>.PowGradient(inputs[0], inputs[1], c, q);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
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

    public static string SymbolOf(double exponent) => "^" + exponent.ToString(CultureInfo.InvariantCulture);

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
