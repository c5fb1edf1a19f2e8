using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise exponential: <c>y = eˣ</c>, with AutoGrad's own kernel (<c>VectorExp</c>, within 1 ulp). Backward:
    /// ∂L/∂x = ∂L/∂y ⊙ y, reusing the result y; a recorded pass records it as one operation (<see cref="ExpGradient"/>)
    /// whose derivatives multiply no two seeds apart.
    /// </summary>
    public Tensor<T> Exp() => Unary<ExpOperator>(this);

    /// <summary>
    /// (g₁ ⊙ … ⊙ gₖ) ⊙ y element-wise, y = eˣ (every seed gⱼ, x and y of one shape), by
    /// <see cref="ExpGradientKernel.GradientOfProduct"/>; recorded when a seed or x requires a gradient. Exp's recorded
    /// gradient is one seed (the bits of the one-pass g ⊙ y); its derivatives are this again with one seed more:
    /// under a seed ḡ, ∂/∂gⱼ gives (ḡ ⊙ the other seeds) ⊙ y and ∂/∂x gives (ḡ ⊙ g₁ ⊙ … ⊙ gₖ) ⊙ y — never ḡ ⊙ g
    /// computed apart (two seeds of 1e-200 make 0, though ḡ · g · e⁶⁹⁰ is 4.6e-101).
    /// </summary>
    internal static Tensor<T> ExpGradient(Tensor<T>[] seeds, Tensor<T> x, Tensor<T> y)
    {
        var result = Uninitialized(x.Shape);
        var inputs = new Tensor<T>[seeds.Length + 2];
        seeds.CopyTo(inputs, 0);
        inputs[^2] = x;
        inputs[^1] = y;
        bool record = false;
        var arrays = new T[seeds.Length][];
        for (int j = 0; j < seeds.Length; j++)
        {
            arrays[j] = seeds[j].Data;
            record |= ShouldRecord(seeds[j]);
        }
        record |= ShouldRecord(x);
        ExpGradientKernel.GradientOfProduct<T>(arrays, 0, x.Data, y.Data, result.Data);
        return Track(result, record ? new ExpGradientOperation(inputs) : null, ExpGradientDeclaration.NameOf(seeds.Length), seeds[0], x);
    }

    /// <summary>
    /// The recorded gradient of <see cref="Exp"/> and of itself: d = (g₁ ⊙ … ⊙ gₖ) ⊙ eˣ, inputs g₁ … gₖ, x and y = eˣ.
    /// y is read for its value only (it is eˣ, computed once by the forward pass): d is differentiated as the function
    /// of the seeds and x it is, so y gets no gradient of its own.
    /// </summary>
    internal sealed class ExpGradientOperation(Tensor<T>[] inputs) : Operation<T>(inputs), Compilation.IPlanStepSource<T>
    {
        private int SeedCount => Inputs.Length - 2;

        public override string Name => ExpGradientDeclaration.NameOf(SeedCount);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.ExpGradientStep<T>(Name, inputs, output, shape);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            int k = SeedCount;
            Tensor<T> x = Inputs[k], y = Inputs[k + 1];
            for (int j = 0; j < k; j++)
            {
                if (Needs(j))
                {
                    gradients[j] = ExpGradient(NextSeeds(grad, Inputs.AsSpan(0, k), j), x, y);
                }
            }
            if (Needs(k))
            {
                gradients[k] = ExpGradient(NextSeeds(grad, Inputs.AsSpan(0, k)), x, y);
            }
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs)
        {
            int k = inputs.Length - 2;
            SymbolicExpression product = SeedProductNotation(inputs[..k]);
            return Notation.Infix("⊙", product, inputs[k + 1]);
        }
    }
}

/// <summary>y = eˣ; y′ = y.</summary>
internal readonly struct ExpOperator : IUnaryOperator<ExpOperator>
{
    public static string Name => "Exp";
    public static string Symbol => "exp";
    public static string LatexSymbol => "\\exp";
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Exp(x);
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => VectorExp.Exp(x, y);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => y;
    public static bool HasVectorDerivative => true;
    public static Vector<T> Derivative<T>(Vector<T> x, Vector<T> y) where T : unmanaged, IFloatingPointIeee754<T> => y;
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => y;
    public static Tensor<T> Gradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.ExpGradient([g], x, y);
}

/// <summary>
/// (g₁ ⊙ … ⊙ gₖ) ⊙ eˣ, Exp's recorded gradient (one seed) and its own derivatives (each order one seed more); inputs
/// g₁ … gₖ and x of one shape (eˣ is computed from x by <see cref="Tensor{T}.Exp"/>). Variants: one, two and three seeds.
/// </summary>
internal sealed class ExpGradientDeclaration(int seeds) : OperationDeclaration
{
    private ExpGradientDeclaration()
        : this(1)
    {
    }

    public static string NameOf(int seeds) =>
        seeds == 1 ? "Exp′" : string.Create(CultureInfo.InvariantCulture, $"Exp′({seeds} seeds)");

    public override string Name => NameOf(seeds);

    public override Type OperationType => typeof(Tensor<>.ExpGradientOperation);

    public override int Arity => seeds + 1;

    public override bool IsElementWise => true;

    public override IReadOnlyList<Shape[]> ShapeCases =>
        [Enumerable.Repeat(new Shape(3, 4), seeds + 1).ToArray(), Enumerable.Repeat(new Shape(1, 1), seeds + 1).ToArray()];

    public override IEnumerable<OperationDeclaration> Variants =>
        [new ExpGradientDeclaration(1), new ExpGradientDeclaration(2), new ExpGradientDeclaration(3)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) =>
        Tensor<T>.ExpGradient(inputs[..seeds].ToArray(), inputs[seeds], inputs[seeds].Exp());

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
}
