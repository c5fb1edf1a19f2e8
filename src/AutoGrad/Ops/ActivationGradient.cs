using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// (g₁ ⊙ … ⊙ gₖ) ⊙ f⁽ᵏ⁾(x) element-wise for the activation <typeparamref name="TOp"/> (σ, tanh), y = f(x) its
    /// forward result (every seed, x and y of one shape), by <see cref="ActivationGradientKernel.GradientOfProduct"/>;
    /// recorded when a seed or x requires a gradient. f's recorded gradient is one seed (the bits of the one-pass
    /// g ⊙ f′); its derivatives are this again: under a seed ḡ, ∂/∂gⱼ gives (ḡ ⊙ the other seeds) ⊙ f⁽ᵏ⁾(x) and ∂/∂x
    /// gives (ḡ ⊙ g₁ ⊙ … ⊙ gₖ) ⊙ f⁽ᵏ⁺¹⁾(x) — one product, never ḡ ⊙ g ⊙ (1 − y) and ḡ ⊙ g ⊙ y added (∞ − ∞).
    /// </summary>
    internal static Tensor<T> ActivationGradient<TOp>(Tensor<T>[] seeds, Tensor<T> x, Tensor<T> y) where TOp : struct, IPolynomialDerivative<TOp>
    {
        var result = Uninitialized(x.Shape);
        var inputs = new Tensor<T>[seeds.Length + 2];
        seeds.CopyTo(inputs, 0);
        inputs[^2] = x;
        inputs[^1] = y;
        bool record = ShouldRecord(x);
        var arrays = new T[seeds.Length][];
        for (int j = 0; j < seeds.Length; j++)
        {
            arrays[j] = seeds[j].Data;
            record |= ShouldRecord(seeds[j]);
        }
        ActivationGradientKernel.GradientOfProduct<T, TOp>(arrays, 0, x.Data, y.Data, result.Data);
        return Track(result, record ? new ActivationGradientOperation<TOp>(inputs) : null, ActivationGradientDeclaration<TOp>.NameOf(seeds.Length), seeds[0], x);
    }

    /// <summary>
    /// The recorded gradient of σ or tanh and of itself: d = (g₁ ⊙ … ⊙ gₖ) ⊙ f⁽ᵏ⁾(x), inputs g₁ … gₖ, x and y = f(x).
    /// y is read for its value only (computed once by the forward pass): d is differentiated as the function of the
    /// seeds and x it is, so y gets no gradient of its own.
    /// </summary>
    internal sealed class ActivationGradientOperation<TOp>(Tensor<T>[] inputs) : Operation<T>(inputs), Compilation.IPlanStepSource<T>
        where TOp : struct, IPolynomialDerivative<TOp>
    {
        private int SeedCount => Inputs.Length - 2;

        public override string Name => ActivationGradientDeclaration<TOp>.NameOf(SeedCount);

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.ActivationGradientStep<T, TOp>(Name, inputs, output, shape);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            int k = SeedCount;
            Tensor<T> x = Inputs[k], y = Inputs[k + 1];
            for (int j = 0; j < k; j++)
            {
                if (Needs(j))
                {
                    gradients[j] = ActivationGradient<TOp>(NextSeeds(grad, Inputs.AsSpan(0, k), j), x, y);
                }
            }
            if (Needs(k))
            {
                gradients[k] = ActivationGradient<TOp>(NextSeeds(grad, Inputs.AsSpan(0, k)), x, y);
            }
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs)
        {
            int k = inputs.Length - 2;
            return Notation.Infix("⊙", SeedProductNotation(inputs[..k]),
                Notation.Function(ActivationGradientDeclaration<TOp>.SymbolOf(k), ActivationGradientDeclaration<TOp>.LatexOf(k), inputs[k]));
        }
    }
}

/// <summary>
/// (g₁ ⊙ … ⊙ gₖ) ⊙ f⁽ᵏ⁾(x) for the activation <typeparamref name="TOp"/>: its recorded gradient (one seed, f′) and that
/// gradient's own derivatives (each order one seed more: f″, f‴); inputs g₁ … gₖ and x of one shape (y = f(x) is computed
/// from x). Written g ⊙ σ′(x), (ḡ ⊙ g) ⊙ σ″(x), …. Variants: one, two and three seeds.
/// </summary>
internal abstract class ActivationGradientDeclaration<TOp>(int seeds) : OperationDeclaration where TOp : struct, IPolynomialDerivative<TOp>
{
    private const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /// <summary>′, ″, ‴, then ⁽⁴⁾, ⁽⁵⁾, …: the k-th derivative's mark.</summary>
    private static string Primes(int order) => order switch
    {
        1 => "′",
        2 => "″",
        3 => "‴",
        _ => "⁽" + string.Concat(order.ToString(CultureInfo.InvariantCulture).Select(c => Superscripts[c - '0'])) + "⁾",
    };

    public static string NameOf(int order) => TOp.Name + Primes(order);

    public static string SymbolOf(int order) => TOp.Symbol + Primes(order);

    public static string LatexOf(int order) =>
        order <= 3 ? TOp.LatexSymbol + new string('\'', order) : string.Create(CultureInfo.InvariantCulture, $"{TOp.LatexSymbol}^{{({order})}}");

    public override string Name => NameOf(seeds);

    public override Type OperationType => typeof(Tensor<>.ActivationGradientOperation<>);

    public override int Arity => seeds + 1;

    public override bool IsElementWise => true;

    public override IReadOnlyList<Shape[]> ShapeCases =>
        [Enumerable.Repeat(new Shape(3, 4), seeds + 1).ToArray(), Enumerable.Repeat(new Shape(1, 1), seeds + 1).ToArray()];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) =>
        Tensor<T>.ActivationGradient<TOp>(inputs[..seeds].ToArray(), inputs[seeds], Tensor<T>.Unary<TOp>(inputs[seeds]));

    /// <summary>f⁽ᵏ⁾(x) for the symbols f″, f‴, f⁽⁴⁾, … (f′ is the activation's own declaration's).</summary>
    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments)
    {
        if (arguments.Length != 1 || !symbol.StartsWith(TOp.Symbol, StringComparison.Ordinal))
        {
            return null;
        }
        for (int order = 2; order <= 32; order++)
        {
            if (symbol == SymbolOf(order))
            {
                Tensor<T> x = arguments[0];
                var ones = Enumerable.Repeat(Tensor.Ones<T>(x.Shape.Rows, x.Shape.Cols), order).ToArray();
                return Tensor<T>.ActivationGradient<TOp>(ones, x, Tensor<T>.Unary<TOp>(x));
            }
        }
        return null;
    }
}
