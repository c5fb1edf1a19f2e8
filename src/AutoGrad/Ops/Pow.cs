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
    public Tensor<T> Pow(T exponent) => Pow(double.CreateTruncating(exponent));

    /// <summary>
    /// Element-wise power with a constant exponent given as a double, used as given for every element type (a float
    /// tensor's power and gradient are evaluated in double with this exponent and rounded once, as PyTorch keeps a
    /// Python float's double exponent for a float32 tensor); see <see cref="Pow(T)"/>.
    /// </summary>
    public Tensor<T> Pow(double exponent)
    {
        var result = Uninitialized(Shape);
        PowKernel.Pow<T>(DataFor("Pow"), exponent, result.Data);
        return Track(result, ShouldRecord(this) ? new PowOperation(this, exponent) : null, PowDeclaration.NameOf(exponent), this);
    }

    internal sealed class PowOperation(Tensor<T> x, double exponent) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => PowDeclaration.NameOf(exponent);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.PowStep<T>(Name, inputs[0], exponent, output, shape);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            if (exponent == 0)
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
                gradients[0] = PowGradient(grad, Inputs[0], exponent, exponent - 1);
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
    /// gradient. Pow's gradient is c = p, q = p − 1; its derivatives are <see cref="PowGradient(Tensor{T}[], Tensor{T}, double, double)"/>.
    /// </summary>
    internal static Tensor<T> PowGradient(Tensor<T> g, Tensor<T> x, double c, double q) => PowGradient([g], x, c, q);

    /// <summary>
    /// (g₁ ⊙ … ⊙ gₖ) ⊙ c · x^q element-wise (every seed gⱼ of x's shape), in one kernel that stays finite where the
    /// seeds' product or x^q alone leaves the range but the result does not; recorded when any input requires a gradient.
    /// Its derivatives are this again: under a seed ḡ, ∂/∂gⱼ gives (ḡ ⊙ the other seeds) ⊙ c · x^q and ∂/∂x gives
    /// (ḡ ⊙ g₁ ⊙ … ⊙ gₖ) ⊙ cq · x^(q−1), zero when cq = 0: each order of Pow's derivative adds a seed, never a product
    /// of seeds computed apart (ḡ ⊙ g of two seeds of 1e-200 is 0).
    /// </summary>
    internal static Tensor<T> PowGradient(Tensor<T>[] seeds, Tensor<T> x, double c, double q)
    {
        var result = Uninitialized(x.Shape);
        var inputs = new Tensor<T>[seeds.Length + 1];
        seeds.CopyTo(inputs, 0);
        inputs[^1] = x;
        bool record = false;
        foreach (Tensor<T> input in inputs)
        {
            record |= ShouldRecord(input);
        }
        if (seeds.Length == 1)
        {
            PowKernel.Gradient<T>(seeds[0].Data, x.Data, c, q, result.Data);
        }
        else
        {
            var arrays = new T[seeds.Length][];
            for (int j = 0; j < seeds.Length; j++)
            {
                arrays[j] = seeds[j].Data;
            }
            PowKernel.GradientOfProduct<T>(arrays, 0, x.Data, c, q, result.Data);
        }
        return Track(result, record ? new PowGradientOperation(inputs, c, q) : null, PowGradientDeclaration.NameOf(c, q, seeds.Length), seeds[0], x);
    }

    /// <summary>
    /// The recorded gradient of <see cref="Pow(T)"/> and of itself: d = (g₁ ⊙ … ⊙ gₖ) ⊙ c · x^q, inputs g₁ … gₖ, x
    /// (see <see cref="PowGradient(Tensor{T}[], Tensor{T}, double, double)"/>).
    /// </summary>
    internal sealed class PowGradientOperation(Tensor<T>[] inputs, double c, double q) : Operation<T>(inputs), Compilation.IPlanStepSource<T>
    {
        private int SeedCount => Inputs.Length - 1;

        public override string Name => PowGradientDeclaration.NameOf(c, q, SeedCount);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            inputs.Length == 2
                ? new Compilation.PowGradientStep<T>(Name, inputs[0], inputs[1], c, q, output, shape)
                : new Compilation.PowGradientOfProductStep<T>(Name, inputs, c, q, output, shape);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            int k = SeedCount;
            Tensor<T> x = Inputs[k];
            for (int j = 0; j < k; j++)
            {
                if (Needs(j))
                {
                    gradients[j] = PowGradient(NextSeeds(grad, Inputs.AsSpan(0, k), j), x, c, q);
                }
            }
            if (Needs(k))
            {
                double cq = c * q;
                if (cq == 0)
                {
                    gradients[k] = Zeros(x.Shape);
                }
                else
                {
                    gradients[k] = PowGradient(NextSeeds(grad, Inputs.AsSpan(0, k)), x, cq, q - 1);
                }
            }
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs)
        {
            int k = inputs.Length - 1;
            SymbolicExpression product = SeedProductNotation(inputs[..k]);
            return Notation.Infix("⊙", Notation.Infix("⊙", product, Notation.Function(PowDeclaration.SymbolOf(q), "", inputs[k])), new SymbolConstant(c));
        }
    }
}

/// <summary>
/// (g₁ ⊙ … ⊙ gₖ) ⊙ c · x^q, Pow's recorded gradient (one seed, c = p, q = p − 1) and its own derivatives (each order one
/// seed more); inputs g₁ … gₖ and x of one shape. The variants are the first, second and third derivatives of x³ and
/// x^1.5 and of x⁻¹.
/// </summary>
internal sealed class PowGradientDeclaration(double c, double q, int seeds) : OperationDeclaration
{
    private PowGradientDeclaration()
        : this(3, 2, 1)
    {
    }

    public static string NameOf(double c, double q, int seeds) =>
        seeds == 1
            ? string.Create(CultureInfo.InvariantCulture, $"Pow′({c}·x^{q})")
            : string.Create(CultureInfo.InvariantCulture, $"Pow′({c}·x^{q}, {seeds} seeds)");

    public override string Name => NameOf(c, q, seeds);

    public override Type OperationType => typeof(Tensor<>.PowGradientOperation);

    public override int Arity => seeds + 1;

    public override bool IsElementWise => true;

    public override TestDomain Domain(int input) =>
        input != seeds ? TestDomain.Standard
        : q != Math.Floor(q) ? TestDomain.Positive
        : q < 0 ? TestDomain.AwayFromZero
        : TestDomain.Standard;

    public override IReadOnlyList<Shape[]> ShapeCases =>
        [Enumerable.Repeat(new Shape(3, 4), seeds + 1).ToArray(), Enumerable.Repeat(new Shape(1, 1), seeds + 1).ToArray()];

    public override IEnumerable<OperationDeclaration> Variants =>
        [new PowGradientDeclaration(3, 2, 1), new PowGradientDeclaration(6, 1, 1), new PowGradientDeclaration(1.5, 0.5, 1), new PowGradientDeclaration(0.75, -0.5, 1),
         new PowGradientDeclaration(6, 1, 2), new PowGradientDeclaration(0.75, -0.5, 2), new PowGradientDeclaration(2, -3, 2), new PowGradientDeclaration(-6, -4, 3)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => Tensor<T>.PowGradient(inputs[..seeds].ToArray(), inputs[seeds], c, q);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
}

/// <summary>xᵖ for a constant p; the variants cover an integer, a fractional (on positive inputs) and a zero exponent.</summary>
internal sealed class PowDeclaration(double exponent) : OperationDeclaration
{
    private PowDeclaration()
        : this(3)
    {
    }

    public static string NameOf(double exponent) => FormattableString.Invariant($"Pow({exponent})");

    public static string SymbolOf(double exponent) => "^" + exponent.ToString(CultureInfo.InvariantCulture);

    public override string Name => NameOf(exponent);

    public override Type OperationType => typeof(Tensor<>.PowOperation);

    public override int Arity => 1;

    public override bool IsElementWise => true;

    public override TestDomain Domain(int input) =>
        exponent != Math.Floor(exponent) ? TestDomain.Positive
        : exponent < 0 ? TestDomain.AwayFromZero
        : TestDomain.Standard;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 1)]];

    public override IEnumerable<OperationDeclaration> Variants => [new PowDeclaration(3), new PowDeclaration(1.5), new PowDeclaration(0)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].Pow(exponent);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        symbol.StartsWith('^') && arguments.Length == 1
            ? arguments[0].Pow(double.Parse(symbol.AsSpan(1), CultureInfo.InvariantCulture))
            : null;
}
