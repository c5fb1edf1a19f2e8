using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

// The two element-wise families: one driver and one recorded operation each, generic over the operator struct
// that declares the function (Kernels/IUnaryOperator.cs, Kernels/IBinaryOperator.cs). An operation's own file holds
// its public method and its operator.
public sealed partial class Tensor<T>
{
    /// <summary>y = f(x) element-wise for the operator <typeparamref name="TOp"/>, recorded when x requires a gradient.</summary>
    internal static Tensor<T> Unary<TOp>(Tensor<T> x) where TOp : struct, IUnaryOperator<TOp>
    {
        var result = Uninitialized(x.Shape);
        TOp.Invoke<T>(x.DataFor(TOp.Name), result.Data);
        return Track(result, ShouldRecord(x) ? new UnaryOperation<TOp>(x) : null, TOp.Name, x);
    }

    /// <summary>
    /// z = f(a, b) element-wise with broadcasting for the operator <typeparamref name="TOp"/>: checks the shapes
    /// first, so a refused call changes nothing.
    /// </summary>
    internal static Tensor<T> Binary<TOp>(Tensor<T> a, Tensor<T> b) where TOp : struct, IBinaryOperator<TOp>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b, "other"); // the public methods' name for it: a.Add(other)
        Shape shape = Broadcasting.ResultShape(TOp.Name, a.Shape, b.Shape);
        var result = Uninitialized(shape);
        Broadcasting.Apply<T, TOp>(a.DataFor(TOp.Name), a.Shape, b.DataFor(TOp.Name), b.Shape, result.Data, shape);
        return Track(result, ShouldRecord(a, b) ? new BinaryOperation<TOp>(a, b) : null, TOp.Name, a, b);
    }

    /// <summary>
    /// The values f′(x) as a constant (unrecorded) tensor: the recorded derivative of a function whose derivative is
    /// piecewise constant (ReLU's step), whose own derivative is zero wherever it exists.
    /// </summary>
    internal static Tensor<T> DerivativeValues<TOp>(Tensor<T> x, Tensor<T> y) where TOp : struct, IUnaryOperator<TOp>
    {
        if (Compilation.BackwardCapture.IsActive && x.requiresGrad)
        {
            throw new NotSupportedException($"Tensor.Compile: {TOp.Name}'s derivative values were read from the data during a capture (internal error: its fused gradient should have been captured).");
        }
        var values = Uninitialized(x.Shape);
        ElementwiseLoops.Derivative<T, TOp>(x.Data, y.Data, values.Data);
        return values;
    }

    /// <summary>
    /// The values ∂z/∂a (<paramref name="input"/> 0) or ∂z/∂b (1) of a binary operator, in the broadcast result's shape,
    /// as a constant (unrecorded) tensor: the recorded partial derivative of a function whose partial derivatives are
    /// piecewise constant (a maximum's selection).
    /// </summary>
    internal static Tensor<T> PartialDerivativeValues<TOp>(Tensor<T> a, Tensor<T> b, Tensor<T> z, int input)
        where TOp : struct, IBinaryOperator<TOp>
    {
        if (Compilation.BackwardCapture.IsActive && (a.requiresGrad || b.requiresGrad))
        {
            return Compilation.CapturedPartialDerivativeOperation<T, TOp>.Record(a, b, z, input); // values of this call, not of the trace
        }
        var values = Uninitialized(z.Shape);
        ElementwiseLoops.PartialDerivative<T, TOp>(a.Data, a.Shape, b.Data, b.Shape, z.Data, z.Shape, input, values.Data);
        return values;
    }

    /// <summary>A recorded element-wise function of one tensor; the operator declares everything else.</summary>
    internal sealed class UnaryOperation<TOp>(Tensor<T> x) : Operation<T>(x), Compilation.IPlanStepSource<T> where TOp : struct, IUnaryOperator<TOp>
    {
        public override string Name => TOp.Name;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> x = Inputs[0];
            if (!ShouldRecord(grad, x))
            {
                var d = Uninitialized(grad.Shape);
                TOp.Gradient<T>(grad.Data, x.Data, result.Data, d.Data);
                gradients[0] = d;
                return;
            }
            gradients[0] = Compilation.BackwardCapture.IsActive
                ? Compilation.CapturedGradientOperation<T, TOp>.Record(grad, x, result) // a compiled step runs the fused kernel too
                : TOp.Gradient(grad, x, result);
        }

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            TOp.ResultDependsOnAddress
                ? throw new NotSupportedException(
                    $"Tensor.Compile: the operation {TOp.Name} has no compiled form: its kernel's value for an element depends on where " +
                    "the array lies in memory, so no compiled step can promise the eager bits; run it eagerly.")
                : new Compilation.UnaryStep<T, TOp>(inputs[0], output, shape);

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(TOp.Symbol, TOp.LatexSymbol, inputs[0]);
    }

    /// <summary>A recorded element-wise function of two tensors with broadcasting; the operator declares everything else.</summary>
    internal sealed class BinaryOperation<TOp>(Tensor<T> a, Tensor<T> b) : Operation<T>(a, b), Compilation.IPlanStepSource<T> where TOp : struct, IBinaryOperator<TOp>
    {
        public override string Name => TOp.Name;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> a = Inputs[0], b = Inputs[1];
            gradients[0] = Needs(0) ? TOp.GradientA(grad, a, b, result) : null;
            gradients[1] = Needs(1) ? TOp.GradientB(grad, a, b, result) : null;
        }

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.BinaryStep<T, TOp>(inputs[0], shapes[0], inputs[1], shapes[1], output, shape);

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) => TOp.IsInfix
            ? Notation.Infix(TOp.Symbol, inputs[0], inputs[1])
            : Notation.Call(TOp.Symbol, TOp.LatexSymbol, inputs[0], inputs[1]);
    }
}
