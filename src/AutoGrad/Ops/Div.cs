using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise quotient with broadcasting: <c>z = a / b</c>.
    /// Backward: ∂L/∂a = ∂L/∂z / b, ∂L/∂b = −∂L/∂z ⊙ ((a / b) / b), reusing z = a / b so no b² can overflow, and where
    /// an intermediate of that form leaves the range of normal numbers while the gradient does not, in the split form of
    /// Pow's gradient (<see cref="DivDenominatorGradient"/>).
    /// </summary>
    public Tensor<T> Div(Tensor<T> other) => Binary<DivOperator>(this, other);

    /// <summary>
    /// Div's gradient for the denominator, −g ⊙ (z / b) with z = a / b, element-wise over z's shape (g and z of that shape,
    /// a and b broadcast to it; the engine sums the result back to b's shape), by <see cref="DivKernel.DenominatorGradient"/>:
    /// PyTorch's bits where its form stays among normal numbers, the exact −g·a·b⁻² evaluated without leaving the range
    /// elsewhere (g = 1e-200, a = 1e200, b = 1e-100: −1e200, where −g ⊙ ((a / b) / b) is −∞). Recorded when g, a or b
    /// requires a gradient; its derivatives are Pow's gradient of a product of seeds
    /// (<see cref="PowGradient(Tensor{T}[], Tensor{T}, double, double)"/>), so no order multiplies seeds into 0 or ∞.
    /// </summary>
    internal static Tensor<T> DivDenominatorGradient(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z)
    {
        var result = Uninitialized(z.Shape);
        DivKernel.DenominatorGradient<T>(g.Data, z.Data, a.Data, a.Shape, b.Data, b.Shape, result.Data, z.Shape, 0, z.Shape.Length);
        bool record = GradMode.Records(g.requiresGrad || a.requiresGrad || b.requiresGrad);
        return Track(result, record ? new DivDenominatorGradientOperation(g, a, b, z) : null, DivDenominatorGradientDeclaration.OpName, g, b);
    }

    /// <summary>
    /// The recorded gradient of <see cref="Div"/> for its denominator: d = −g ⊙ a ⊙ b⁻², computed as −g ⊙ (z / b)
    /// (<see cref="DivDenominatorGradient"/>). Inputs g, a, b and the quotient z = a / b, which is read for its value
    /// only: d is differentiated as the function of g, a and b it is, so z gets no gradient of its own.
    /// </summary>
    internal sealed class DivDenominatorGradientOperation(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z)
        : Operation<T>(g, a, b, z), Compilation.IPlanStepSource<T>
    {
        public override string Name => DivDenominatorGradientDeclaration.OpName;

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.DivDenominatorGradientStep<T>(Name, inputs[0], inputs[1], shapes[1], inputs[2], shapes[2], inputs[3], output, shape);

        /// <summary>
        /// Under a seed ḡ: ∂/∂g = ḡ ⊙ (−a ⊙ b⁻²), ∂/∂a = (ḡ ⊙ g) ⊙ (−b⁻²), ∂/∂b = (ḡ ⊙ g ⊙ a) ⊙ 2b⁻³, each one
        /// Pow gradient of a product of seeds over a and b broadcast to the quotient's shape.
        /// </summary>
        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> g = Inputs[0], a = Inputs[1], b = Inputs[2];
            Shape shape = result.Shape;
            Tensor<T> aFull = a.BroadcastTo(shape), bFull = b.BroadcastTo(shape);
            if (Needs(0))
            {
                gradients[0] = PowGradient([grad, aFull], bFull, -1, -2);
            }
            if (Needs(1))
            {
                gradients[1] = PowGradient([grad, g], bFull, -1, -2);
            }
            if (Needs(2))
            {
                gradients[2] = PowGradient([grad, g, aFull], bFull, 2, -3);
            }
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function("−", "", Notation.Infix("⊙", inputs[0], Notation.Infix("/", inputs[3], inputs[2])));
    }
}

/// <summary>
/// −g ⊙ (z / b) with z = a / b: Div's recorded gradient for the denominator, inputs g (of the quotient's shape), a and b;
/// the variants' shape cases broadcast a row and a column as Div does.
/// </summary>
internal sealed class DivDenominatorGradientDeclaration : OperationDeclaration
{
    public const string OpName = "Div′(b)";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.DivDenominatorGradientOperation);

    public override int Arity => 3;

    public override bool IsElementWise => true;

    public override TestDomain Domain(int input) => input == 2 ? TestDomain.Positive : TestDomain.Standard;

    public override IReadOnlyList<Shape[]> ShapeCases =>
        [[new(3, 4), new(3, 4), new(3, 4)], [new(3, 4), new(1, 4), new(3, 1)], [new(3, 4), new(3, 4), new(1, 1)], [new(1, 1), new(1, 1), new(1, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) =>
        Tensor<T>.DivDenominatorGradient(inputs[0], inputs[1], inputs[2], inputs[1].Div(inputs[2]));

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
}

/// <summary>z = a / b; ∂z/∂a = 1 / b, ∂z/∂b = −z / b.</summary>
internal readonly struct DivOperator : IBinaryOperator<DivOperator>
{
    public static string Name => "Div";
    public static string Symbol => "/";
    public static string LatexSymbol => "\\oslash";
    public static TestDomain Domain(int input) => input == 1 ? TestDomain.Positive : TestDomain.Standard;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a / b;
    public static bool IsSingleOperation => true;
    public static TVec Invoke<T, TVec>(TVec a, TVec b) where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct, ISimdMath<TVec, T> => a / b;
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
    public static void Invoke<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
    public static void Invoke<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
    public static T DerivativeA<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => T.One / b;
    public static T DerivativeB<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => -(z / b);
    public static Tensor<T> GradientA<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> => g.Div(b);
    public static Tensor<T> GradientB<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.DivDenominatorGradient(g, a, b, z);
}
